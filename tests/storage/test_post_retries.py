"""The retry book of refused ticket posts on both databases: the schedule doubles from
`RETRY_FIRST` up to `RETRY_CAP` and goes on until the post is done."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.ext.asyncio import AsyncEngine

from bot.core.escalation import RETRY_CAP, RETRY_FIRST
from bot.storage.post_retries import PostRetries

T0 = dt.datetime(2026, 12, 1, 8, 0, tzinfo=dt.UTC)
SECOND = dt.timedelta(seconds=1)


async def test_a_refused_post_is_retried_twice_as_late_each_round_up_to_the_cap(
    engine: AsyncEngine,
) -> None:
    retries = PostRetries(engine, clock=lambda: T0)
    await retries.put(7, retry_at=T0 + RETRY_FIRST)
    assert dt.timedelta(seconds=30) == RETRY_FIRST
    assert dt.timedelta(minutes=15) == RETRY_CAP
    waits = [30, 60, 120, 240, 480, 900, 900, 900]
    now = T0
    for wait in waits:
        due = now + wait * SECOND
        assert await retries.take_due(now=due - SECOND, cap=RETRY_CAP) == [], wait
        assert await retries.take_due(now=due, cap=RETRY_CAP) == [7], wait
        now = due
    assert await retries.pending() == [7]  # never given up while the ticket is open
    await retries.done(7)
    assert await retries.take_due(now=now + dt.timedelta(days=1), cap=RETRY_CAP) == []
