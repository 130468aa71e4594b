"""Ice breakers: the questions (at most 4) Instagram shows when someone opens a chat with the
office, set at start from the knowledge base's menu topics. A tap comes back as a postback
carrying the entry (`#faq:id`), which the core answers like a menu choice.

Setting them is cosmetic: a failure is logged and tried again a few times in the background,
never holding up the channel. Every worker sets the same list, which is harmless.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence

from bot.channels.instagram.api import InstagramClient, InstagramError
from bot.channels.instagram.render import shorten
from bot.core.vocabulary import ENTRY

logger = logging.getLogger(__name__)

MAX_QUESTIONS = 4
MAX_QUESTION = 80


def questions(topics: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    """(question, payload) pairs for the first four (title, entry id) topics."""
    return [(shorten(title, MAX_QUESTION), ENTRY + id_) for title, id_ in topics[:MAX_QUESTIONS]]


async def set_ice_breakers(
    client: InstagramClient,
    pairs: Sequence[tuple[str, str]],
    *,
    attempts: int = 5,
    first_delay: float = 2.0,
) -> bool:
    """Set them, retrying with doubling waits; False when every attempt failed."""
    if not pairs:
        return False
    for attempt in range(attempts):
        try:
            await client.set_ice_breakers(pairs)
        except InstagramError as exc:
            logger.warning("Instagram ice breakers not set: %s", exc.reason)
            await asyncio.sleep(first_delay * 2**attempt)
            continue
        logger.info("Instagram ice breakers set (%d questions)", len(pairs))
        return True
    return False
