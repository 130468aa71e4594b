"""Question ids taken ahead from PostgreSQL's own sequence, a block at a time (issue 22).

A question logged while the inbox handles an update is written with that update's
completion (`bot.delivery.vocabulary.deferring`), but the reply needs its id first (the
feedback buttons carry it): the id comes from here. One statement serves `BLOCK` questions,
and other writers, taking ids from the same sequence, can never collide with them. Ids of a
block a process did not use are skipped (after a restart), as PostgreSQL's own sequence cache
does; the log is ordered by time, not by id. SQLite has no sequence: it logs at once.
"""

from __future__ import annotations

import asyncio
from collections import deque

from sqlalchemy import bindparam, text
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.storage.database import autocommit
from bot.storage.errors import translate_errors

BLOCK = 64
_NEXT = text(
    "SELECT nextval(pg_get_serial_sequence('questions', 'id')) FROM generate_series(1, :n)"
).bindparams(bindparam("n", BLOCK))


class QuestionIds:
    """Hands out question ids on PostgreSQL; `take` gives None on other databases."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._usable = engine.dialect.name == "postgresql"
        # One statement: no BEGIN/COMMIT around it.
        self._engine = autocommit(engine)
        self._free: deque[int] = deque()
        self._lock = asyncio.Lock()

    async def take(self) -> int | None:
        """A question id nobody else will be given; StorageError when the database fails."""
        if not self._usable:
            return None
        while not self._free:  # several waiters may empty a fresh block before this one
            async with self._lock:
                if not self._free:
                    await self._refill()
        return self._free.popleft()

    async def _refill(self) -> None:
        with translate_errors("reserving question ids"):
            async with self._engine.connect() as connection:
                self._free.extend((await connection.execute(_NEXT)).scalars())
