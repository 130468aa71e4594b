"""Complaints and suggestions in the store, on SQLite and PostgreSQL: one per logged question,
written through the batched log too, and purged with their question."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.core.errors import StorageError
from bot.core.vocabulary import ComplaintRecord, QuestionRecord
from bot.storage import Store
from bot.storage.batch import BatchedLog
from bot.storage.purge import RetentionStore
from bot.storage.tables import ComplaintRow

WHEN = dt.datetime(2026, 11, 2, 3, 0, tzinfo=dt.UTC)


def question(text: str, at: dt.datetime = WHEN) -> QuestionRecord:
    return QuestionRecord(
        channel="telegram",
        user_hash="u" * 64,
        text_redacted=text,
        normalized=text,
        action="fallback",
        faq_id=None,
        score=0.1,
        candidates=(),
        latency_ms=1.0,
        kb_version="kb",
        created_at=at,
    )


def heard(question_id: int, text: str, at: dt.datetime = WHEN) -> ComplaintRecord:
    return ComplaintRecord(question_id, "telegram", "keluhan", "antrean", None, text, at)


async def rows(engine: AsyncEngine) -> list[tuple[int, str, str, str, str | None, str]]:
    columns = (ComplaintRow.question_id, ComplaintRow.kind, ComplaintRow.topic)
    more = (ComplaintRow.channel, ComplaintRow.faq_id, ComplaintRow.text_redacted)
    async with engine.connect() as connection:
        result = await connection.execute(select(*columns, *more).order_by(ComplaintRow.id))
        return [tuple(row) for row in result.all()]  # type: ignore[misc]


async def test_a_complaint_is_kept_once_per_question(engine: AsyncEngine) -> None:
    store = Store(engine)
    question_id = await store.log_question(question("antre lama, hp saya [TELEPON]"))
    record = ComplaintRecord(
        question_id, "whatsapp", "saran", "pembayaran", "batas-bayar", "bayar [TELEPON]", WHEN
    )
    await store.add_complaint(record)
    assert await rows(engine) == [
        (question_id, "saran", "pembayaran", "whatsapp", "batas-bayar", "bayar [TELEPON]")
    ]
    with pytest.raises(StorageError):
        await store.add_complaint(record)  # the same question twice is refused
    with pytest.raises(StorageError):
        await store.add_complaint(heard(question_id + 99, "x"))  # no such question


async def test_the_batched_log_writes_complaints_straight_through(engine: AsyncEngine) -> None:
    store = Store(engine)
    log = BatchedLog(store)
    question_id = await log.log_question(question("kursinya sedikit"))
    await log.add_complaint(heard(question_id, "kursinya sedikit"))
    assert [row[0] for row in await rows(engine)] == [question_id]
    await log.drain()


async def test_a_complaint_goes_with_its_question(engine: AsyncEngine) -> None:
    store = Store(engine)
    old = await store.log_question(question("antre lama banget", WHEN - dt.timedelta(days=40)))
    new = await store.log_question(question("parkir sempit banget"))
    await store.add_complaint(heard(old, "antre lama banget", WHEN - dt.timedelta(days=40)))
    await store.add_complaint(heard(new, "parkir sempit banget"))
    purged = await RetentionStore(engine, clock=lambda: WHEN).purge(older_than=dt.timedelta(30))
    assert purged.questions == 1
    assert [row[0] for row in await rows(engine)] == [new]
    async with engine.connect() as connection:
        assert await connection.scalar(select(func.count()).select_from(ComplaintRow)) == 1
