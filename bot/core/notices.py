"""The outage notice as the core sees it: read through a short cache so a busy bot does not
query the database on every message, while every worker follows a change within seconds."""

from __future__ import annotations

import logging
import time
from typing import Protocol

from bot.core import replies
from bot.core.errors import BotError
from bot.core.published import Contacts, redact_published
from bot.core.turns import APP_CATEGORY, WIB, Turn
from bot.core.vocabulary import Notice, NoticeBoard, Reply

logger = logging.getLogger(__name__)

CACHE_SECONDS = 10.0


class NoticeKeeper(Protocol):
    """Where the outage notice is kept; `bot.storage.notices.NoticeStore` is the real one."""

    async def get(self) -> Notice | None: ...

    async def put(self, text: str, set_by: str) -> Notice: ...

    async def clear(self) -> bool: ...


class OutageBoard:
    """Implements `bot.core.vocabulary.NoticeBoard` over the notices table."""

    def __init__(
        self,
        store: NoticeKeeper,
        *,
        cache_seconds: float = CACHE_SECONDS,
        public: Contacts = tuple,
    ) -> None:
        self._store = store
        self._public = public
        self._cache_seconds = cache_seconds
        self._cached: Notice | None = None
        self._read_at = float("-inf")

    async def outage(self) -> Notice | None:
        """The current notice (at most `cache_seconds` old)."""
        if time.monotonic() - self._read_at > self._cache_seconds:
            try:
                self._cached = await self._store.get()
            except BotError:  # the database is down: keep showing what was last read
                logger.warning("outage notice not read; keeping the last one")
            self._read_at = time.monotonic()
        return self._cached

    async def pin(self, text: str, set_by: str) -> Notice:
        """Pin a notice now (this worker sees it at once), redacted as every reply shows it."""
        self._cached = await self._store.put(redact_published(text, self._public()), set_by)
        self._read_at = time.monotonic()
        return self._cached

    async def clear(self) -> bool:
        """Remove the notice."""
        cleared = await self._store.clear()
        self._cached, self._read_at = None, time.monotonic()
        return cleared


async def pin_outage(notices: NoticeBoard | None, turn: Turn) -> None:
    """During an outage, answers about the app and fallbacks carry the notice."""
    about_app = turn.entry is not None and turn.entry.category == APP_CATEGORY
    if notices is None or not (about_app or turn.action == "fallback"):
        return
    notice = await notices.outage()
    if notice is not None:
        since = notice.set_at.astimezone(WIB).strftime("%d/%m %H.%M WIB")
        turn.replies.insert(0, Reply(replies.OUTAGE.format(since=since, text=notice.text)))
