"""Pacing one worker's sends under Meta's limits: a steady rate per second for every call and,
only while the database (which keeps the account's shared budget, see `budget`) is down, at
most 750 private replies in any hour counted by this worker alone."""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Awaitable, Callable

SENDS_PER_SECOND = 100.0
PRIVATE_REPLIES_PER_HOUR = 750
HOUR = 3600.0


class Pacer:
    """Waits before each send so the account stays under its rates (one worker's share)."""

    def __init__(
        self,
        *,
        per_second: float = SENDS_PER_SECOND,
        private_limit: int = PRIVATE_REPLIES_PER_HOUR,
        private_window: float = HOUR,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._interval = 1.0 / per_second
        self._private_limit = private_limit
        self._private_window = private_window
        self._clock = clock
        self._sleep = sleep
        self._next = 0.0
        self._private: deque[float] = deque()  # when the private replies of the last hour go

    async def wait(self, *, private: bool = False) -> None:
        """Return when the next send (a private reply when `private`) may go.

        Each caller reserves its moment before sleeping, so a private reply held back by the
        hourly limit does not hold up the direct messages queued behind it."""
        now = self._clock()
        at = max(self._next, now, self._private_slot(now) if private else now)
        self._next = max(self._next, now) + self._interval
        if private:
            self._private.append(at)
        if at > now:
            await self._sleep(at - now)

    def _private_slot(self, now: float) -> float:
        """The earliest moment a private reply keeps the last window under the limit."""
        while self._private and now - self._private[0] >= self._private_window:
            self._private.popleft()
        if len(self._private) < self._private_limit:
            return now
        return self._private[-self._private_limit] + self._private_window
