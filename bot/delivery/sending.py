"""What a channel's sending side gives the pipeline (`Transport`), how it says no
(`SendFailure`, `SendDeferred`), and how long the pipeline waits before trying again
(`Backoff`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from bot.core.errors import DeliveryError
from bot.delivery.vocabulary import Outgoing


class SendFailure(DeliveryError):
    """A channel refused a message: `transient` ones are worth another try later."""

    def __init__(self, reason: str, *, transient: bool, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.transient = transient
        self.retry_after = retry_after


class SendDeferred(DeliveryError):
    """Not now: the channel's own budget for this kind of message is spent (not a failure).
    The reply waits `delay` seconds in the outbox; nothing else of the channel pauses."""

    def __init__(self, reason: str, *, delay: float) -> None:
        super().__init__(reason)
        self.reason, self.delay = reason, delay


class Transport(Protocol):
    """How one channel sends a reply: it may take several messages (parts)."""

    channel: str

    def parts(self, outgoing: Outgoing) -> int:
        """How many messages the reply becomes."""
        ...

    async def send_part(self, outgoing: Outgoing, index: int) -> str | None:
        """Send message `index` of the reply and return the channel's id for it (if it keeps
        one); SendFailure when refused."""
        ...

    async def sent(self, outgoing: Outgoing, receipts: Sequence[str]) -> None:
        """Record the ids of a reply's messages (one write for the whole reply)."""
        ...

    async def gave_up(self, outgoing: Outgoing, reason: str) -> None:
        """Record a reply that will never be sent (for the admins)."""
        ...


@dataclass(frozen=True, slots=True)
class Backoff:
    """Waits between tries of a transient failure: doubling from `first` up to `most`."""

    first: float = 1.0
    most: float = 30.0
    attempts: int = 200  # with the defaults, about an hour and a half of tries

    def delay(self, failures: int) -> float:
        return float(min(self.first * 2 ** max(failures - 1, 0), self.most))
