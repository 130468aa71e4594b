"""Instagram's entry in the root's channel list: its settings section and how it is built."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from bot.channels.contract import ChannelParts, PurgeStep, RunningChannel
from bot.channels.instagram.settings import InstagramSettings

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncEngine

    from bot.reporting.vocabulary import PostSource


class InstagramChannel:
    """`Channel` for the Instagram API with Instagram Login (DMs and comments)."""

    name = "instagram"
    enabled_by = "the INSTAGRAM_* settings"

    def from_env(self, env: Mapping[str, str]) -> InstagramSettings:
        """Read the INSTAGRAM_* variables."""
        return InstagramSettings.from_env(env)

    def build(self, settings: InstagramSettings, parts: ChannelParts) -> RunningChannel:
        """The channel on the shared engine, registered with the pipeline and registries."""
        # Imported here: every command reads the settings, and only the processes that run
        # channels should pay for importing aiohttp, the web stack and the ORM.
        from bot.channels.instagram.running import build

        return build(settings, parts)

    def retention(self, now: dt.datetime, cutoff: dt.datetime) -> Sequence[PurgeStep]:
        """Its conversations and comments past the retention period (`retention`)."""
        from bot.channels.instagram.retention import retention  # the ORM, as above

        return retention(now, cutoff)

    def post_source(self, engine: AsyncEngine) -> PostSource:
        """Questions per post and the first-reply times (`post_reports`)."""
        from bot.channels.instagram.post_reports import InstagramReports  # the ORM, as above

        return InstagramReports(engine)


CHANNEL = InstagramChannel()
