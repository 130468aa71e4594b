"""Fault injection shared by the fake APIs: a send outage (5xx for a while, or until ended)
and permanent refusals for one chat. Thread-safe: tests switch faults from their own loop
while the fake serves from another."""

from __future__ import annotations

import math
import threading
import time


class Faults:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._outage_until = 0.0
        self.outage_status = 500
        self._refused: set[str] = set()
        self._fail_after: dict[str, tuple[int, int]] = {}
        self.outage_refusals = 0
        self.refusals: dict[str, int] = {}

    def outage(self, seconds: float = math.inf, *, status: int = 500) -> None:
        """Every send fails with `status` for `seconds` (or until `end_outage`)."""
        with self._lock:
            self.outage_status = status
            self._outage_until = time.monotonic() + seconds

    def end_outage(self) -> None:
        with self._lock:
            self._outage_until = 0.0

    def refuse_chat(self, chat: str) -> None:
        """Sends to `chat` are refused for good (400), counted in `refusals`."""
        with self._lock:
            self._refused.add(chat)

    def fail_after(self, chat: str, sends: int, *, status: int = 500) -> None:
        """Let `sends` more sends to `chat` through, then fail the next one (once) with
        `status`: a fault in the middle of a reply sent as several messages."""
        with self._lock:
            self._fail_after[chat] = (sends, status)

    def check(self, chat: str) -> int | None:
        """The status a send to `chat` fails with now, or None when it may go through."""
        with self._lock:
            if (after := self._after(chat)) is not None:
                return after
            if time.monotonic() < self._outage_until:
                self.outage_refusals += 1
                return self.outage_status
            if chat in self._refused:
                self.refusals[chat] = self.refusals.get(chat, 0) + 1
                return 400
        return None

    def _after(self, chat: str) -> int | None:
        if chat not in self._fail_after:
            return None
        sends, status = self._fail_after.pop(chat)
        if sends:
            self._fail_after[chat] = (sends - 1, status)
            return None
        return status
