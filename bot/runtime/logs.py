"""Logging set-up for the command line: one format, quiet HTTP clients, secrets masked."""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TextIO

MASK = "**********"
# A shorter value is not masked: replacing a 1-5 character string everywhere would garble
# ordinary words. Secrets we choose are refused below 16 characters at start-up (config), the
# ones Telegram and Meta issue are far longer, and a database password of any length is
# masked where it appears, inside its URL.
MIN_MASKED = 6
_URL_PASSWORD = re.compile(r"(?P<user>://[^:/@\s]*):[^/@\s]*@")
# Secrets learned after start-up (Instagram's refreshed token), masked by every handler.
_LEARNED: set[str] = set()


def mask_also(secret: str) -> None:
    """Mask `secret` in every log line from now on (a token issued while running)."""
    if len(secret) >= MIN_MASKED:
        _LEARNED.add(secret)


class MaskedFormatter(logging.Formatter):
    """Second line of defence: any secret in a formatted line (message, traceback, stack) and
    any password in a URL is replaced by a mask."""

    def __init__(self, fmt: str, secrets: Iterable[str]) -> None:
        super().__init__(fmt)
        self._secrets = sorted({s for s in secrets if len(s) >= MIN_MASKED}, key=len, reverse=True)

    def format(self, record: logging.LogRecord) -> str:
        return self.mask(super().format(record))

    def mask(self, text: str) -> str:
        """`text` with every known secret and URL password masked."""
        for secret in (*self._secrets, *_LEARNED):
            text = text.replace(secret, MASK)
        return _URL_PASSWORD.sub(rf"\g<user>:{MASK}@", text)


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


def handler(secrets: Iterable[str], stream: TextIO | None = None) -> logging.Handler:
    """The one log handler: one format, secrets masked, floods rate limited."""
    made = logging.StreamHandler(stream)
    made.setFormatter(MaskedFormatter("%(asctime)s %(name)s %(levelname)s %(message)s", secrets))
    made.addFilter(RateLimit())
    return made


def configure(level: int, secrets: Iterable[str] = ()) -> None:
    """Configure the root logger once, at start-up."""
    root = logging.getLogger()
    root.handlers[:] = [handler(secrets)]
    root.setLevel(level)
    # httpx logs every request URL at INFO, and Telegram URLs carry the bot token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)
    logging.getLogger("aiosqlite").setLevel(logging.WARNING)
    logging.getLogger("alembic").setLevel(logging.WARNING)
    # uvicorn logs through this handler (`log_config=None`), so its lines are masked and
    # rate limited too; one access line per request is not wanted.
    logging.getLogger("uvicorn.access").setLevel(logging.WARNING)
