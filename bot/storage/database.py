"""Engines and migrations: turn a database URL into a ready, migrated `AsyncEngine`.

Nothing connects at import time; `open_database` is what the application calls on start.
"""

from __future__ import annotations

import asyncio
import logging
import weakref
from collections.abc import Callable
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import URL, Connection, Engine, event, make_url
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlalchemy.pool import ConnectionPoolEntry

from bot.storage.errors import translate_errors
from bot.storage.lane import Lane

logger = logging.getLogger(__name__)

# What `alembic` run by hand migrates when DATABASE_URL is unset (the bot itself takes its
# default from config, beside its data directory).
DEFAULT_URL = "sqlite+aiosqlite:///data/tanya_paspor.db"

# The repository root holds pyproject.toml ([tool.alembic]) and alembic/; resolving it from
# this file, not the working directory, lets migrations run from anywhere.
PYPROJECT = Path(__file__).resolve().parents[2] / "pyproject.toml"

_SQLITE = "sqlite+aiosqlite"
_POSTGRES = "postgresql+asyncpg"
_DRIVERS = {
    "sqlite": _SQLITE,
    _SQLITE: _SQLITE,
    "postgres": _POSTGRES,
    "postgresql": _POSTGRES,
    _POSTGRES: _POSTGRES,
}

# The data directory and the database hold raw messages not handled yet: owner only.
OWNER_ONLY_DIR, OWNER_ONLY_FILE = 0o700, 0o600
# SQLite creates these beside the database with the database file's own mode.
_SQLITE_SIDE_FILES = ("-wal", "-shm", "-journal")

# 16 webhook calls in flight per worker under the load benchmark, plus the background loops,
# the log's group commit and the health probe.
POOL_SIZE = 24
POOL_RECYCLE_SECONDS = 1800
# The one-statement connections' look-ups are by key: a plan made once per connection serves
# them all (PostgreSQL's default plans a prepared statement anew on each of its first five
# runs, and again whenever it judges a fresh plan cheaper).
_GENERIC = {"plan_cache_mode": "force_generic_plan"}

_SQLITE_PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=NORMAL",
    # SQLite forgets foreign_keys per connection, so ON DELETE CASCADE needs it every time.
    "PRAGMA foreign_keys=ON",
    "PRAGMA busy_timeout=5000",
)


def normalise_url(url: str) -> str:
    """Return `url` with the async driver this app uses (aiosqlite or asyncpg)."""
    scheme, sep, rest = url.strip().partition("://")
    driver = _DRIVERS.get(scheme.lower())
    if not sep or driver is None:
        raise ValueError(
            f"unsupported database URL scheme {scheme!r}: use sqlite:///path or postgresql://..."
        )
    return f"{driver}://{rest}"


def create_engine(url: str, *, pool_size: int = POOL_SIZE) -> AsyncEngine:
    """Build an engine for `url` with this app's SQLite pragmas or PostgreSQL pool settings.

    Bound parameters are hidden from error messages: they carry officers' names, chat ids
    and applicants' texts, and a logged traceback would otherwise print them.
    """
    parsed = make_url(normalise_url(url))
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(parsed)
    # Most of a message's statements run on the lane (measured under the load benchmarks:
    # 16 connections in use per worker there), so it gets the full size; the one-statement
    # work it leaves (claims among keys, health probes, id blocks) needs few.
    engine = _postgres_engine(parsed, max(1, pool_size // 2), "tanya-paspor")
    sibling = _postgres_engine(
        parsed, max(1, pool_size // 4), "tanya-paspor-autocommit", _GENERIC,
        isolation_level="AUTOCOMMIT",
    )  # fmt: skip
    _AUTOCOMMIT[engine.sync_engine] = sibling
    settings = {"application_name": "tanya-paspor-lane", **_GENERIC}
    lane = _LANES[engine.sync_engine] = Lane(
        parsed, engine.dialect, size=pool_size, settings=settings, recycle=POOL_RECYCLE_SECONDS
    )
    # Disposing the engine (tests, shutdown) closes the sibling's and the lane's connections.
    event.listen(engine.sync_engine, "engine_disposed", lambda _: sibling.sync_engine.dispose())
    event.listen(engine.sync_engine, "engine_disposed", lambda _: lane.close())
    return engine


def autocommit(engine: AsyncEngine) -> AsyncEngine:
    """Where `engine`'s one-statement work runs (`bot.storage.base.one_statement`). On
    PostgreSQL, a pool of its own whose connections run each statement as its own transaction
    (asyncpg then sends no BEGIN and no COMMIT); an option engine on the shared pool would
    set and reset the isolation level on every checkout, ~45 µs of CPU each (issue 22).
    SQLite's transactions are local calls: it keeps them."""
    if engine.dialect.name != "postgresql":
        return engine
    sibling = _AUTOCOMMIT.get(engine.sync_engine)
    if sibling is None:  # an engine made elsewhere (a test's, Alembic's)
        return engine.execution_options(isolation_level="AUTOCOMMIT")
    return sibling


def lane(engine: AsyncEngine) -> Lane | None:
    """Where `engine`'s hottest one-statement work runs on PostgreSQL (`bot.storage.lane`);
    None on SQLite and for an engine made elsewhere."""
    return _LANES.get(engine.sync_engine)


_AUTOCOMMIT: weakref.WeakKeyDictionary[Engine, AsyncEngine] = weakref.WeakKeyDictionary()
_LANES: weakref.WeakKeyDictionary[Engine, Lane] = weakref.WeakKeyDictionary()


def _postgres_engine(
    url: URL, pool_size: int, name: str, settings: dict[str, str] | None = None, **options: str
) -> AsyncEngine:
    return create_async_engine(
        url,
        hide_parameters=True,
        # The name tells each pool's connections apart in pg_stat_activity.
        connect_args={"server_settings": {"application_name": name, **(settings or {})}},
        # At least the connections a worker uses at once: a connection beyond the pool is
        # closed when given back, and each new one is a new PostgreSQL backend.
        pool_size=pool_size,
        max_overflow=pool_size // 4,
        # No pre-ping: it cost a `BEGIN; ; ROLLBACK` round trip on every checkout. A
        # connection that died under us fails its one statement (StorageError, which every
        # caller already survives) and SQLAlchemy then discards the whole pool, so the next
        # checkout connects afresh; recycling retires connections a server or proxy may drop.
        pool_pre_ping=False,
        pool_recycle=POOL_RECYCLE_SECONDS,
        **options,
    )


def _sqlite_engine(url: URL) -> AsyncEngine:
    path = sqlite_file(url)
    if path is not None:
        _owner_only(path)
    engine = create_async_engine(url, connect_args={"timeout": 30}, hide_parameters=True)
    event.listen(engine.sync_engine, "connect", _set_sqlite_pragmas)
    return engine


def sqlite_file(url: URL) -> Path | None:
    """The SQLite database file of `url`; None for in-memory databases and PostgreSQL."""
    if url.get_backend_name() != "sqlite":
        return None
    database = url.database or ""
    in_memory = database in ("", ":memory:") or url.query.get("mode") == "memory"
    # URI filenames ("file:...?uri=true") are left to SQLite; they are a test-only form here.
    if in_memory or database.startswith("file:"):
        return None
    return Path(database)


def _owner_only(path: Path) -> None:
    """Create the database file (and its directory) for the owner only before SQLite opens it,
    so the files SQLite adds take that mode too; tighten files an older version left open."""
    path.parent.mkdir(mode=OWNER_ONLY_DIR, parents=True, exist_ok=True)
    path.touch(mode=OWNER_ONLY_FILE)  # an empty file is a new database to SQLite
    for file in (path, *(path.with_name(path.name + side) for side in _SQLITE_SIDE_FILES)):
        try:
            file.chmod(OWNER_ONLY_FILE)
        except FileNotFoundError:
            continue
        except PermissionError:  # another user's file: theirs to fix, not a reason to stop
            logger.warning("cannot make %s readable by its owner only", file)


def _set_sqlite_pragmas(dbapi_connection: DBAPIConnection, _record: ConnectionPoolEntry) -> None:
    cursor = dbapi_connection.cursor()
    try:
        for pragma in _SQLITE_PRAGMAS:
            cursor.execute(pragma)
    finally:
        cursor.close()


def alembic_config() -> Config:
    """The Alembic configuration from the repository's pyproject.toml."""
    return Config(toml_file=PYPROJECT)


_Command = Callable[[Config, str], None]


def _run_alembic(connection: Connection, operation: _Command, revision: str) -> None:
    # Connection sharing: env.py migrates on this connection instead of opening its own,
    # which is what lets Alembic's sync commands run inside async code.
    config = alembic_config()
    config.attributes["connection"] = connection
    operation(config, revision)


async def upgrade(engine: AsyncEngine, revision: str = "head") -> None:
    """Migrate the database behind `engine` up to `revision` (default: the newest)."""
    with translate_errors("database upgrade"):
        async with engine.begin() as connection:
            await connection.run_sync(_run_alembic, command.upgrade, revision)


async def downgrade(engine: AsyncEngine, revision: str = "base") -> None:
    """Migrate the database behind `engine` down to `revision` (default: empty)."""
    with translate_errors("database downgrade"):
        async with engine.begin() as connection:
            await connection.run_sync(_run_alembic, command.downgrade, revision)


async def open_database(url: str, *, pool_size: int = POOL_SIZE) -> AsyncEngine:
    """Create the engine and bring the schema up to date; creates a new database on first start."""
    engine = create_engine(url, pool_size=pool_size)
    try:
        await upgrade(engine)
    except BaseException:
        await engine.dispose()
        raise
    return engine


def upgrade_sync(url: str) -> None:
    """Migrate the database at `url` to the newest revision; for the command line."""
    asyncio.run(_open_and_close(url))


async def _open_and_close(url: str) -> None:
    engine = await open_database(url)
    await engine.dispose()
