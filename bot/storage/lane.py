"""PostgreSQL's one-statement work straight on asyncpg (issue 22): the hot statements of every
message (store the update, complete it, the group commit's folded writes, the snapshot read).

Through SQLAlchemy one such statement cost ~475 µs of the worker's CPU, measured on this
machine: the pool's checkout and return (greenlets, events, reset) and the execution's
bookkeeping (compiled-cache look-up, parameters, result proxy), around ~120 µs of asyncpg's
own work. Here a statement is compiled once by SQLAlchemy, from the same Core constructs,
and run on a connection of the lane's own small pool: ~130 µs.

Only autocommit work comes here (one statement is its own transaction), so nothing about
transactions changes. A statement the server refuses leaves its connection in use; any other
failure closes it, and a failure of the connection itself closes the idle ones too, as
SQLAlchemy discards its pool, so a restarted server costs one failed statement. Connections
older than the recycle time are replaced before use, as SQLAlchemy's `pool_recycle` does.
Errors come out as SQLAlchemy's, for `translate_errors` and the callers that tell a refused
row (IntegrityError, DataError) from the rest.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections import deque
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import asyncpg
from sqlalchemy import URL, Dialect
from sqlalchemy.exc import DataError, IntegrityError, OperationalError
from sqlalchemy.sql import ClauseElement
from sqlalchemy.sql.compiler import SQLCompiler

# A bound on the compiled statements kept: statements are module constants and their folds.
MOST_PREPARED = 512
# SQLAlchemy's own connect arguments, which asyncpg's connect does not take.
_NOT_ASYNCPG = ("prepared_statement_cache_size", "prepared_statement_name_func", "async_fallback")


def _column(row: Any, name: str) -> Any:
    try:
        return row[name]
    except KeyError:
        raise AttributeError(name) from None


class Record(asyncpg.Record):  # type: ignore[misc]
    """A row whose columns read as attributes too (`row.id`), as SQLAlchemy's rows do."""

    __getattr__ = _column


@dataclass(frozen=True, slots=True)
class _Prepared:
    """One statement compiled for asyncpg: its SQL, its parameters in order (each with the
    value it has unless given, and its type's conversion) and its columns' conversions."""

    sql: str
    names: tuple[str, ...]
    defaults: Mapping[str, Any]
    binds: tuple[Callable[[Any], Any] | None, ...]
    results: tuple[tuple[int, Callable[[Any], Any]], ...]  # by column position

    def arguments(self, values: Mapping[str, Any]) -> list[Any]:
        given = {**self.defaults, **values}
        return [
            given[name] if bind is None else bind(given[name])
            for name, bind in zip(self.names, self.binds, strict=True)
        ]

    def rows(self, records: list[Record]) -> list[Record]:
        if not self.results:
            return records
        return [_converted(record, self.results) for record in records]


def _converted(record: Record, results: Sequence[tuple[int, Callable[[Any], Any]]]) -> Any:
    values = list(record.values())
    for position, convert in results:
        values[position] = convert(values[position])
    return _Row(zip(record.keys(), values, strict=True))


class _Row(dict[str, Any]):
    """A converted row (rare: only columns whose type converts what asyncpg returns)."""

    __getattr__ = _column


def prepare(statement: ClauseElement, keys: Sequence[str], dialect: Dialect) -> _Prepared | None:
    """`statement` compiled once for parameters named `keys`; None for one whose SQL
    SQLAlchemy renders anew on each run (an expanding IN, a literal or computed value)."""
    compiled = statement.compile(dialect=dialect, column_keys=list(keys))
    if not isinstance(compiled, SQLCompiler):
        raise TypeError(f"not a SQL statement: {type(statement).__name__}")
    names = tuple(compiled.positiontup or ())
    binds = [compiled.binds[name] for name in names]
    if any(bind.expanding or bind.literal_execute or bind.callable for bind in binds):
        return None
    # Values written in the statement (`.values(status="done")`) are parameters named apart.
    written = zip(names, binds, strict=True)
    defaults = {name: bind.value for name, bind in written if not bind.required}
    processors = tuple(bind.type.dialect_impl(dialect).bind_processor(dialect) for bind in binds)
    columns = getattr(statement, "exported_columns", ())
    results = [
        (position, convert)
        for position, column in enumerate(columns)
        if (convert := column.type.dialect_impl(dialect).result_processor(dialect, None))
    ]
    return _Prepared(str(compiled), names, defaults, processors, tuple(results))


class Lane:
    """A small pool of asyncpg connections running prepared Core statements, one each."""

    def __init__(
        self, url: URL, dialect: Dialect, *, size: int, settings: Mapping[str, str], recycle: float
    ) -> None:
        _, params = dialect.create_connect_args(url)
        self._connect_args = {k: v for k, v in params.items() if k not in _NOT_ASYNCPG}
        self._settings = dict(settings)
        self._dialect, self._size, self._recycle = dialect, size, recycle
        self._prepared: dict[tuple[ClauseElement, tuple[str, ...]], _Prepared | None] = {}
        self._idle: list[tuple[asyncpg.Connection, float]] = []
        self._waiting: deque[asyncio.Future[tuple[asyncpg.Connection, float] | None]] = deque()
        self._open = 0  # connections made and not closed, idle or in use
        self._closed_at = -1.0  # connections made before this are not given out again
        self.hooks: list[Callable[[str], None]] = []  # told of each "statement" and "connect"

    async def rows(self, statement: ClauseElement, values: Mapping[str, Any]) -> list[Any]:
        """Run `statement` (its own transaction) with `values`; its rows (attributes by
        column name)."""
        prepared = self._taken(statement, tuple(values))
        arguments = prepared.arguments(values)
        records = await self._on_connection(
            prepared.sql, lambda c: c.fetch(prepared.sql, *arguments, record_class=Record)
        )
        return prepared.rows(records)

    async def many(self, statement: ClauseElement, rows: Sequence[Mapping[str, Any]]) -> None:
        """Run `statement` once per row of parameters (all named alike), all or none, in one
        round trip: asyncpg sends every execution before it waits."""
        prepared = self._taken(statement, tuple(rows[0]))
        arguments = [prepared.arguments(values) for values in rows]
        await self._on_connection(prepared.sql, lambda c: c.executemany(prepared.sql, arguments))

    def _taken(self, statement: ClauseElement, keys: tuple[str, ...]) -> _Prepared:
        prepared = self._prepare(statement, keys)
        if prepared is None:
            raise ValueError("a statement the lane does not run (`takes`): use SQLAlchemy")
        return prepared

    async def _on_connection(
        self, sql: str, work: Callable[[asyncpg.Connection], Awaitable[Any]]
    ) -> Any:
        connection, born = await self._acquire()
        try:
            self._tell("statement")
            done = await work(connection)
        except asyncpg.PostgresError as exc:  # refused by the server: the connection is fine
            self._release(connection, born)
            raise _translated(sql, exc) from exc
        except BaseException as exc:  # the connection failed, or we were cancelled mid-way
            self._discard(connection, everyone=not isinstance(exc, asyncio.CancelledError))
            if isinstance(exc, asyncpg.InterfaceError):
                raise OperationalError(sql, None, exc) from exc
            raise
        self._release(connection, born)
        return done

    def close(self) -> None:
        """Close the idle connections; those in use close when given back. As with
        SQLAlchemy's dispose, the lane stays usable: new work connects afresh."""
        self._closed_at = time.monotonic()
        for connection, _ in self._idle:
            connection.terminate()
        self._open -= len(self._idle)
        self._idle.clear()

    def takes(self, statement: ClauseElement, values: Mapping[str, Any]) -> bool:
        """Whether the lane runs `statement` with parameters named as `values`'."""
        return self._prepare(statement, tuple(values)) is not None

    def _prepare(self, statement: ClauseElement, keys: tuple[str, ...]) -> _Prepared | None:
        try:
            return self._prepared[(statement, keys)]
        except KeyError:
            found = prepare(statement, keys, self._dialect)
        if len(self._prepared) < MOST_PREPARED:
            self._prepared[(statement, keys)] = found
        return found

    async def _acquire(self) -> tuple[asyncpg.Connection, float]:
        while True:
            if self._idle:
                connection, born = self._idle.pop()
                if time.monotonic() - born <= self._recycle:
                    return connection, born
                self._discard(connection)  # a server or proxy may have dropped it by now
                continue
            if self._open < self._size:
                return await self._connect()
            waiter = asyncio.get_running_loop().create_future()
            self._waiting.append(waiter)
            try:
                handed = await waiter  # a connection given back, or None: room to connect
            except asyncio.CancelledError:
                self._pass_on(waiter)
                raise
            if handed is not None:
                connection, born = handed
                return connection, born

    def _pass_on(self, waiter: asyncio.Future[tuple[asyncpg.Connection, float] | None]) -> None:
        """What was handed to a waiter cancelled before it woke goes to the next one."""
        if not waiter.done() or waiter.cancelled():
            return
        if (handed := waiter.result()) is not None:
            self._release(*handed)
        else:
            self._wake()

    async def _connect(self) -> tuple[asyncpg.Connection, float]:
        self._open += 1
        try:
            self._tell("connect")
            connection = await asyncpg.connect(
                **self._connect_args, server_settings=self._settings
            )
            # As SQLAlchemy's dialect does: JSON parameters arrive as text, rows decode.
            for name in ("json", "jsonb"):
                await connection.set_type_codec(
                    name, encoder=str, decoder=json.loads, schema="pg_catalog"
                )
        except BaseException:
            self._open -= 1
            self._wake()
            raise
        return connection, time.monotonic()

    def _release(self, connection: asyncpg.Connection, born: float) -> None:
        if born <= self._closed_at or time.monotonic() - born > self._recycle:
            self._discard(connection)
            return
        while self._waiting:
            waiter = self._waiting.popleft()
            if not waiter.done():
                waiter.set_result((connection, born))
                return
        self._idle.append((connection, born))

    def _discard(self, connection: asyncpg.Connection, *, everyone: bool = False) -> None:
        connection.terminate()
        self._open -= 1
        if everyone:
            for other, _ in self._idle:
                other.terminate()
            self._open -= len(self._idle)
            self._idle.clear()
        self._wake()

    def _wake(self) -> None:
        while self._waiting:
            waiter = self._waiting.popleft()
            if not waiter.done():
                waiter.set_result(None)
                return

    def _tell(self, what: str) -> None:
        for hook in self.hooks:
            hook(what)


def _translated(sql: str, exc: asyncpg.PostgresError) -> Exception:
    if isinstance(exc, asyncpg.IntegrityConstraintViolationError):
        return IntegrityError(sql, None, exc)
    if isinstance(exc, asyncpg.DataError):
        return DataError(sql, None, exc)
    return OperationalError(sql, None, exc)
