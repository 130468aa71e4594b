"""Logging set-up for the command line: one format, quiet HTTP clients, secrets masked."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

MASK = "**********"


class MaskSecrets(logging.Filter):
    """Second line of defence: any secret that reaches a log line is replaced by a mask."""

    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__()
        self._secrets = sorted({s for s in secrets if len(s) >= 6}, key=len, reverse=True)

    def filter(self, record: logging.LogRecord) -> bool:
        if not self._secrets:
            return True
        message = record.getMessage()
        masked = message
        for secret in self._secrets:
            masked = masked.replace(secret, MASK)
        if masked != message:
            record.msg, record.args = masked, None
        return True


@dataclass(slots=True)
class _Window:
    start: float
    passed: int = 1
    suppressed: int = 0


class RateLimit(logging.Filter):
    """At most `burst` lines of one kind (logger, level, message template) per `period`
    seconds; the last one let through says the rest are held back, and the first line of the
    next period says how many were. A flood of the same error ("Too many open files" from
    asyncio's accept loop) then costs a few lines a minute instead of gigabytes."""

    def __init__(
        self, burst: int = 10, period: float = 60.0, clock: Callable[[], float] = time.monotonic
    ) -> None:
        super().__init__()
        self._burst, self._period, self._clock = burst, period, clock
        self._windows: dict[tuple[str, int, str], _Window] = {}

    def filter(self, record: logging.LogRecord) -> bool:
        key = (record.name, record.levelno, str(record.msg)[:200])
        now = self._clock()
        window = self._windows.get(key)
        if window is None or now - window.start >= self._period:
            if len(self._windows) > 1000:
                self._forget(now)
            self._windows[key] = _Window(now)
            if window is not None and window.suppressed:
                _note(record, f"{window.suppressed} similar lines were suppressed before this")
            return True
        if window.passed < self._burst:
            window.passed += 1
            if window.passed == self._burst:
                _note(record, f"more like this are suppressed for up to {self._period:.0f} s")
            return True
        window.suppressed += 1
        return False

    def _forget(self, now: float) -> None:
        expired = [k for k, w in self._windows.items() if now - w.start >= self._period]
        for key in expired:
            del self._windows[key]


def _note(record: logging.LogRecord, note: str) -> None:
    record.msg = f"{record.getMessage()} [{note}]"
    record.args = None


def configure(level: int, secrets: Iterable[str] = ()) -> None:
    """Configure the root logger once, at start-up."""
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
    handler.addFilter(MaskSecrets(secrets))
    handler.addFilter(RateLimit())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # httpx logs every request URL at INFO, and Telegram URLs carry the bot token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)
    logging.getLogger("aiosqlite").setLevel(logging.WARNING)
    logging.getLogger("alembic").setLevel(logging.WARNING)
    # uvicorn logs through this handler (`log_config=None`), so its lines are masked and
    # rate limited too; one access line per request is not wanted.
    logging.getLogger("uvicorn.access").setLevel(logging.WARNING)
