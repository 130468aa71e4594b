"""Group commit: concurrent callers share a transaction and each gets its own id."""

from __future__ import annotations

import asyncio
import dataclasses

from support.records import question as a_question
from support.rows import count_questions, recent_questions

from bot.core.vocabulary import QuestionRecord
from bot.storage import StorageError, Store
from bot.storage.batch import BatchedLog


def question(text: str) -> QuestionRecord:
    return a_question(text_redacted=text, normalized=text)


async def test_concurrent_callers_get_their_own_ids(store: Store) -> None:
    log = BatchedLog(store, max_batch=16)
    texts = [f"pertanyaan {n}" for n in range(100)]
    ids = await asyncio.gather(*(log.log_question(question(t)) for t in texts))
    assert len(set(ids)) == 100
    stored = {r.text_redacted for r in await recent_questions(store, limit=100)}
    assert stored == set(texts)
    by_id = dict(zip(ids, texts, strict=True))
    newest = await recent_questions(store, limit=1)
    assert newest[0].text_redacted == by_id[max(ids)]


async def test_a_failed_batch_reaches_every_waiter(store: Store) -> None:
    log = BatchedLog(store)
    bad = dataclasses.replace(
        question("x"), created_at=question("x").created_at.replace(tzinfo=None)
    )
    results = await asyncio.gather(
        log.log_question(question("ok")), log.log_question(bad), return_exceptions=True
    )
    assert all(isinstance(r, StorageError) for r in results)
    await log.drain()
    assert await log.log_question(question("later")) > 0


async def test_drain_waits_for_pending_writes(store: Store) -> None:
    log = BatchedLog(store, max_wait=0.05)
    task = asyncio.create_task(log.log_question(question("pending")))
    await asyncio.sleep(0)
    await log.drain()
    assert await count_questions(store) == 1
    assert task.done()
