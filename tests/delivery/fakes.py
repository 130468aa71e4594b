"""A channel at the edge of the delivery pipeline: records what it was asked to send and
refuses on cue (the real channels' refusals are tested in tests/faults)."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from bot.core.vocabulary import Reply
from bot.delivery.sending import SendDeferred, SendFailure
from bot.delivery.vocabulary import InboxUpdate, Outgoing


class FakeTransport:
    """A reply is one message per "|"-separated part; `refusals` are raised in order, one per
    try of a part from index `refuse_from` on."""

    def __init__(
        self,
        channel: str = "test",
        refusals: Sequence[SendFailure | SendDeferred] = (),
        refuse_from: int = 0,
    ) -> None:
        self.channel = channel
        self.refusals, self.refuse_from = list(refusals), refuse_from
        self.wire: list[tuple[str, int]] = []  # (chat, part index) as they went out
        self.receipts: list[list[str]] = []
        self.recorded_for: list[str] = []  # the chats whose receipts were recorded
        self.given_up: list[tuple[str, str]] = []  # (chat, reason)
        self._sent = asyncio.Event()

    async def until_sent(self, messages: int) -> None:
        """Wait until `messages` messages went out (a running loop sends them)."""
        async with asyncio.timeout(5):
            while len(self.wire) < messages:
                await self._sent.wait()
                self._sent.clear()

    def parts(self, outgoing: Outgoing) -> int:
        return len(outgoing.reply.text.split("|"))

    async def send_part(self, outgoing: Outgoing, index: int) -> str | None:
        if self.refusals and index >= self.refuse_from:
            raise self.refusals.pop(0)
        self.wire.append((outgoing.chat_id, index))
        self._sent.set()
        return f"{outgoing.chat_id}/{index}" if index % 2 == 0 else None

    async def sent(self, outgoing: Outgoing, receipts: Sequence[str]) -> None:
        self.receipts.append(list(receipts))
        self.recorded_for.append(outgoing.chat_id)

    async def gave_up(self, outgoing: Outgoing, reason: str) -> None:
        self.given_up.append((outgoing.chat_id, reason))


def transient(reason: str = "NetworkError", retry_after: float | None = None) -> SendFailure:
    return SendFailure(reason, transient=True, retry_after=retry_after)


def refused(reason: str = "Forbidden: bot was blocked") -> SendFailure:
    return SendFailure(reason, transient=False)


def to(chat: str, text: str, channel: str = "test") -> Outgoing:
    return Outgoing(channel, chat, Reply(text))


def update(n: int, chat: str = "1", channel: str = "test") -> InboxUpdate:
    return InboxUpdate(f"{channel}:{n}", channel, chat, {"text": f"pesan {n}"})
