"""Store round trips on SQLite and PostgreSQL, against databases migrated by Alembic."""

from __future__ import annotations

import asyncio
import datetime as dt
from dataclasses import replace
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine
from support.rows import count_questions, feedback_for, recent_questions

from bot.core.vocabulary import Candidate, FeedbackRecord, QuestionLog, QuestionRecord
from bot.storage import StorageError, Store, create_engine

WIB = dt.timezone(dt.timedelta(hours=7), "WIB")
T0 = dt.datetime(2025, 3, 1, 9, 30, 15, 123456, tzinfo=dt.UTC)


def make_question(n: int = 0, **changes: Any) -> QuestionRecord:
    record = QuestionRecord(
        channel="telegram",
        user_hash=f"{n:064x}",
        text_redacted="Bagaimana cara daftar paspor baru? 🛂🇮🇩 biayanya berapa — Rp350.000?",
        normalized="bagaimana cara daftar paspor baru biaya berapa",
        action="answer",
        faq_id="daftar-paspor",
        score=0.8731,
        candidates=(Candidate("daftar-paspor", 0.8731), Candidate("biaya-paspor", 0.5125)),
        latency_ms=12.5,
        kb_version="2025-03-01.1",
        flags=("emoji", "nik_redacted"),
        created_at=T0 + dt.timedelta(seconds=n),
    )
    return replace(record, **changes)


async def test_the_core_can_log_through_the_store(store: Store) -> None:
    log: QuestionLog = store  # what the core is given, used only through its protocol
    record = make_question()
    assert await log.log_question(record) > 0
    since = record.created_at - dt.timedelta(seconds=1)
    assert await log.messages_since(record.user_hash, since) == 1


async def test_question_round_trip(store: Store) -> None:
    record = make_question()
    question_id = await store.log_question(record)

    assert question_id > 0
    assert await recent_questions(store) == [record]


async def test_question_without_answer_round_trip(store: Store) -> None:
    record = make_question(action="fallback", faq_id=None, score=0.0, candidates=(), flags=())
    await store.log_question(record)

    assert await recent_questions(store) == [record]


async def test_timestamps_read_back_timezone_aware_in_utc(store: Store) -> None:
    local = dt.datetime(2025, 3, 1, 16, 30, tzinfo=WIB)
    await store.log_question(make_question(created_at=local))

    (stored,) = await recent_questions(store)
    assert stored.created_at.utcoffset() == dt.timedelta(0)
    assert stored.created_at == local


async def test_naive_timestamp_is_rejected(store: Store) -> None:
    with pytest.raises(StorageError):
        await store.log_question(make_question(created_at=dt.datetime(2025, 3, 1, 9, 30)))


async def test_batch_logging_keeps_order_and_ids(store: Store) -> None:
    records = [make_question(n) for n in range(5)]
    ids = await store.log_questions(records)

    assert len(set(ids)) == 5
    assert ids == sorted(ids)
    assert await count_questions(store) == 5
    assert await recent_questions(store, limit=3) == records[:1:-1]


async def test_empty_batch_stores_nothing(store: Store) -> None:
    assert await store.log_questions([]) == []
    assert await count_questions(store) == 0


async def test_feedback_is_linked_and_replaced(store: Store) -> None:
    question = make_question()
    question_id = await store.log_question(question)
    first = FeedbackRecord(question_id, helpful=True, user_hash=question.user_hash, created_at=T0)
    later = replace(first, helpful=False, created_at=T0 + dt.timedelta(minutes=1))

    assert await store.add_feedback(first)
    assert await feedback_for(store, question_id) == [first]
    assert await store.add_feedback(later)
    assert await feedback_for(store, question_id) == [later]


async def test_feedback_from_someone_who_did_not_ask_is_refused(store: Store) -> None:
    question_id = await store.log_question(make_question())
    other = FeedbackRecord(question_id, helpful=False, user_hash="b" * 64, created_at=T0)

    assert await store.add_feedback(other) is False
    assert await feedback_for(store, question_id) == []


async def test_feedback_for_unknown_question_is_refused(store: Store) -> None:
    record = FeedbackRecord(question_id=999_999, helpful=True, user_hash="a" * 64)

    assert await store.add_feedback(record) is False
    assert await feedback_for(store, 999_999) == []


async def test_deleting_a_question_deletes_its_feedback(store: Store, engine: AsyncEngine) -> None:
    question_id = await store.log_question(make_question())
    await store.add_feedback(FeedbackRecord(question_id, helpful=True, user_hash="a" * 64))

    async with engine.begin() as connection:
        await connection.execute(text("DELETE FROM questions WHERE id = :id"), {"id": question_id})
    async with engine.connect() as connection:
        remaining = await connection.scalar(text("SELECT count(*) FROM feedback"))
    assert remaining == 0


async def test_concurrent_logging_stores_every_question(store: Store) -> None:
    ids = await asyncio.gather(*(store.log_question(make_question(n)) for n in range(50)))

    assert len(set(ids)) == 50
    assert await count_questions(store) == 50


async def test_ping(store: Store) -> None:
    assert await store.ping() is True


async def test_unmigrated_database_raises_storage_error(db_url: str) -> None:
    store = Store(create_engine(db_url))
    try:
        with pytest.raises(StorageError) as raised:
            await store.log_question(make_question())
        assert raised.value.__cause__ is not None
    finally:
        await store.close()


async def test_unreachable_server_fails_ping_and_raises_storage_error() -> None:
    # Port 1 on loopback refuses at once, so this needs no server and no timeout.
    store = Store(create_engine("postgresql://postgres@127.0.0.1:1/nowhere"))
    try:
        assert await store.ping() is False
        with pytest.raises(StorageError):
            await store.messages_since("a" * 64, dt.datetime.now(dt.UTC))
    finally:
        await store.close()
