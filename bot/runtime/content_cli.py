"""`python -m bot content --week [--out DIR] [--until D] [--date D] [--posts N]`: the weekly
content kit (`bot.content`), its week read from the question log as `report` reads it."""

from __future__ import annotations

import argparse
import asyncio
from typing import TYPE_CHECKING

from bot.content.settings import POSTS
from bot.runtime.config import Settings

if TYPE_CHECKING:
    from bot.content.command import ContentRequest
    from bot.content.settings import ContentSettings
    from bot.content.vocabulary import Choice

EXIT_BAD_INPUT = 2


def run(settings: Settings, args: argparse.Namespace) -> int:
    """Check the command line (exit 2 before the database is touched), read the week's
    choice, then draw and write the kit."""
    # Imported here: `python -m bot ask` should not pay for Pillow and the report's modules.
    from bot.content.command import content_request, finish
    from bot.runtime.app.feature_settings import content_settings

    making = content_settings(settings)
    request = content_request(making, args)
    if request is None:
        return EXIT_BAD_INPUT
    return finish(request, asyncio.run(_choose(settings, making, request)))


async def _choose(settings: Settings, making: ContentSettings, request: ContentRequest) -> Choice:
    """The week's topics through the report's queries; the database is closed before drawing."""
    from bot.content.week import week_choice
    from bot.runtime.app import one_shot

    async with one_shot(settings) as tools:
        return await week_choice(tools.reports, request.kb, making, request.week)


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """The `content` command."""
    content = commands.add_parser("content", help="make the week's Instagram posts from the log")
    content.add_argument(
        "--week", action="store_true", required=True, help="the topics of the last 7 days"
    )
    content.add_argument("--out", default="konten", help="output folder (default: konten)")
    content.add_argument("--until", help="last day read (YYYY-MM-DD; default today)")
    content.add_argument(
        "--date", help="day the posts are planned for (YYYY-MM-DD; default the day after)"
    )
    content.add_argument(
        "--posts", type=int, default=POSTS, help=f"how many posts (default {POSTS})"
    )
