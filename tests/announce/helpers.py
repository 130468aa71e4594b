"""Fakes at the transport edges (a broadcaster, the report's delivery) and a hand-moved clock."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Sequence

from bot.announcements.vocabulary import SENT, NotSent, SendResult
from bot.core.errors import DeliveryError
from bot.core.vocabulary import Reply

T0 = dt.datetime(2026, 3, 2, 1, 0, tzinfo=dt.UTC)


class FakeClock:
    """A clock the test moves by hand."""

    def __init__(self, start: dt.datetime = T0) -> None:
        self.now = start

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, delta: dt.timedelta) -> None:
        self.now += delta


class RecordingBroadcaster:
    """A channel that records what it sent; chats can block it or fail in other ways."""

    def __init__(self, sent: list[str] | None = None, *, delay: float = 0.0) -> None:
        self.sent: list[str] = [] if sent is None else sent  # chat ids, in order
        self.texts: list[str] = []
        self.blocked: set[str] = set()
        self.unknown: set[str] = set()  # these raise, as a timed-out request would
        self.closed = False
        self.delay = delay

    async def send(self, chat_id: str, text: str) -> SendResult:
        await asyncio.sleep(self.delay)
        if self.closed:
            raise NotSent("stopping")
        if chat_id in self.unknown:
            raise DeliveryError("timed out")
        if chat_id in self.blocked:
            return SendResult("failed", "Forbidden: bot was blocked by the user", unsubscribe=True)
        self.sent.append(chat_id)
        self.texts.append(text)
        return SENT


class RecordingReports:
    """Where the admin's report goes (the `Applicants` seam)."""

    def __init__(self) -> None:
        self.delivered: list[tuple[str, str, str]] = []

    async def deliver(self, channel: str, chat_id: str, replies: Sequence[Reply]) -> None:
        self.delivered.extend((channel, chat_id, reply.text) for reply in replies)
