"""The question log: stores `bot.model` records and hands back `bot.model` records, never rows."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import exists, func, insert, literal, select, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker
from sqlalchemy.sql.dml import ReturningInsert

from bot.model import Candidate, FeedbackRecord, QuestionRecord
from bot.storage.errors import StorageError, translate_errors
from bot.storage.tables import FeedbackRow, QuestionRow

_FEEDBACK_COLUMNS = ("question_id", "helpful", "user_hash", "created_at")


class Store:
    """Async question log over an engine; satisfies `bot.model.QuestionLog`.

    The store owns the engine from here on: `close()` disposes of it.
    """

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        # An expired attribute would be reloaded on access, and an async session cannot do
        # that implicitly (MissingGreenlet); rows are only read before the session ends anyway.
        self._sessions = async_sessionmaker(engine, expire_on_commit=False)

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
        statement = insert(QuestionRow).returning(QuestionRow.id, sort_by_parameter_order=True)
        with translate_errors("logging questions"):
            async with self._engine.begin() as connection:
                if len(values) == 1:
                    result = await connection.execute(statement.values(values[0]))
                else:
                    result = await connection.execute(statement, values)
                return list(result.scalars())

    async def add_feedback(self, record: FeedbackRecord) -> bool:
        """Store feedback, replacing this user's earlier verdict; False if the id is unknown."""
        with translate_errors("storing feedback"):
            async with self._sessions.begin() as session:
                statement = _feedback_upsert(self._engine.dialect.name, record)
                result = await session.execute(statement)
                return result.first() is not None

    async def count_questions(self) -> int:
        """How many questions are logged."""
        with translate_errors("counting questions"):
            async with self._sessions() as session:
                count = await session.scalar(select(func.count()).select_from(QuestionRow))
        return count or 0

    async def recent_questions(self, limit: int = 20) -> list[QuestionRecord]:
        """The newest `limit` questions, newest first."""
        statement = (
            select(QuestionRow)
            .order_by(QuestionRow.created_at.desc(), QuestionRow.id.desc())
            .limit(limit)
        )
        with translate_errors("reading questions"):
            async with self._sessions() as session:
                rows = await session.scalars(statement)
                return [_question_record(row) for row in rows]

    async def feedback_for(self, question_id: int) -> list[FeedbackRecord]:
        """All current feedback on one question, oldest first."""
        statement = (
            select(FeedbackRow)
            .where(FeedbackRow.question_id == question_id)
            .order_by(FeedbackRow.created_at, FeedbackRow.id)
        )
        with translate_errors("reading feedback"):
            async with self._sessions() as session:
                rows = await session.scalars(statement)
                return [_feedback_record(row) for row in rows]

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
    }


def _question_record(row: QuestionRow) -> QuestionRecord:
    return QuestionRecord(
        channel=row.channel,
        user_hash=row.user_hash,
        text_redacted=row.text_redacted,
        normalized=row.normalized,
        action=row.action,
        faq_id=row.faq_id,
        score=row.score,
        candidates=tuple(Candidate(c["faq_id"], float(c["score"])) for c in row.candidates),
        latency_ms=row.latency_ms,
        kb_version=row.kb_version,
        flags=tuple(row.flags),
        created_at=row.created_at,
    )


def _feedback_record(row: FeedbackRow) -> FeedbackRecord:
    return FeedbackRecord(
        question_id=row.question_id,
        helpful=row.helpful,
        user_hash=row.user_hash,
        created_at=row.created_at,
    )


def _feedback_upsert(dialect: str, record: FeedbackRecord) -> ReturningInsert[tuple[int]]:
    # INSERT ... SELECT ... WHERE EXISTS makes an unknown question id insert nothing (and
    # return no row) instead of failing on the foreign key, in one atomic statement.
    columns = FeedbackRow.__table__.c
    source = select(
        *(literal(getattr(record, name), columns[name].type) for name in _FEEDBACK_COLUMNS)
    ).where(exists().where(QuestionRow.id == record.question_id))
    dialect_insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = dialect_insert(FeedbackRow).from_select(_FEEDBACK_COLUMNS, source)
    excluded = statement.excluded
    return statement.on_conflict_do_update(
        index_elements=["question_id", "user_hash"],
        set_={"helpful": excluded.helpful, "created_at": excluded.created_at},
    ).returning(FeedbackRow.id)
