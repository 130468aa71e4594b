"""The store: the question log here, tickets in `bot.storage.tickets`.

Stores `bot.core.vocabulary` records and hands back `bot.core.vocabulary` records, never rows.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence
from typing import Any

from sqlalchemy import bindparam, exists, func, insert, literal, select, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.sql.dml import ReturningInsert

from bot.core.vocabulary import ComplaintRecord, FeedbackRecord, QuestionRecord
from bot.storage.chat_reads import ChatReadsMixin
from bot.storage.errors import StorageError, translate_errors
from bot.storage.group_commit import Write
from bot.storage.question_ids import QuestionIds
from bot.storage.steps import Step
from bot.storage.tables import ComplaintRow, FeedbackRow, QuestionRow
from bot.storage.tickets import TicketStoreMixin

_FEEDBACK_COLUMNS = ("question_id", "helpful", "user_hash", "created_at")


class Store(ChatReadsMixin, TicketStoreMixin):
    """Async storage over an engine; serves the `bot.core.vocabulary` storage roles.

    `Store(engine, clock=...)`: the optional clock supplies every "now" the store writes.
    The store owns the engine from here on: `close()` disposes of it.
    """

    @functools.cached_property
    def _question_ids(self) -> QuestionIds:
        return QuestionIds(self._engine)

    async def reserve_question_id(self) -> int | None:
        """An id for a question written later (`question_write`); None where the database
        cannot hand one out ahead (SQLite): log it at once then."""
        return await self._question_ids.take()

    def question_write(self, record: QuestionRecord, question_id: int) -> Step:
        """Store the question under a reserved id, in a transaction the caller runs (or
        folded into its statement)."""
        values = {**_question_values(record), "id": question_id}
        return Step(_QUESTION, {f"q_{name}": value for name, value in values.items()})

    def complaint_write(self, record: ComplaintRecord) -> Write:
        """`add_complaint`, in a transaction the caller runs (after its question's write)."""
        values = _complaint_values(record)

        async def write(connection: AsyncConnection) -> None:
            await connection.execute(_COMPLAINT, values)

        return write

    async def log_question(self, record: QuestionRecord) -> int:
        """Store one question and return its id."""
        (question_id,) = await self.log_questions([record])
        return question_id

    async def log_questions(self, records: Sequence[QuestionRecord]) -> list[int]:
        """Store questions in one transaction; ids come back in the order of `records`."""
        if not records:
            return []
        values = [_question_values(record) for record in records]
        # Run on a connection, not a session: this is the hot path and no objects are needed.
        with translate_errors("logging questions"):
            async with self._engine.begin() as connection:
                rows = values[0] if len(values) == 1 else values  # many: insertmanyvalues
                return list((await connection.execute(_LOG, rows)).scalars())

    async def add_feedback(self, record: FeedbackRecord) -> bool:
        """Store feedback, replacing this user's earlier verdict; False if the id is unknown
        or the question was asked by someone else."""
        with translate_errors("storing feedback"):
            async with self._sessions.begin() as session:
                statement = _feedback_upsert(self._engine.dialect.name, record)
                result = await session.execute(statement)
                return result.first() is not None

    async def add_complaint(self, record: ComplaintRecord) -> None:
        """Store a complaint or suggestion heard in a logged question (`ComplaintLog`)."""
        with translate_errors("storing a complaint"):
            async with self._engine.begin() as connection:
                await self.complaint_write(record)(connection)

    async def messages_since(self, user_hash: str, since: dt.datetime) -> int:
        """How many questions this user sent at or after `since` (for the flood guard)."""
        statement = (
            select(func.count())
            .select_from(QuestionRow)
            .where(QuestionRow.user_hash == user_hash, QuestionRow.created_at >= since)
        )
        with translate_errors("counting a user's messages"):
            async with self._sessions() as session:
                count = await session.scalar(statement)
        return count or 0

    async def recent_texts(self, user_hash: str, *, limit: int) -> list[str]:
        """The user's last `limit` logged (redacted) messages, oldest first."""
        if limit <= 0:
            return []  # SQLite reads a negative LIMIT as "no limit", PostgreSQL refuses it
        statement = (
            select(QuestionRow.text_redacted)
            .where(QuestionRow.user_hash == user_hash)
            .order_by(QuestionRow.created_at.desc(), QuestionRow.id.desc())
            .limit(limit)
        )
        with translate_errors("reading a user's messages"):
            async with self._sessions() as session:
                newest_first = list(await session.scalars(statement))
        return newest_first[::-1]

    async def ping(self) -> bool:
        """Whether the database answers a trivial query; for health checks, never raises."""
        try:
            with translate_errors("ping"):
                async with self._engine.connect() as connection:
                    await connection.execute(text("SELECT 1"))
        except StorageError:
            return False
        return True

    async def close(self) -> None:
        """Close every pooled connection."""
        await self._engine.dispose()


_COMPLAINT_COLUMNS = (
    "question_id", "created_at", "channel", "kind", "topic", "faq_id", "text_redacted"
)  # fmt: skip
_QUESTION_COLUMNS = QuestionRow.__table__.c
_QUESTION_FIELDS = (
    "created_at", "channel", "user_hash", "text_redacted", "normalized", "action", "faq_id",
    "score", "candidates", "latency_ms", "kb_version", "flags", "office_id",
)  # fmt: skip
# Parameters named apart (`q_*`), so the insert folds with other steps (`bot.storage.steps`).
_QUESTION = insert(QuestionRow).values(
    {
        name: bindparam(f"q_{name}", type_=_QUESTION_COLUMNS[name].type)
        for name in ("id", *_QUESTION_FIELDS)
    }
)
_COMPLAINT = insert(ComplaintRow)
# Built once; ids come back in the order of the rows.
_LOG = insert(QuestionRow).returning(QuestionRow.id, sort_by_parameter_order=True)


def _complaint_values(record: ComplaintRecord) -> dict[str, Any]:
    return {name: getattr(record, name) for name in _COMPLAINT_COLUMNS}


def _question_values(record: QuestionRecord) -> dict[str, Any]:
    return {
        "created_at": record.created_at,
        "channel": record.channel,
        "user_hash": record.user_hash,
        "text_redacted": record.text_redacted,
        "normalized": record.normalized,
        "action": record.action,
        "faq_id": record.faq_id,
        "score": record.score,
        "candidates": [{"faq_id": c.faq_id, "score": c.score} for c in record.candidates],
        "latency_ms": record.latency_ms,
        "kb_version": record.kb_version,
        "flags": list(record.flags),
        "office_id": record.office_id,
    }


def _feedback_upsert(dialect: str, record: FeedbackRecord) -> ReturningInsert[tuple[int]]:
    # INSERT ... SELECT ... WHERE EXISTS makes an unknown question id (or someone else's
    # question) insert nothing and return no row, instead of failing on the foreign key, in
    # one atomic statement.
    columns = FeedbackRow.__table__.c
    source = select(
        *(literal(getattr(record, name), columns[name].type) for name in _FEEDBACK_COLUMNS)
    ).where(
        # Only the applicant who asked may judge the answer: callback data can be forged.
        exists().where(
            QuestionRow.id == record.question_id, QuestionRow.user_hash == record.user_hash
        )
    )
    dialect_insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = dialect_insert(FeedbackRow).from_select(_FEEDBACK_COLUMNS, source)
    excluded = statement.excluded
    return statement.on_conflict_do_update(
        index_elements=["question_id", "user_hash"],
        set_={"helpful": excluded.helpful, "created_at": excluded.created_at},
    ).returning(FeedbackRow.id)
