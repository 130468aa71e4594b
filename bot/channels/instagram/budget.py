"""The account's private replies an hour, shared by every worker through the database.

Meta counts a private reply when it arrives and allows an account 750 in any hour. The budget
is a table of that many slots. A reply takes a free slot before it is sent (one conditional
UPDATE: of two workers racing for a slot one gets it, as with the schedules' lease) and holds
it pessimistically; once Meta has answered, the slot is freed an hour after that answer. Meta
received the reply before it answered, so no window of Meta's can hold more replies than there
are slots, whatever the workers' lags. A reply with no free slot is not waited for: its outbox
row is put back until the first slot frees.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.channels.instagram.tables import InstagramReplySlotRow
from bot.storage.base import Clock, StoreBase
from bot.storage.errors import translate_errors

S = InstagramReplySlotRow
# Longer than any send can take (the client gives up after 10 s a phase): a worker that dies
# mid-send leaves its slot taken this long, plus the window, as if the reply had gone.
IN_FLIGHT = dt.timedelta(seconds=60)
# Workers' clocks may disagree by a little: a slot is kept that much longer.
SKEW = dt.timedelta(seconds=1)
TRIES = 5  # a slot taken under us by another worker: pick the next free one
# A slot whose reply is still in flight has no known free time: ask again this much later.
MIN_WAIT = 0.5


@dataclass(frozen=True, slots=True)
class Wait:
    """No slot is free: the first frees in `seconds`."""

    seconds: float


class ReplyBudget(StoreBase):
    """Takes and frees the account's private-reply slots."""

    def __init__(
        self,
        engine: AsyncEngine,
        *,
        limit: int,
        window: float,
        clock: Clock | None = None,
    ) -> None:
        super().__init__(engine, clock=clock)
        self._limit, self._window = limit, dt.timedelta(seconds=window)
        self._ready = False

    async def take(self) -> int | Wait:
        """A slot for the next private reply, or how long until one frees."""
        await self._prepare()
        now = self._now()
        for _ in range(TRIES):
            with translate_errors("taking a private-reply slot"):
                async with self._engine.begin() as connection:
                    free = (
                        select(S.slot).where(S.free_at <= now).order_by(S.free_at).limit(1)
                    ).scalar_subquery()
                    taken = await connection.scalar(
                        update(S)
                        .where(S.slot == free, S.free_at <= now)
                        .values(
                            free_at=now + IN_FLIGHT + self._window + SKEW,
                            soonest=now + self._window + SKEW,
                        )
                        .returning(S.slot)
                    )
                    if taken is not None:
                        return int(taken)
                    bounds = await connection.execute(
                        select(func.min(S.free_at), func.min(S.soonest))
                    )
                    first, soonest = bounds.one()
            if first is not None and soonest is not None and first > now:
                return Wait(max((soonest - now).total_seconds(), MIN_WAIT))
        return Wait(0.05)

    async def spent(self, slot: int) -> None:
        """Meta answered the reply on `slot` (sent or refused): it frees a window later."""
        free = self._now() + self._window + SKEW
        statement = update(S).where(S.slot == slot).values(free_at=free, soonest=free)
        with translate_errors("freeing a private-reply slot"):
            async with self._engine.begin() as connection:
                await connection.execute(statement)

    async def _prepare(self) -> None:
        """One row per reply of the limit (a changed limit adds or drops slots)."""
        if self._ready:
            return
        long_ago = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
        rows = [{"slot": n, "free_at": long_ago, "soonest": long_ago} for n in range(self._limit)]
        with translate_errors("preparing the private-reply slots"):
            async with self._engine.begin() as connection:
                await connection.execute(delete(S).where(S.slot >= self._limit))
                await connection.execute(self._insert(S).values(rows).on_conflict_do_nothing())
        self._ready = True
