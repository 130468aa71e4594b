"""PostgreSQL's lane (issue 22): one-statement work on plain asyncpg connections, from the
same Core statements. Its rows must be what SQLAlchemy returns; its pool must share its
connections fairly, never leak one, and recover from connections the server closed."""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from collections.abc import AsyncIterator, Callable

import pytest
from sqlalchemy import bindparam, make_url, select, text
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.core.errors import StorageError
from bot.core.vocabulary import ChatQuery
from bot.delivery.vocabulary import InboxUpdate
from bot.storage.base import one_statement
from bot.storage.chat_reads import SNAPSHOT, snapshot_values
from bot.storage.database import autocommit, lane
from bot.storage.lane import Lane
from bot.storage.queue import QueueStore
from bot.storage.queue_sql import INBOX

# The engine fixture on PostgreSQL only: SQLite has no lane.
pytestmark = [pytest.mark.postgres, pytest.mark.parametrize("db_url", ["postgres"], indirect=True)]
NOW = dt.datetime.now(dt.UTC)
SLEEP = text("SELECT pg_sleep(:seconds)").bindparams(bindparam("seconds"))
ONE = text("SELECT 1 AS n")


@pytest.fixture
def pg(engine: AsyncEngine) -> AsyncEngine:
    return engine


@pytest.fixture
async def small(pg: AsyncEngine, postgres_url: str) -> AsyncIterator[Lane]:
    """A lane of two connections, apart from the engine's."""
    settings = {"application_name": "lane-test"}
    made = Lane(make_url(postgres_url), pg.dialect, size=2, settings=settings, recycle=1800)
    yield made
    made.close()


def counter(target: Lane, what: str) -> Callable[[], int]:
    seen = [0]
    target.hooks.append(lambda told: seen.__setitem__(0, seen[0] + (told == what)))
    return lambda: seen[0]


async def killed(engine: AsyncEngine, name: str) -> None:
    """The server ends every connection named `name`, as a restart would."""
    kill = text(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = :name"
    )
    async with engine.connect() as connection:
        await connection.execute(kill, {"name": name})
    await asyncio.sleep(0.2)  # the backends leave a moment after


async def test_rows_are_what_sqlalchemy_returns(pg: AsyncEngine) -> None:
    on_lane = lane(pg)
    assert on_lane is not None
    query = ChatQuery("telegram", "chat-1", "a" * 64, "c" * 64, NOW - dt.timedelta(minutes=1))
    payload = {"message": {"text": "halo", "list": [1, 2]}}
    await QueueStore(pg).accept([InboxUpdate("telegram:1", "telegram", "chat-1", payload)])
    stored = select(INBOX.c.key, INBOX.c.payload, INBOX.c.received_at, INBOX.c.lease_until)
    async with one_statement(autocommit(pg)) as connection:
        expected = [tuple(row) for row in (await connection.execute(stored)).all()]
        expected += [tuple((await connection.execute(SNAPSHOT, snapshot_values(query))).one())]
    got = [tuple(row.values()) for row in await on_lane.rows(stored, {})]
    got += [tuple((await on_lane.rows(SNAPSHOT, snapshot_values(query)))[0].values())]
    assert got == expected
    assert got[0][1] == payload  # JSON read back as what was stored
    assert got[0][2].tzinfo is not None  # timestamps timezone-aware, as UTCDateTime reads them


async def test_more_work_than_connections_takes_turns(small: Lane) -> None:
    connects = counter(small, "connect")
    results = await asyncio.gather(*(small.rows(SLEEP, {"seconds": 0.01}) for _ in range(20)))
    assert len(results) == 20
    assert connects() == 2


async def test_a_refused_row_is_sqlalchemys_error_and_keeps_its_connection(
    pg: AsyncEngine, small: Lane
) -> None:
    table = f"lane_{uuid.uuid4().hex}"
    async with pg.begin() as connection:
        await connection.execute(text(f"CREATE TABLE {table} (n int PRIMARY KEY)"))
    insert = text(f"INSERT INTO {table} VALUES (:n)").bindparams(bindparam("n"))
    connects = counter(small, "connect")
    await small.rows(insert, {"n": 1})
    with pytest.raises(IntegrityError):
        await small.rows(insert, {"n": 1})
    assert (await small.rows(ONE, {}))[0].n == 1
    assert connects() == 1


async def test_connections_the_server_closed_fail_one_statement_then_reconnect(
    pg: AsyncEngine, small: Lane
) -> None:
    await asyncio.gather(*(small.rows(SLEEP, {"seconds": 0.05}) for _ in range(2)))
    await killed(pg, "lane-test")
    connects = counter(small, "connect")
    with pytest.raises((OperationalError, OSError)):
        await small.rows(ONE, {})
    # The failure dropped the other idle connection too: the next statement connects anew.
    assert (await small.rows(ONE, {}))[0].n == 1
    assert connects() == 1


async def test_a_store_hears_a_closed_connection_as_a_storage_error(pg: AsyncEngine) -> None:
    queue = QueueStore(pg)
    await queue.sending("telegram")
    await killed(pg, "tanya-paspor-lane")
    with pytest.raises(StorageError):
        await queue.sending("telegram")
    assert await queue.sending("telegram") == []


async def test_a_cancelled_statement_gives_its_place_back(small: Lane) -> None:
    long = asyncio.create_task(small.rows(SLEEP, {"seconds": 30}))
    short = asyncio.create_task(small.rows(SLEEP, {"seconds": 0.6}))
    waiting = asyncio.create_task(small.rows(ONE, {}))  # no connection left: it waits
    await asyncio.sleep(0.3)
    waiting.cancel()  # cancelled while waiting: what `short` gives back must not go to it
    await asyncio.gather(waiting, return_exceptions=True)
    await short
    long.cancel()  # cancelled mid-statement: its connection is closed, not reused
    await asyncio.gather(long, return_exceptions=True)
    results = await asyncio.wait_for(asyncio.gather(small.rows(ONE, {}), small.rows(ONE, {})), 5)
    assert [rows[0].n for rows in results] == [1, 1]


async def test_a_statement_rendered_anew_each_run_is_left_to_sqlalchemy(pg: AsyncEngine) -> None:
    on_lane = lane(pg)
    assert on_lane is not None
    among = select(INBOX.c.id).where(INBOX.c.key.in_(bindparam("keys", expanding=True)))
    assert not on_lane.takes(among, {"keys": ["a"]})
    assert on_lane.takes(ONE, {})
    # A store's one-statement reads of such a statement still work (through SQLAlchemy).
    assert await QueueStore(pg).claim_updates(5, 60, keys=["telegram:none"]) == []


async def test_disposing_the_engine_closes_the_lane_and_it_reconnects_after(
    pg: AsyncEngine,
) -> None:
    on_lane = lane(pg)
    assert on_lane is not None
    await on_lane.rows(ONE, {})
    await pg.dispose()
    assert (await on_lane.rows(ONE, {}))[0].n == 1


async def test_a_connection_past_its_recycle_time_is_replaced_before_use(
    pg: AsyncEngine, postgres_url: str
) -> None:
    settings = {"application_name": "lane-test"}
    brief = Lane(make_url(postgres_url), pg.dialect, size=1, settings=settings, recycle=1.0)
    try:
        connects = counter(brief, "connect")
        await brief.rows(ONE, {})
        await brief.rows(ONE, {})
        assert connects() == 1
        await asyncio.sleep(1.2)  # idle past its recycle time
        assert (await brief.rows(ONE, {}))[0].n == 1
        assert connects() == 2
    finally:
        brief.close()
