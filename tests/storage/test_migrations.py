"""The Alembic migrations build exactly the schema the models describe, on both backends."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, inspect, text
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.runtime.schema import full_metadata
from bot.storage import create_engine, normalise_url, open_database, upgrade
from bot.storage.database import downgrade, upgrade_sync

# The storage tables and the channels' own (Instagram's live in its package).
METADATA = full_metadata()


def _schema_diff(connection: Connection) -> list[Any]:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return list(compare_metadata(context, METADATA))


def _table_names(connection: Connection) -> set[str]:
    return set(inspect(connection).get_table_names())


async def _diff(engine: AsyncEngine) -> list[Any]:
    async with engine.connect() as connection:
        return await connection.run_sync(_schema_diff)


async def _tables(engine: AsyncEngine) -> set[str]:
    async with engine.connect() as connection:
        return await connection.run_sync(_table_names)


async def test_upgrade_head_matches_the_models(db_url: str) -> None:
    engine = create_engine(db_url)
    try:
        assert await _tables(engine) == set()
        await upgrade(engine)
        assert await _diff(engine) == []
    finally:
        await engine.dispose()


async def test_downgrade_to_base_and_upgrade_again(engine: AsyncEngine) -> None:
    await downgrade(engine, "base")
    assert await _tables(engine) == {"alembic_version"}
    assert await _diff(engine) != []  # the comparison does see a missing schema

    await upgrade(engine)
    assert await _tables(engine) == {"alembic_version", *METADATA.tables}
    assert await _diff(engine) == []


async def test_upgrade_is_idempotent(engine: AsyncEngine) -> None:
    await upgrade(engine)
    assert await _diff(engine) == []


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("sqlite:///data/bot.db", "sqlite+aiosqlite:///data/bot.db"),
        ("sqlite:////var/lib/bot.db", "sqlite+aiosqlite:////var/lib/bot.db"),
        ("sqlite+aiosqlite:///data/bot.db", "sqlite+aiosqlite:///data/bot.db"),
        ("sqlite://", "sqlite+aiosqlite://"),
        ("postgresql://u:p@db:5432/bot", "postgresql+asyncpg://u:p@db:5432/bot"),
        ("postgres://u:p@db/bot", "postgresql+asyncpg://u:p@db/bot"),
        ("postgresql+asyncpg://u@db/bot", "postgresql+asyncpg://u@db/bot"),
        ("  PostgreSQL://u@db/bot\n", "postgresql+asyncpg://u@db/bot"),
    ],
)
def test_normalise_url(url: str, expected: str) -> None:
    assert normalise_url(url) == expected


@pytest.mark.parametrize(
    "url", ["mysql://u@db/bot", "postgresql+psycopg2://u@db/bot", "data/bot.db", ""]
)
def test_normalise_url_rejects_other_databases(url: str) -> None:
    with pytest.raises(ValueError, match="unsupported database URL"):
        normalise_url(url)


async def test_open_database_creates_missing_directory(tmp_path: Path) -> None:
    path = tmp_path / "not" / "yet" / "there.db"
    engine = await open_database(f"sqlite:///{path}")
    try:
        assert await _diff(engine) == []
        async with engine.connect() as connection:
            mode = await connection.scalar(text("PRAGMA journal_mode"))
            foreign_keys = await connection.scalar(text("PRAGMA foreign_keys"))
    finally:
        await engine.dispose()
    assert path.is_file()
    assert (mode, foreign_keys) == ("wal", 1)


def test_upgrade_sync_works_from_another_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The command line may run anywhere: the Alembic config must not depend on the cwd.
    monkeypatch.chdir(tmp_path)
    upgrade_sync("sqlite:///relative/bot.db")

    assert (tmp_path / "relative" / "bot.db").is_file()
