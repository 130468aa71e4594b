"""Storing an update handled at once also reads what its handling reads first (issue 22): on
PostgreSQL the snapshot rides on the accepting statement, one round trip for both, and the
handling takes it instead of asking again. What it hands on must be what asking would give."""

from __future__ import annotations

import dataclasses
import datetime as dt

from sqlalchemy.ext.asyncio import AsyncEngine
from support.round_trips import counting, watching

from bot.core.vocabulary import NEVER, ChatQuery, ChatSnapshot, QuestionRecord
from bot.delivery.vocabulary import InboxUpdate
from bot.storage import Store
from bot.storage.chat_offices import ChatOfficeStore
from bot.storage.chat_reads import ReadAhead
from bot.storage.queue import QueueStore

from .helpers import open_one

NOW = dt.datetime.now(dt.UTC)
QUERY = ChatQuery("telegram", "chat-1", "a" * 64, "c" * 64, NOW - dt.timedelta(minutes=1))


def update(n: int, query: ChatQuery = QUERY) -> InboxUpdate:
    return InboxUpdate(f"telegram:{n}", "telegram", query.chat_id, {"n": n}, reads=query)


def asked(minutes_ago: float) -> QuestionRecord:
    when = NOW - dt.timedelta(minutes=minutes_ago)
    return QuestionRecord("telegram", "a" * 64, "halo", "halo", "chat", None, 0, (), 1, "v1",
                          created_at=when)  # fmt: skip


async def test_the_snapshot_read_while_storing_is_the_one_asking_gives(
    engine: AsyncEngine, store: Store
) -> None:
    await store.log_questions([asked(0.5), asked(0.2), asked(3)])  # two in the last minute
    await ChatOfficeStore(engine).choose("telegram", "c" * 64, "kalianda")
    with watching(engine) as figures, counting():
        new, [held] = await QueueStore(engine).accept([update(1)], hold=60)
    assert new == ["telegram:1"]
    asking = await store.snapshot(QUERY)
    assert asking.sent == 2
    assert asking.office is not None
    assert asking.ticket is None
    if engine.dialect.name == "postgresql":
        assert figures.statements == 1
        assert isinstance(held.reads, ReadAhead)
        assert held.reads.snapshot == asking
    else:  # SQLite runs no write inside a WITH: the handling asks itself
        assert held.reads == QUERY


async def test_a_redelivered_update_reads_nothing(engine: AsyncEngine) -> None:
    queue = QueueStore(engine)
    await queue.accept([update(1)], hold=60)
    assert await queue.accept([update(1)], hold=60) == ([], [])


async def test_an_update_behind_another_of_its_chat_hands_nothing_on(engine: AsyncEngine) -> None:
    queue = QueueStore(engine)
    await queue.accept([update(1)], hold=60)
    new, held = await queue.accept([update(2)], hold=60)
    assert new == ["telegram:2"]
    assert held == []  # the worker loop takes it, and reads then


async def test_a_chat_with_an_open_ticket_reads_the_ticket_in_its_handling(
    engine: AsyncEngine, store: Store
) -> None:
    await open_one(store, chat_id=QUERY.chat_id)
    _, [held] = await QueueStore(engine).accept([update(1)], hold=60)
    assert not isinstance(held.reads, ReadAhead)
    assert (await store.snapshot(QUERY)).ticket is not None


def test_what_was_read_ahead_is_taken_once_and_only_by_its_own_query() -> None:
    snapshot = ChatSnapshot(2, None, None)
    later = dataclasses.replace(QUERY, since=QUERY.since + dt.timedelta(milliseconds=5))
    assert ReadAhead(QUERY, snapshot).take(dataclasses.replace(QUERY, user_hash="b" * 64)) is None
    assert ReadAhead(QUERY, snapshot).take(dataclasses.replace(QUERY, since=NEVER)) is None
    ahead = ReadAhead(QUERY, snapshot)
    assert ahead.take(later) == snapshot  # its minute began a few milliseconds earlier
    assert ahead.take(later) is None  # a second read in the same handling asks the database
