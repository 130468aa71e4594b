"""Ticket posts the staff chat refused, kept for a later retry in the `schedules` table.

One row per unposted ticket, named `ticket-post:N`: `next_run_at` is when to try again and
`last_run_at` the last attempt, so the delay doubles from round to round up to a cap. A
round is taken with one conditional UPDATE (the same lease as the weekly digest), so of
several workers exactly one retries a given post.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, select, update
from sqlalchemy.sql.dml import ReturningUpdate

from bot.storage.base import StoreBase
from bot.storage.errors import translate_errors
from bot.storage.tables_ops import ScheduleRow

PREFIX = "ticket-post:"


class PostRetries(StoreBase):
    """The retry book of ticket posts that did not reach the officers."""

    async def put(self, ticket_id: int, *, retry_at: dt.datetime) -> None:
        """Book a first retry (a ticket already booked keeps its schedule)."""
        now = self._now()
        seed = {"name": f"{PREFIX}{ticket_id}", "next_run_at": retry_at, "last_run_at": now}
        with translate_errors("booking a post retry"):
            async with self._engine.begin() as connection:
                await connection.execute(
                    self._insert(ScheduleRow).values(seed).on_conflict_do_nothing()
                )

    async def take_due(self, *, now: dt.datetime, cap: dt.timedelta) -> list[int]:
        """Ticket ids whose retry is due, each booked again twice as far off (up to `cap`)."""
        due = select(ScheduleRow).where(
            ScheduleRow.name.startswith(PREFIX), ScheduleRow.next_run_at <= now
        )
        taken: list[int] = []
        with translate_errors("taking due post retries"):
            async with self._engine.begin() as connection:
                for row in (await connection.execute(due)).all():
                    take = _rebook(row.name, row.next_run_at, row.last_run_at, now=now, cap=cap)
                    if (await connection.execute(take)).first() is not None:
                        taken.append(int(row.name.removeprefix(PREFIX)))
        return sorted(taken)

    async def done(self, ticket_id: int) -> None:
        """The post went out (or the ticket is closed): nothing left to retry."""
        statement = delete(ScheduleRow).where(ScheduleRow.name == f"{PREFIX}{ticket_id}")
        with translate_errors("clearing a post retry"):
            async with self._engine.begin() as connection:
                await connection.execute(statement)

    async def pending(self) -> list[int]:
        """Tickets whose post has not reached the officers yet, lowest number first."""
        statement = select(ScheduleRow.name).where(ScheduleRow.name.startswith(PREFIX))
        with translate_errors("listing post retries"):
            async with self._engine.connect() as connection:
                names = (await connection.execute(statement)).scalars().all()
        return sorted(int(name.removeprefix(PREFIX)) for name in names)


def _rebook(
    name: str,
    booked: dt.datetime,
    last: dt.datetime | None,
    *,
    now: dt.datetime,
    cap: dt.timedelta,
) -> ReturningUpdate[tuple[str]]:
    """Move a due round on by twice the last wait; only the worker that still sees it due
    (`next_run_at` unchanged) gets the row back."""
    delay = min(cap, max((booked - (last or booked)) * 2, dt.timedelta(seconds=1)))
    return (
        update(ScheduleRow)
        .where(ScheduleRow.name == name, ScheduleRow.next_run_at == booked)
        .values(next_run_at=now + delay, last_run_at=now)
        .returning(ScheduleRow.name)
    )
