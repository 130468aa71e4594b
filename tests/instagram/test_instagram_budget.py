"""The account's private-reply budget in the database (SQLite and PostgreSQL): never more
slots taken than the limit, even by workers racing for them, and a slot frees a window after
Meta answered its reply, not after it was taken."""

from __future__ import annotations

import asyncio
import datetime as dt

from sqlalchemy.ext.asyncio import AsyncEngine

from bot.channels.instagram.budget import IN_FLIGHT, MIN_WAIT, SKEW, ReplyBudget, Wait

START = dt.datetime(2026, 12, 6, 8, 0, tzinfo=dt.UTC)


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> dt.datetime:
        return self.now

    def move(self, seconds: float) -> None:
        self.now += dt.timedelta(seconds=seconds)


async def test_the_limit_is_the_number_of_slots(engine: AsyncEngine) -> None:
    clock = Clock()
    budget = ReplyBudget(engine, limit=3, window=3600, clock=clock)
    taken = [await budget.take() for _ in range(3)]
    assert sorted(taken) == [0, 1, 2]  # type: ignore[type-var]
    refused = await budget.take()
    assert isinstance(refused, Wait)
    # Not yet answered: the earliest a slot can free is an hour after it was taken...
    assert refused.seconds == 3600 + SKEW.total_seconds()
    # ...but until its reply is answered it is held for the longest a send can take too.
    clock.move(3601)
    assert await budget.take() == Wait(MIN_WAIT)
    clock.move(IN_FLIGHT.total_seconds())
    assert await budget.take() in (0, 1, 2)


async def test_a_slot_frees_a_window_after_metas_answer(engine: AsyncEngine) -> None:
    clock = Clock()
    budget = ReplyBudget(engine, limit=1, window=10, clock=clock)
    slot = await budget.take()
    assert slot == 0
    clock.move(4)  # the reply took 4 s to be answered (Meta counted it somewhere in there)
    await budget.spent(slot)
    clock.move(9)
    assert await budget.take() == Wait(2.0)  # answered at 4 s, freed at 4 + 10 + 1 s of skew
    clock.move(2)
    assert await budget.take() == 0


async def test_workers_racing_never_take_more_than_the_limit(engine: AsyncEngine) -> None:
    clock = Clock()
    workers = [ReplyBudget(engine, limit=5, window=60, clock=clock) for _ in range(4)]
    results = await asyncio.gather(*(w.take() for w in workers for _ in range(5)))
    slots = [r for r in results if isinstance(r, int)]
    assert sorted(slots) == [0, 1, 2, 3, 4]
    assert len([r for r in results if isinstance(r, Wait)]) == 15


async def test_a_smaller_limit_drops_slots(engine: AsyncEngine) -> None:
    clock = Clock()
    await ReplyBudget(engine, limit=4, window=60, clock=clock).take()
    smaller = ReplyBudget(engine, limit=2, window=60, clock=clock)
    taken = [await smaller.take() for _ in range(3)]
    assert [isinstance(t, Wait) for t in taken] == [False, True, True]
