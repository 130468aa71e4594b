"""Shared fixtures: every database test runs on SQLite and on a real PostgreSQL.

Fixtures:
- `postgres_url`  (session) URL of a PostgreSQL database owned by the tests:
  `TEST_POSTGRES_URL` if set (its public schema is wiped!), else a database on a throwaway
  server started from the local binaries.
- `db_url`        URL of an empty database, parametrised `sqlite` (a temp file) and `postgres`
  (`postgres_url` with its public schema dropped and recreated; marked `postgres`).
- `engine`        an `AsyncEngine` on `db_url`, migrated to head through Alembic.
- `store`         a `Store` on `engine`.
- `reserve_port`  `reserve_port()` is a loopback port held for a child process to listen on
  until the test ends (`support.ports`).

PostgreSQL tests are skipped when no server binaries exist, unless `REQUIRE_POSTGRES=1`,
which turns the skip into a failure (CI must not pass by skipping half the suite).
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path

import pytest

# tests/ is on sys.path (rootdir conftest, no tests/__init__.py), so helpers import by bare name.
from fakes.telegram_api import FakeTelegram
from postgres_server import find_bindir, start_server
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlalchemy.pool import NullPool
from support.ids import plain_id
from support.ports import held_ports
from telegram_harness import GROUP, polling_bot, settings_for

from bot.runtime.app import App
from bot.storage import Store, normalise_url, open_database


def pytest_make_parametrize_id(config: pytest.Config, val: object, argname: str) -> str | None:
    """Parametrised text values as plain ASCII ids (`plain_id`)."""
    return plain_id(val) if isinstance(val, str) else None


# PTB warns on every 429 unless the newer RetryAfter type is opted into (warnings are errors).
os.environ.setdefault("PTB_TIMEDELTA", "true")


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """URL of a PostgreSQL database that belongs to the tests (its public schema is reset)."""
    external = os.environ.get("TEST_POSTGRES_URL")
    if external:
        yield normalise_url(external)
        return
    bindir = find_bindir()
    if bindir is None:
        reason = "PostgreSQL server binaries (initdb, pg_ctl) not found"
        if os.environ.get("REQUIRE_POSTGRES") == "1":
            pytest.fail(f"{reason}, and REQUIRE_POSTGRES=1")
        pytest.skip(reason)
    server = start_server(bindir)
    yield server.url
    server.stop()


@pytest.fixture(
    params=[
        pytest.param("sqlite", id="sqlite"),
        pytest.param("postgres", id="postgres", marks=pytest.mark.postgres),
    ]
)
async def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """URL of an empty database on each backend."""
    if request.param == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path / 'tanya.db'}"
    # Looked up lazily so that SQLite-only runs (-m "not postgres") never start a server.
    url: str = request.getfixturevalue("postgres_url")
    await _reset_schema(url)
    return url


async def _reset_schema(url: str) -> None:
    # Emptying the schema takes milliseconds where CREATE DATABASE takes ~0.2 s per test.
    # Done before the test, not after, so a crashed run leaves nothing that matters.
    engine = create_async_engine(url, poolclass=NullPool)
    try:
        async with engine.begin() as connection:
            # asyncpg runs one statement per execute.
            await connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            await connection.execute(text("CREATE SCHEMA public"))
    finally:
        await engine.dispose()


@pytest.fixture
async def engine(db_url: str) -> AsyncIterator[AsyncEngine]:
    """An engine on a database migrated to head by Alembic, as the app does on start."""
    migrated = await open_database(db_url)
    yield migrated
    await migrated.dispose()


@pytest.fixture
def store(engine: AsyncEngine) -> Store:
    """A `Store` on the migrated test database; the `engine` fixture disposes of it."""
    return Store(engine)


@pytest.fixture
def reserve_port() -> Iterator[Callable[[], int]]:
    """Hands out loopback ports held until the test ends: no other program can take one
    before the child process binds it."""
    with held_ports() as reserve:
        yield reserve


@pytest.fixture
async def telegram() -> AsyncIterator[FakeTelegram]:
    """The fake Telegram Bot API on loopback, with the officers' group known to it."""
    async with FakeTelegram() as server:
        server.add_group(GROUP, "Petugas Imigrasi Kalianda")
        yield server


@pytest.fixture
def fake(telegram: FakeTelegram) -> FakeTelegram:
    """`telegram`, as Telegram's own tests call it (the other channels' tests call their own
    fake API `fake` or `graph`, and Telegram beside it `telegram`)."""
    return telegram


@pytest.fixture
async def bot(fake: FakeTelegram, db_url: str, tmp_path: Path) -> AsyncIterator[App]:
    """The real bot (PTB, core, database) long-polling the fake."""
    async with polling_bot(settings_for(fake, db_url, tmp_path)) as app:
        yield app
