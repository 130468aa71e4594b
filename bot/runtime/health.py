"""What /healthz reports: the database (really writable?) and each channel's state.

HTTP status: 503 only when the database is not usable (not writable, lost, unreachable):
nothing this worker answers is kept then, so a load balancer should take it out. A channel
whose API is down is "degraded" with 200: the worker still serves the other channels and
keeps retrying that one on its own, and restarting it would not bring the API back.

The database check writes, so /healthz never runs it: anyone can call /healthz, and 200 calls
at once used to queue 200 writes in front of the webhooks. `keep_fresh` (started with the
channels) checks every `every` seconds and /healthz serves the last result; a result older than
`STALE_AFTER` periods (the check hangs, the loop died) is reported "stale", with 503.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

from bot.channels.starting import DEGRADED, OK, STARTING

__all__ = ["DEGRADED", "OK", "STALE", "STARTING", "Health"]

logger = logging.getLogger(__name__)

DatabaseCheck = Callable[[], Awaitable[str]]
STALE = "stale"
CHECK_SECONDS = 5.0
STALE_AFTER = 6  # periods without a finished check


class Health:
    """Collects the state of the database and of each channel this process runs."""

    def __init__(
        self,
        database: DatabaseCheck,
        *,
        every: float = CHECK_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._database = database
        self.every = every
        self._clock = clock
        self._last: tuple[str, float] | None = None  # (state, when checked)
        self.channels: dict[str, str] = {}

    def channel(self, name: str, state: str) -> None:
        """Record a channel's state ("ok", "degraded", "starting")."""
        self.channels[name] = state

    async def refresh(self) -> str:
        """Check the database now; /healthz serves this result until the next check."""
        state = await self._database()
        self._last = (state, self._clock())
        return state

    async def keep_fresh(self) -> None:
        """Check the database every `every` seconds (after a first `refresh`), until cancelled."""
        while True:
            await asyncio.sleep(self.every)
            try:
                await self.refresh()
            except Exception:  # the next round tries again; /healthz turns "stale" meanwhile
                logger.exception("database health check failed")

    def database(self) -> str:
        """The last checked state of the database, "starting" or "stale"."""
        if self._last is None:
            return STARTING
        state, checked = self._last
        return STALE if self._clock() - checked > STALE_AFTER * self.every else state

    def report(self) -> tuple[int, dict[str, Any]]:
        """(HTTP status, JSON body) for /healthz; reads no database."""
        database = self.database()
        degraded = sorted(name for name, state in self.channels.items() if state != OK)
        status = DEGRADED if degraded else OK
        body = {
            "status": status if database == OK else "down",
            "database": database,
            "channels": dict(sorted(self.channels.items())),
            "degraded": degraded,
        }
        return (200 if database == OK else 503), body
