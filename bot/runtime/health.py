"""What /healthz reports: the database (really writable?) and each channel's state.

HTTP status: 503 only when the database is not usable (not writable, lost, unreachable):
nothing this worker answers is kept then, so a load balancer should take it out. A channel
whose API is down is "degraded" with 200: the worker still serves the other channels and
keeps retrying that one on its own, and restarting it would not bring the API back.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

DatabaseCheck = Callable[[], Awaitable[str]]
OK, DEGRADED, STARTING = "ok", "degraded", "starting"


class Health:
    """Collects the state of the database and of each channel this process runs."""

    def __init__(self, database: DatabaseCheck) -> None:
        self._database = database
        self.channels: dict[str, str] = {}

    def channel(self, name: str, state: str) -> None:
        """Record a channel's state ("ok", "degraded", "starting")."""
        self.channels[name] = state

    async def report(self) -> tuple[int, dict[str, Any]]:
        """(HTTP status, JSON body) for /healthz."""
        database = await self._database()
        degraded = sorted(name for name, state in self.channels.items() if state != OK)
        status = DEGRADED if degraded else OK
        body = {
            "status": status if database == OK else "down",
            "database": database,
            "channels": dict(sorted(self.channels.items())),
            "degraded": degraded,
        }
        return (200 if database == OK else 503), body
