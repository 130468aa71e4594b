"""Login throttling: too many failed attempts for one name, or from one client, in a window
lock that name or client out until the oldest failure leaves the window.

Kept in memory per process: with several workers each throttles on its own, so an attacker
gets at most (workers x limit) tries per window, still far too few to guess a password.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Mapping

WINDOW_SECONDS = 15 * 60
MAX_KEYS = 10_000  # beyond this the oldest records are forgotten (memory stays bounded)


class Throttle:
    """Failures per key ("name:budi", "client:10.0.0.1") within a sliding window."""

    def __init__(
        self,
        limits: Mapping[str, int],
        *,
        window: float = WINDOW_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._limits = dict(limits)
        self._window = window
        self._clock = clock
        self._failures: dict[str, deque[float]] = {}

    def blocked(self, **keys: str) -> bool:
        """Whether any of the keys (kind=value) has used up its attempts."""
        return any(
            len(self._recent(f"{kind}:{value}")) >= self._limits[kind]
            for kind, value in keys.items()
        )

    def failed(self, **keys: str) -> None:
        """Count a failed attempt against every key."""
        now = self._clock()
        for kind, value in keys.items():
            self._recent(f"{kind}:{value}").append(now)
        while len(self._failures) > MAX_KEYS:
            self._failures.pop(next(iter(self._failures)))

    def succeeded(self, **keys: str) -> None:
        """A good login clears the name's failures (not the client's)."""
        if "name" in keys:
            self._failures.pop(f"name:{keys['name']}", None)

    def _recent(self, key: str) -> deque[float]:
        found = self._failures.setdefault(key, deque())
        while found and found[0] <= self._clock() - self._window:
            found.popleft()
        return found
