"""One entry's figures for the admin console (`bot.console.vocabulary` `Usage`): its answers
and their 👍/👎 with the report's own query, and the newest questions it answered."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from bot.console.vocabulary import EntryUsage
from bot.storage.base import StoreBase
from bot.storage.errors import translate_errors
from bot.storage.report_sql import top_entries
from bot.storage.tables import QuestionRow


class UsageQueries(StoreBase):
    """Read-only queries over the question log."""

    async def entry_usage(
        self,
        entry_id: str,
        *,
        since: dt.datetime,
        until: dt.datetime,
        limit: int,
        office: str | None = None,
    ) -> EntryUsage:
        """The period's answers with `entry_id`, their votes, and up to `limit` typed ones;
        of the questions asked at `office` only, when given."""
        votes = top_entries(since, until, 1).where(QuestionRow.faq_id == entry_id)
        recent = (
            select(QuestionRow.created_at, QuestionRow.text_redacted)
            .where(
                QuestionRow.faq_id == entry_id,
                QuestionRow.action == "answer",
                QuestionRow.normalized != "",  # typed, not a button or menu press
                QuestionRow.created_at >= since,
                QuestionRow.created_at < until,
            )
            .order_by(QuestionRow.created_at.desc(), QuestionRow.id.desc())
            .limit(max(limit, 0))
        )
        if office is not None:
            votes = votes.where(QuestionRow.office_id == office)
            recent = recent.where(QuestionRow.office_id == office)
        with translate_errors("reading an entry's figures"):
            async with self._engine.connect() as connection:
                found = (await connection.execute(votes)).first()
                rows = (await connection.execute(recent)).all()
        asked, up, down = (found[1], found[2], found[3]) if found else (0, 0, 0)
        return EntryUsage(int(asked), int(up or 0), int(down or 0), tuple((a, t) for a, t in rows))
