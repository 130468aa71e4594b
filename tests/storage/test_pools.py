"""The PostgreSQL pools of an engine (issue 22): transactions on one, one-statement work on
an autocommit pool of its own and on the lane (`bot.storage.lane`), all closed by disposing
the engine."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlalchemy.pool import NullPool

from bot.storage.base import one_statement
from bot.storage.database import autocommit, create_engine, lane

_BY_POOL = text(
    "SELECT application_name, count(*) FROM pg_stat_activity"
    " WHERE application_name LIKE 'tanya-paspor%' GROUP BY 1"
)


async def connections(url: str) -> dict[str, int]:
    """The open connections of each of our pools, as the server sees them."""
    observer = create_async_engine(url, poolclass=NullPool)
    try:
        async with observer.connect() as connection:
            return {name: count for name, count in (await connection.execute(_BY_POOL)).all()}
    finally:
        await observer.dispose()


async def test_sqlite_keeps_one_engine() -> None:
    engine = create_async_engine("sqlite+aiosqlite://")
    try:
        assert autocommit(engine) is engine
    finally:
        await engine.dispose()


@pytest.fixture
async def pg_engine(postgres_url: str) -> AsyncIterator[AsyncEngine]:
    """The app's engine on the test PostgreSQL (no schema needed here)."""
    engine = create_engine(postgres_url)
    yield engine
    await engine.dispose()


@pytest.mark.postgres
async def test_a_statement_on_the_autocommit_pool_is_committed_alone(
    pg_engine: AsyncEngine,
) -> None:
    sibling = autocommit(pg_engine)
    assert sibling is not pg_engine
    table = f"lone_{uuid.uuid4().hex}"
    async with one_statement(sibling) as connection:
        await connection.execute(text(f"CREATE TABLE {table} (n int)"))
        await connection.execute(text(f"INSERT INTO {table} VALUES (1)"))
    # Never committed by us: in a transaction, leaving the block would have rolled it back.
    async with pg_engine.begin() as connection:
        assert (await connection.execute(text(f"SELECT n FROM {table}"))).scalar_one() == 1
        await connection.execute(text(f"DROP TABLE {table}"))


@pytest.mark.postgres
async def test_each_pool_is_named_and_disposing_the_engine_closes_them_all(
    pg_engine: AsyncEngine, postgres_url: str
) -> None:
    mode = text("SHOW plan_cache_mode")
    on_lane = lane(pg_engine)
    assert on_lane is not None
    async with pg_engine.connect() as held, autocommit(pg_engine).connect() as alone:
        # Reports (with ranges and partial indexes) keep PostgreSQL's choice of plan.
        assert (await held.execute(mode)).scalar_one() == "auto"
        assert (await alone.execute(mode)).scalar_one() == "force_generic_plan"
    assert [tuple(row.values()) for row in await on_lane.rows(mode, {})] == [
        ("force_generic_plan",)
    ]
    assert await connections(postgres_url) == {
        "tanya-paspor": 1,
        "tanya-paspor-autocommit": 1,
        "tanya-paspor-lane": 1,
    }
    await pg_engine.dispose()
    for _ in range(100):  # a backend leaves pg_stat_activity a moment after its client
        if not await connections(postgres_url):
            break
        await asyncio.sleep(0.02)
    assert await connections(postgres_url) == {}
