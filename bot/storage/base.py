"""What every part of the `Store` shares: the engine, a session factory and the clock."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractAsyncContextManager
from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession, async_sessionmaker

from bot.storage.database import autocommit, lane
from bot.storage.schema import Base

Clock = Callable[[], dt.datetime]


def utc_now() -> dt.datetime:
    """The current time, timezone-aware in UTC."""
    return dt.datetime.now(dt.UTC)


def one_statement(autocommit: AsyncEngine) -> AbstractAsyncContextManager[AsyncConnection]:
    """A connection for one statement on `autocommit` (`bot.storage.database.autocommit`).
    On PostgreSQL, where it runs each statement as its own transaction, a plain connection:
    `begin()` would add ~45 µs of CPU a statement and commit nothing. SQLite keeps its
    transaction."""
    if autocommit.dialect.name == "postgresql":
        return autocommit.connect()
    return autocommit.begin()


class StoreBase:
    """Holds the engine; the store's parts inherit from it so they share one pool and clock."""

    def __init__(self, engine: AsyncEngine, *, clock: Clock | None = None) -> None:
        self._engine = engine
        # An expired attribute would be reloaded on access, and an async session cannot do
        # that implicitly (MissingGreenlet); rows are only read before the session ends anyway.
        self._sessions: async_sessionmaker[AsyncSession] = async_sessionmaker(
            engine, expire_on_commit=False
        )
        # Injectable so tests can control every "now" the store writes.
        self._clock: Clock = clock or utc_now
        self._autocommit = autocommit(engine)
        self._lane = lane(engine)

    def _one(self) -> AbstractAsyncContextManager[AsyncConnection]:
        """A connection for work that is one statement (atomic on its own)."""
        return one_statement(self._autocommit)

    async def _single(self, statement: Any, values: Mapping[str, Any]) -> Sequence[Any]:
        """The rows of one statement run on its own (atomic alone): on PostgreSQL's lane
        (`bot.storage.lane`), elsewhere as `_one` does. Rows read their columns as
        attributes."""
        if self._lane is not None and self._lane.takes(statement, values):
            return await self._lane.rows(statement, values)
        async with self._one() as connection:
            result = await connection.execute(statement, values)
            return result.all() if result.returns_rows else ()

    def _now(self) -> dt.datetime:
        return self._clock()

    def _insert(self, table: type[Base]) -> postgresql.Insert | sqlite.Insert:
        # ON CONFLICT lives on the dialects' own insert constructs; both spell it the same.
        if self._engine.dialect.name == "postgresql":
            return postgresql.insert(table)
        return sqlite.insert(table)
