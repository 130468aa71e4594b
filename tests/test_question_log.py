"""The in-memory log the core tests use keeps the store's contract: the same checks, through
the `QuestionLog` protocol only, on `MemoryLog` and on the store over SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable

import pytest
from support.memory_log import MemoryLog
from support.records import question as a_question

from bot.core.vocabulary import FeedbackRecord, QuestionLog, QuestionRecord
from bot.storage import Store

T0 = dt.datetime(2025, 3, 1, 9, 30, tzinfo=dt.UTC)
ASKER, OTHER = "a" * 64, "b" * 64


def question(user_hash: str, minute: int) -> QuestionRecord:
    return a_question(user_hash=user_hash, created_at=T0 + dt.timedelta(minutes=minute))


async def feedback_only_from_the_asker(log: QuestionLog) -> None:
    first, second = (
        await log.log_question(question(ASKER, 0)),
        await log.log_question(question(OTHER, 0)),
    )
    assert min(first, second) > 0
    assert first != second
    assert await log.add_feedback(FeedbackRecord(first, True, ASKER))
    assert await log.add_feedback(FeedbackRecord(first, False, ASKER))  # a changed mind
    assert not await log.add_feedback(FeedbackRecord(first, True, OTHER))
    assert not await log.add_feedback(FeedbackRecord(max(first, second) + 1, True, ASKER))


async def messages_since_counts_one_user_inclusively(log: QuestionLog) -> None:
    for minute in range(5):
        await log.log_question(question(ASKER, minute))
    await log.log_question(question(OTHER, 3))
    assert await log.messages_since(ASKER, T0 + dt.timedelta(minutes=2)) == 3
    assert await log.messages_since(ASKER, T0 + dt.timedelta(hours=1)) == 0
    assert await log.messages_since("c" * 64, T0) == 0


Check = Callable[[QuestionLog], Awaitable[None]]
CHECKS = [feedback_only_from_the_asker, messages_since_counts_one_user_inclusively]


@pytest.mark.parametrize("check", CHECKS)
async def test_the_store_keeps_the_contract(store: Store, check: Check) -> None:
    await check(store)


@pytest.mark.parametrize("check", CHECKS)
async def test_the_memory_log_keeps_the_contract(check: Check) -> None:
    await check(MemoryLog())
