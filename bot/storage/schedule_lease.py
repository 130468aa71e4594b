"""Recurring jobs leased through the `schedules` table, so one worker of many runs each round.

A round is claimed with one conditional UPDATE: "move next_run_at forward, if it is due".
The database checks the condition and writes the row as one step (PostgreSQL makes a second
UPDATE wait for the row lock and then re-checks the condition on the new row; SQLite runs one
writer at a time), so of several workers racing for the same round exactly one sees its row
come back.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import update

from bot.storage.base import StoreBase
from bot.storage.errors import translate_errors
from bot.storage.tables_ops import ScheduleRow


class ScheduleLease(StoreBase):
    """Claims rounds of named schedules; shares the engine of the store it was built from."""

    async def claim(
        self, name: str, *, now: dt.datetime, next_run: dt.datetime, first_run: dt.datetime
    ) -> bool:
        """Take the round due at or before `now` and book the next one for `next_run`.

        A schedule seen for the first time is created with its first round at `first_run`
        (nothing is due yet unless that is already past). True only for the one caller that
        took the round.
        """
        create = (
            self._insert(ScheduleRow)
            .values(name=name, next_run_at=first_run, last_run_at=None)
            .on_conflict_do_nothing(index_elements=["name"])
        )
        take = (
            update(ScheduleRow)
            .where(ScheduleRow.name == name, ScheduleRow.next_run_at <= now)
            .values(next_run_at=next_run, last_run_at=now)
            .returning(ScheduleRow.name)
        )
        with translate_errors("claiming a scheduled round"):
            async with self._engine.begin() as connection:
                await connection.execute(create)
                return (await connection.execute(take)).first() is not None

    async def retry_at(self, name: str, *, booked: dt.datetime, at: dt.datetime) -> bool:
        """After a failed round, bring the next one forward to `at`, unless another worker
        has rebooked the schedule since (its `next_run_at` is no longer `booked`)."""
        statement = (
            update(ScheduleRow)
            .where(ScheduleRow.name == name, ScheduleRow.next_run_at == booked)
            .values(next_run_at=at)
            .returning(ScheduleRow.name)
        )
        with translate_errors("rebooking a scheduled round"):
            async with self._engine.begin() as connection:
                return (await connection.execute(statement)).first() is not None

    async def next_run(self, name: str) -> dt.datetime | None:
        """When the schedule's next round is due; None before its first claim."""
        with translate_errors("reading a schedule"):
            async with self._sessions() as session:
                row = await session.get(ScheduleRow, name)
                return row.next_run_at if row is not None else None
