"""Ice breakers: the questions (at most 4) Instagram shows when someone opens a chat with the
office, so the chat opens on what people actually need. Once a week one worker (a lease in
the database) sets them to the topics asked most in the last four weeks (typed questions the
bot answered, from the question log), filled up with the menu's topics while the log is thin;
the first round is at the first start. A tap comes back as a postback carrying the entry
(`#faq:id`), which the core answers like a menu choice.

Setting them is cosmetic: a failure is logged and tried again a few times in the background,
then the round is booked again an hour later, never holding up the channel.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from bot.channels.contract import TopTopics
from bot.channels.instagram.api import InstagramClient, InstagramError
from bot.channels.instagram.render import shorten
from bot.core.vocabulary import ENTRY
from bot.storage.schedule_lease import ScheduleLease
from knowledge.entries import Entry, KnowledgeBase
from knowledge.policy import CHAT, OUT_OF_SCOPE

logger = logging.getLogger(__name__)

MAX_QUESTIONS = 4
MAX_QUESTION = 80
WEEK = dt.timedelta(days=7)
ASKED_OVER = dt.timedelta(days=28)  # "the last weeks": long enough to smooth a busy day
AT_LEAST = 3  # asked fewer times, a topic says little: the menu's topics fill its place
RETRY = dt.timedelta(hours=1)
LEASE = "instagram-ice-breakers"


def questions(topics: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    """(question, payload) pairs for the first four (title, entry id) topics."""
    return [(shorten(title, MAX_QUESTION), ENTRY + id_) for title, id_ in topics[:MAX_QUESTIONS]]


def chosen(kb: KnowledgeBase, asked: Sequence[str]) -> list[Entry]:
    """The asked entries still in the knowledge base (small talk aside), then the menu's,
    four at most and each once."""
    found = [entry for entry in (kb.get(id_) for id_ in asked) if entry is not None]
    topical = [entry for entry in found if entry.category not in (CHAT, OUT_OF_SCOPE)]
    picked: dict[str, Entry] = {}
    for entry in topical + kb.menu_entries():
        picked.setdefault(entry.id, entry)
    return list(picked.values())[:MAX_QUESTIONS]


@dataclass(frozen=True, slots=True)
class Round:
    """A week's round this worker took: what to set, and when the next round is booked."""

    pairs: list[tuple[str, str]]
    booked: dt.datetime


@dataclass(frozen=True, slots=True)
class WeeklyIceBreakers:
    """The weekly round: claimed by one worker, set from the question log."""

    client: InstagramClient
    lease: ScheduleLease
    topics: TopTopics
    kb: Callable[[], KnowledgeBase]  # the one serving now (faq.yaml may have been reloaded)
    clock: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC)

    async def claim(self) -> Round | None:
        """This week's round, if it is due and this worker took it (database only)."""
        now = self.clock()
        booked = now + WEEK
        if not await self.lease.claim(LEASE, now=now, next_run=booked, first_run=now):
            return None
        return Round(await self.questions(now), booked)

    async def run(self, taken: Round) -> bool:
        """Set the round's questions (retried); when they cannot be set, book the round
        again an hour later, for any worker. True once set."""
        if await set_ice_breakers(self.client, taken.pairs):
            return True
        await self.lease.retry_at(LEASE, booked=taken.booked, at=self.clock() + RETRY)
        return False

    async def questions(self, now: dt.datetime) -> list[tuple[str, str]]:
        """The (question, payload) pairs this week's people call for."""
        kb = self.kb()
        asked = await self.topics.top_topics(
            now - ASKED_OVER, limit=2 * MAX_QUESTIONS, at_least=AT_LEAST
        )
        return questions([(entry.title, entry.id) for entry in chosen(kb, asked)])


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
