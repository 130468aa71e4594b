"""`DatabaseHealth` on both backends: ok when writes work, "unwritable" when the database
cannot grow (SQLite's max_page_count, as on a full disk) or cannot be reached."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.storage import create_engine, open_database
from bot.storage.health import DatabaseHealth


async def test_a_writable_database_is_ok_and_the_probe_leaves_nothing(
    engine: AsyncEngine,
) -> None:
    health = DatabaseHealth(engine)
    assert await health.check() == "ok"
    assert await health.check() == "ok"


async def test_a_database_that_cannot_grow_is_unwritable(tmp_path: Path) -> None:
    engine = await open_database(f"sqlite+aiosqlite:///{tmp_path / 'full.db'}")
    health = DatabaseHealth(engine)
    assert await health.check() == "ok"

    def no_more_pages(connection: Any, _record: Any) -> None:
        cursor = connection.cursor()
        cursor.execute("PRAGMA page_count")
        pages = cursor.fetchone()[0]
        cursor.execute(f"PRAGMA max_page_count = {pages}")
        cursor.close()

    async with engine.connect() as connection:  # no free pages left to reuse
        await connection.exec_driver_sql("VACUUM")
    event.listen(engine.sync_engine, "connect", no_more_pages)
    await engine.dispose()  # every new connection gets the limit
    assert await health.check() == "unwritable"
    event.remove(engine.sync_engine, "connect", no_more_pages)
    await engine.dispose()
    assert await health.check() == "ok"
    await engine.dispose()


async def test_an_unreachable_postgres_is_unwritable() -> None:
    engine = create_engine("postgresql://nobody@127.0.0.1:9/none")
    assert await DatabaseHealth(engine).check() == "unwritable"
    await engine.dispose()
