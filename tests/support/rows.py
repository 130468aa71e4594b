"""Reads of the database that only tests make, straight from the tables (the bot never needs
them, so the stores do not offer them)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.core.vocabulary import Candidate, FeedbackRecord, QuestionRecord
from bot.storage.errors import translate_errors
from bot.storage.tables import FeedbackRow, QuestionRow
from bot.storage.tables_queue import InboxRow, OutboxRow


@asynccontextmanager
async def reading(store: Any) -> AsyncIterator[AsyncConnection]:
    """A connection on the engine under any of the stores (`Store`, `QueueStore`, ...);
    database failures surface as `StorageError`, as they do from the stores."""
    with translate_errors("reading for a test"):
        async with store._engine.connect() as connection:
            yield connection


async def count_questions(store: Any) -> int:
    """How many questions are logged."""
    async with reading(store) as connection:
        count = await connection.scalar(select(func.count()).select_from(QuestionRow))
    return count or 0


async def recent_questions(store: Any, limit: int = 20) -> list[QuestionRecord]:
    """The newest `limit` questions, newest first."""
    statement = (
        select(QuestionRow)
        .order_by(QuestionRow.created_at.desc(), QuestionRow.id.desc())
        .limit(limit)
    )
    async with reading(store) as connection:
        rows = (await connection.execute(statement)).all()
    return [_question_record(row) for row in rows]


async def feedback_for(store: Any, question_id: int) -> list[FeedbackRecord]:
    """All current feedback on one question, oldest first."""
    statement = (
        select(FeedbackRow)
        .where(FeedbackRow.question_id == question_id)
        .order_by(FeedbackRow.created_at, FeedbackRow.id)
    )
    async with reading(store) as connection:
        rows = (await connection.execute(statement)).all()
    return [
        FeedbackRecord(row.question_id, row.helpful, row.user_hash, row.created_at) for row in rows
    ]


async def failed_replies(queue: Any) -> list[tuple[str, str, str]]:
    """(channel, created at, error) of every reply given up, newest first."""
    statement = (
        select(OutboxRow.channel, OutboxRow.created_at, OutboxRow.error)
        .where(OutboxRow.status == "failed")
        .order_by(OutboxRow.id.desc())
    )
    async with reading(queue) as connection:
        rows = await connection.execute(statement)
        return [(r[0], r[1].isoformat(), r[2] or "") for r in rows]


async def pending_counts(queue: Any) -> tuple[int, int]:
    """(updates, replies) still pending in the durable queue."""
    async with reading(queue) as connection:
        inbox = await connection.scalar(_pending(InboxRow))
        outbox = await connection.scalar(_pending(OutboxRow))
    return inbox or 0, outbox or 0


def _pending(table: type[InboxRow] | type[OutboxRow]) -> Any:
    return select(func.count()).select_from(table).where(table.status == "pending")


def _question_record(row: Any) -> QuestionRecord:
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
        office_id=row.office_id,
        created_at=row.created_at,
    )


async def open_ticket(store: Any, chat_id: str, *, channel: str = "telegram") -> int:
    """A ticket opened for `chat_id` with nothing in it but a question; its id."""
    ticket = await store.open_ticket(
        channel=channel,
        chat_id=chat_id,
        user_hash="u" * 64,
        question="q",
        guesses=(),
        context=(),
    )
    return int(ticket.id)


async def failed_texts(queue: Any) -> list[str]:
    """The text kept of every reply given up, newest first."""
    statement = select(OutboxRow.reply).where(OutboxRow.status == "failed")
    async with reading(queue) as connection:
        rows = await connection.execute(statement.order_by(OutboxRow.id.desc()))
        return [str(r[0]["text"]) for r in rows]
