"""Group commit for small bookkeeping writes (issue 22): a sent reply's outbox row deleted,
WhatsApp's delivery statuses and contact windows. Writes that arrive within a few
milliseconds of each other share one transaction, so under load they cost a fraction of a
round trip each; a caller still returns only once its write is committed.

A batch the database refuses is tried again write by write, so one bad write fails alone.
"""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot.storage.base import one_statement
from bot.storage.database import autocommit, lane
from bot.storage.steps import Step, fewest

Write = Callable[[AsyncConnection], Awaitable[None]]

MAX_WAIT = 0.002
MAX_BATCH = 256


@dataclass(frozen=True, slots=True)
class _Job:
    write: Write
    future: asyncio.Future[None]
    one_statement: bool


class GroupCommit:
    """Runs writes on `engine`, concurrent ones in one transaction."""

    def __init__(self, engine: AsyncEngine, *, max_wait: float = MAX_WAIT) -> None:
        self._engine, self._max_wait = engine, max_wait
        # A lone write of one statement needs no BEGIN/COMMIT on PostgreSQL.
        self._autocommit = autocommit(engine)
        self._lane = lane(engine)
        self._pending: list[_Job] = []
        self._flusher: asyncio.Task[None] | None = None

    async def run(self, write: Write, *, one_statement: bool = False) -> None:
        """Run `write` in the next batch; raises what the write raised (or its commit).
        `one_statement`: the write is a single statement (atomic on its own)."""
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._pending.append(_Job(write, future, one_statement))
        if self._flusher is None or self._flusher.done():
            self._flusher = asyncio.create_task(self._flush())
        await future

    async def _flush(self) -> None:
        while self._pending:
            if len(self._pending) < MAX_BATCH:
                await asyncio.sleep(self._max_wait)
            batch, self._pending = self._pending[:MAX_BATCH], self._pending[MAX_BATCH:]
            if len(batch) == 1:
                await self._alone(batch[0])
                continue
            try:
                await self._commit(batch)
            except Exception:  # one refused write must not fail the others: alone, each
                for job in batch:
                    await self._alone(job)
                continue
            for job in batch:
                if not job.future.done():
                    job.future.set_result(None)

    async def _commit(self, jobs: list[_Job]) -> None:
        if len(jobs) == 1 and jobs[0].one_statement:
            await self._alone_statement(jobs[0].write)
            return
        writes: list[Write] = [job.write for job in jobs]
        if self._engine is not self._autocommit:
            # Steps of different kinds (a sent reply's row deleted and its message ids
            # recorded) fold into one statement on PostgreSQL: the whole batch where it can,
            # otherwise each run of it that can, and the runs share one transaction.
            writes = fewest(writes)
            if len(writes) == 1 and isinstance(writes[0], Step):
                await self._alone_statement(writes[0])
                return
            if await self._as_many(writes):
                return
        async with self._engine.begin() as connection:
            for write in writes:
                await write(connection)

    async def _alone_statement(self, write: Write) -> None:
        """A write of one statement, its own transaction: on PostgreSQL's lane when it is a
        `Step` of one row."""
        if isinstance(write, Step) and await self._on_lane(write):
            return
        async with one_statement(self._autocommit) as connection:
            await write(connection)

    async def _on_lane(self, step: Step) -> bool:
        lane, values = self._lane, step.values
        if lane is None or not isinstance(values, dict) or not lane.takes(step.statement, values):
            return False
        await lane.rows(step.statement, values)
        return True

    async def _as_many(self, writes: Sequence[object]) -> bool:
        """Writes that are one statement each, the same one with parameters named alike (the
        sends of several replies), run on PostgreSQL's lane in one round trip, all or none;
        False when they are not such writes."""
        steps = [write for write in writes if isinstance(write, Step)]
        rows = [step.values for step in steps if isinstance(step.values, dict)]
        lane, first = self._lane, steps[0] if steps else None
        if lane is None or first is None or len(rows) < len(writes):
            return False
        alike = all(step.statement is first.statement for step in steps) and all(
            row.keys() == rows[0].keys() for row in rows
        )
        if not alike or not lane.takes(first.statement, rows[0]):
            return False
        await lane.many(first.statement, rows)
        return True

    async def _alone(self, job: _Job) -> None:
        try:
            await self._commit([job])
        except Exception as exc:  # the caller hears about its own failure, whatever it is
            if not job.future.done():
                job.future.set_exception(exc)
            return
        if not job.future.done():
            job.future.set_result(None)


_SHARED: weakref.WeakKeyDictionary[AsyncEngine, GroupCommit] = weakref.WeakKeyDictionary()


def group_commit(engine: AsyncEngine) -> GroupCommit:
    """The engine's one group commit, shared by every store on it (the queue's outbox and
    WhatsApp's bookkeeping join the same batches)."""
    if (found := _SHARED.get(engine)) is None:
        found = _SHARED[engine] = GroupCommit(engine)
    return found
