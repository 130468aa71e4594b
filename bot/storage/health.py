"""Is the database really usable? For /healthz and the upkeep loop.

"SELECT 1" answers on a full disk, a read-only file and a SQLite file whose directory was
deleted (the open connection keeps writing to the unlinked inode, so every later question is
lost with it). So the check writes: a committed one-row upsert (an I/O error or a read-only
file fails it) and a 8 KiB row that needs fresh pages and is rolled back (a full disk or
database fails it, and nothing is left behind). For SQLite it also checks that the path still
names the file the process opened.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.storage.base import StoreBase
from bot.storage.database import sqlite_file
from bot.storage.errors import StorageError, translate_errors
from bot.storage.tables_ops import NoticeRow, ScheduleRow

logger = logging.getLogger(__name__)

OK, UNWRITABLE, LOST = "ok", "unwritable", "lost"
PROBE = "healthz"
PROBE_BYTES = 8192  # more than a page: the insert must allocate


class DatabaseHealth(StoreBase):
    """Checks writability (and, for SQLite, the file's identity); logs each change of state."""

    def __init__(self, engine: AsyncEngine) -> None:
        super().__init__(engine)
        self._path = sqlite_file(engine.url)
        self._identity = _identity(self._path) if self._path is not None else None
        self.state = OK

    async def check(self) -> str:
        """ "ok", "lost" (the SQLite file is gone or replaced) or "unwritable"."""
        state = LOST if self._lost() else await self._write_probe()
        if state != self.state:
            if state == OK:
                logger.warning("database is writable again")
            elif state == LOST:
                logger.error(
                    "DATABASE FILE LOST: %s no longer is the file this process opened; "
                    "everything written from now on is lost. Restore it and restart.",
                    self._path,
                )
            else:
                logger.error("database is not writable (disk full, read-only or down)")
        self.state = state
        return state

    async def usable(self) -> bool:
        """Whether the database takes writes now (for the question log's buffer)."""
        return await self.check() == OK

    def _lost(self) -> bool:
        if self._path is None or self._identity is None:
            return False
        return _identity(self._path) != self._identity

    async def _write_probe(self) -> str:
        now = self._now()
        upsert = (
            self._insert(ScheduleRow)
            .values(name=PROBE, next_run_at=now, last_run_at=now)
            .on_conflict_do_update(index_elements=["name"], set_={"last_run_at": now})
        )
        row = {"key": PROBE, "text": "x" * PROBE_BYTES, "set_at": now, "set_by": PROBE}
        try:
            with translate_errors("health probe"):
                async with self._engine.begin() as connection:
                    await connection.execute(upsert)
                async with self._engine.connect() as connection, connection.begin() as probe:
                    await connection.execute(insert(NoticeRow).values(row))
                    await probe.rollback()
        except StorageError as exc:
            logger.debug("health probe failed: %s", exc.__cause__)
            return UNWRITABLE
        return OK


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return stat.st_dev, stat.st_ino
