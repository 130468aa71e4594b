"""The bookkeeping a handler leaves (its logged question, a complaint) is written with its
update's completion, in one transaction: an update left for a retry leaves no logged question
behind (handled again, it is logged once), and a refused bookkeeping row does not hold the
update or its chat. On PostgreSQL the question's id is reserved ahead from its sequence;
SQLite cannot, and logs the question at once, as before."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine
from support.records import question as logged
from support.rows import count_questions, pending_counts, reading

from bot.core.errors import StorageError
from bot.core.vocabulary import ComplaintRecord, QuestionRecord
from bot.delivery.pipeline import InboxWorker
from bot.delivery.vocabulary import InboxUpdate, Outgoing, deferred
from bot.storage import Store
from bot.storage.batch import BatchedLog
from bot.storage.queue import QueueStore
from bot.storage.tables import ComplaintRow, QuestionRow

from .fakes import to, update

WHEN = dt.datetime(2026, 12, 7, 8, 0, tzinfo=dt.UTC)


def question(text: str) -> QuestionRecord:
    return logged(
        text_redacted=text,
        normalized=text,
        action="fallback",
        faq_id=None,
        score=0.1,
        created_at=WHEN,
    )


class Logging:
    """A handler that logs each message as a question and answers with its id; it fails on
    cue after logging (as a turn whose later step meets a database error)."""

    def __init__(self, log: BatchedLog, *, fail_once: bool = False) -> None:
        self.log, self.fail_once = log, fail_once
        self.ids: list[int] = []

    async def __call__(self, update: InboxUpdate) -> list[Outgoing]:
        question_id = await self.log.log_question(question(str(update.payload["text"])))
        self.ids.append(question_id)
        if self.fail_once:
            self.fail_once = False
            raise StorageError("database error after the question was logged")
        return [to(update.chat_id, f"#{question_id}")]


def postgres(engine: AsyncEngine) -> bool:
    return engine.dialect.name == "postgresql"


@pytest.fixture
def store(engine: AsyncEngine) -> Store:
    return Store(engine)


async def test_the_logged_question_is_stored_with_its_update(
    engine: AsyncEngine, store: Store
) -> None:
    queue, handler = QueueStore(engine), Logging(BatchedLog(store))
    await queue.accept([update(1), update(2, chat="2")])
    assert await InboxWorker(queue, {"test": handler}, {}).round() == 2
    async with reading(store) as connection:
        logged = set((await connection.execute(select(QuestionRow.id))).scalars())
    assert logged == set(handler.ids)
    assert len(logged) == 2
    assert await pending_counts(queue) == (0, 2)


async def test_an_update_left_for_a_retry_is_logged_once(
    engine: AsyncEngine, store: Store
) -> None:
    queue, handler = QueueStore(engine), Logging(BatchedLog(store), fail_once=True)
    worker = InboxWorker(queue, {"test": handler}, {}, lease=0.0)
    await queue.accept([update(1)])
    await worker.round()
    # PostgreSQL dropped the question with the failed handling; SQLite had written it.
    assert await count_questions(store) == (0 if postgres(engine) else 1)
    await worker.round()
    assert await count_questions(store) == (1 if postgres(engine) else 2)
    assert await pending_counts(queue) == (0, 1)


async def test_a_refused_bookkeeping_row_does_not_hold_its_update(
    engine: AsyncEngine, store: Store
) -> None:
    async def complains(update: InboxUpdate) -> list[Outgoing]:
        writes = deferred()
        assert writes is not None, "the inbox worker collects the handler's writes"
        # No such question: the foreign key refuses the row.
        heard = ComplaintRecord(10**9, "test", "keluhan", "antrean", None, "antre lama")
        writes.append(store.complaint_write(heard))
        return [to(update.chat_id, "terima kasih")]

    queue = QueueStore(engine)
    await queue.accept([update(1)])
    assert await InboxWorker(queue, {"test": complains}, {}).round() == 1
    assert await pending_counts(queue) == (0, 1)
    async with reading(store) as connection:
        complaints = await connection.scalar(select(func.count()).select_from(ComplaintRow))
    assert complaints == 0


async def test_reserved_question_ids_are_distinct_and_in_use_by_nobody(
    engine: AsyncEngine, store: Store
) -> None:
    if not postgres(engine):
        assert await store.reserve_question_id() is None  # SQLite logs at once instead
        return
    reserved = [await store.reserve_question_id() for _ in range(150)]  # beyond two blocks
    written = await store.log_question(question("langsung"))
    assert len(set(reserved)) == 150
    assert written not in reserved
    other = Store(engine)  # another worker's store: its own block
    assert await other.reserve_question_id() not in reserved
