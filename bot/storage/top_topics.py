"""The topics people asked most, from the question log: the entries the bot answered, most
answered first (Instagram's weekly ice breakers are built from them).

Taps on a menu or suggestion button ("menu" and "choice" turns) are left out: an ice breaker's
tap is one, and counting them would let whatever is shown keep itself shown.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import String, cast, func, select

from bot.storage.base import StoreBase
from bot.storage.errors import translate_errors
from bot.storage.tables import QuestionRow

TAPS = ('%"menu"%', '%"choice"%')  # the turn flags a tap leaves in `flags` (a JSON list)


class TopTopicsQuery(StoreBase):
    """The question log's most asked entries (the `TopTopics` role channels are handed)."""

    async def top_topics(self, since: dt.datetime, *, limit: int, at_least: int) -> list[str]:
        """Up to `limit` entry ids answered at least `at_least` times since `since`, typed
        rather than tapped; ties go to the entry id, so every worker gets the same list."""
        if limit <= 0:
            return []  # SQLite reads a negative LIMIT as "no limit", PostgreSQL refuses it
        asked = func.count(QuestionRow.id)
        flags = cast(QuestionRow.flags, String)
        statement = (
            select(QuestionRow.faq_id)
            .where(
                QuestionRow.action == "answer",
                QuestionRow.faq_id.is_not(None),
                QuestionRow.created_at >= since,
                *(flags.not_like(tap) for tap in TAPS),
            )
            .group_by(QuestionRow.faq_id)
            .having(asked >= at_least)
            .order_by(asked.desc(), QuestionRow.faq_id)
            .limit(limit)
        )
        with translate_errors("reading the most asked topics"):
            async with self._engine.connect() as connection:
                return [str(faq) for faq in (await connection.scalars(statement)).all()]
