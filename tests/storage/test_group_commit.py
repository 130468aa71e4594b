"""The group commit (issue 22): concurrent bookkeeping writes share one transaction, and one
the database refuses fails alone, on SQLite and PostgreSQL. On PostgreSQL writes of one
statement alike go to the lane together: one round trip (asyncpg's pipelined executemany), all
or none, no BEGIN/COMMIT."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine
from support.round_trips import counting, watching

from bot.storage.group_commit import group_commit
from bot.storage.whatsapp import WhatsAppStore

AT = dt.datetime(2026, 12, 7, 9, 0, tzinfo=dt.UTC)


def whatsapp(engine: AsyncEngine) -> WhatsAppStore:
    return WhatsAppStore(engine, chat_hash=lambda chat: f"h-{chat}")


async def test_writes_at_once_share_one_transaction(engine: AsyncEngine) -> None:
    store = whatsapp(engine)
    with watching(engine) as figures, counting():
        await asyncio.gather(*(store.touch_window(f"62812{n}", AT) for n in range(10)))
    if engine.dialect.name == "postgresql":
        assert (figures.begins, figures.statements) == (0, 1)
    else:
        assert (figures.begins, figures.statements) == (1, 10)
    for n in range(10):
        assert await store.last_inbound(f"62812{n}") == AT


async def test_a_refused_write_fails_alone(engine: AsyncEngine) -> None:
    store = whatsapp(engine)

    async def refused(connection: AsyncConnection) -> None:
        await connection.execute(text("INSERT INTO no_such_table VALUES (1)"))

    touches = [store.touch_window(f"62813{n}", AT) for n in range(3)]
    results = await asyncio.gather(
        *touches, group_commit(engine).run(refused), return_exceptions=True
    )
    assert results[:3] == [None, None, None]
    assert isinstance(results[3], DBAPIError)
    for n in range(3):
        assert await store.last_inbound(f"62813{n}") == AT


async def test_one_write_alone_raises_its_own_error(engine: AsyncEngine) -> None:
    async def refused(connection: AsyncConnection) -> None:
        await connection.execute(text("SELECT * FROM no_such_table"))

    with pytest.raises(DBAPIError):
        await group_commit(engine).run(refused)


async def test_a_reply_of_many_messages_records_them_all(engine: AsyncEngine) -> None:
    # More ids than the statements built one per row: one statement run once per row, which
    # must not be folded (it raised TypeError on PostgreSQL before).
    store = whatsapp(engine)
    ids = [f"wamid.{n}" for n in range(6)]
    await store.record_sent(ids, user_hash="u")
    for message_id in ids:
        delivery = await store.delivery(message_id)
        assert delivery is not None
        assert delivery.status == "accepted"


async def test_each_reply_of_a_batch_is_one_statement_on_postgres(engine: AsyncEngine) -> None:
    # As the sender does: a chat's window and a reply's record, together, for five chats.
    store, chats = whatsapp(engine), range(5)
    writes = [
        write
        for n in chats
        for write in (
            store.touch_window(f"62814{n}", AT),
            store.record_sent([f"w.{n}"], user_hash="u"),
        )
    ]
    with watching(engine) as figures, counting():
        await asyncio.gather(*writes)
    # Each pair folds (two kinds of step) into the same statement: five runs of it at once.
    if engine.dialect.name == "postgresql":
        assert (figures.begins, figures.statements) == (0, 1)
    else:
        assert (figures.begins, figures.statements) == (1, 10)
    for n in chats:
        assert await store.last_inbound(f"62814{n}") == AT
        assert await store.delivery(f"w.{n}") is not None


async def test_a_refused_run_of_alike_writes_is_tried_write_by_write(engine: AsyncEngine) -> None:
    # Alike writes run all or none; one the database refuses must not take the others with it.
    store = whatsapp(engine)
    await store.touch_window("62815", AT)
    too_long = "6" * 400  # beyond the column: refused by PostgreSQL (SQLite keeps it)
    chats = ["628150", too_long, "628152"]
    results = await asyncio.gather(
        *(store.touch_window(chat, AT) for chat in chats), return_exceptions=True
    )
    refused = engine.dialect.name == "postgresql"
    assert [isinstance(r, Exception) for r in results] == [False, refused, False]
    for chat in ("628150", "628152"):
        assert await store.last_inbound(chat) == AT
