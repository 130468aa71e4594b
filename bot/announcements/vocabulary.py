"""Vocabulary of announcements: what a broadcaster reports, what storage hands back, and the
two seams (`Broadcaster` per channel, `AnnouncementRecords`). Plain dataclasses and Protocols,
so the core, the channels and the storage agree without importing each other."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal, Protocol

from bot.core.errors import DeliveryError

# Markers at the start of `announcement_deliveries.error` that the report counts.
OPTED_OUT = "opted out"
RETRY = "retry"

Outcome = Literal["sent", "failed", "skipped"]
AnnouncementStatus = Literal["draft", "sending", "done", "cancelled"]


@dataclass(frozen=True, slots=True)
class SendResult:
    """What a broadcaster did with one message."""

    status: Outcome
    error: str | None = None
    # The chat can never be reached again (it blocked the bot): unsubscribe it.
    unsubscribe: bool = False


SENT = SendResult("sent")


class NotSent(DeliveryError):
    """The channel is stopping, so the message did not leave (or, if the shutdown cut a send
    short, may have): the row is released at once for any sender. Any other exception from
    `send` means "unknown or transient": the row is tried once more after the lease, then
    counted as failed."""


class Broadcaster(Protocol):
    """Sends announcements on one channel, within that channel's send limits."""

    async def send(self, chat_id: str, text: str) -> SendResult:
        """Send `text` to one subscriber."""
        ...


class Broadcasters:
    """The channels that can send announcements in this process. Rows of a channel that is
    not registered here stay pending until a process that has it picks them up."""

    def __init__(self) -> None:
        self._channels: dict[str, Broadcaster] = {}

    def register(self, channel: str, broadcaster: Broadcaster) -> None:
        """Let `broadcaster` send the rows of `channel`."""
        self._channels[channel] = broadcaster

    def get(self, channel: str) -> Broadcaster | None:
        """The broadcaster for `channel`, if it runs here."""
        return self._channels.get(channel)

    def channels(self) -> tuple[str, ...]:
        """Channels that can send here."""
        return tuple(self._channels)


@dataclass(frozen=True, slots=True)
class Announcement:
    """An admin's message; `created_by` is "channel:chat_id:user_id" of the admin's command,
    and the report goes back to that chat."""

    id: int
    text: str
    created_by: str
    status: AnnouncementStatus
    created_at: dt.datetime
    # The office whose subscribers get it; None: every office's (and those with no office).
    office_id: str | None = None

    def within(self, scope: str | None) -> bool:
        """Whether an admin acting for `scope` (None: every office) may send or cancel it."""
        return scope is None or self.office_id == scope


@dataclass(frozen=True, slots=True)
class Recipient:
    """A claimed delivery row: send to it, then record the outcome under `claimed_at`."""

    announcement_id: int
    channel: str
    chat_id: str
    claimed_at: dt.datetime
    # skipped: the subscriber opted out after the confirmation; nothing is sent.
    status: Literal["pending", "skipped"]
    retried: bool  # an earlier attempt ended with an unknown outcome


@dataclass(frozen=True, slots=True)
class Tally:
    """How an announcement went; `opted_out` overlaps failed (blocked) and skipped."""

    sent: int = 0
    failed: int = 0
    skipped: int = 0
    pending: int = 0
    opted_out: int = 0


@dataclass(frozen=True, slots=True)
class SendingLease:
    """The right to send on one channel; `token` is when it was taken (the holder's mark)."""

    name: str
    token: dt.datetime


class AnnouncementRecords(Protocol):
    """What announcements need from storage; implemented by `bot.storage.announcements`.

    Every state change is one conditional UPDATE, so racing workers never both win.
    """

    async def set_subscribed(
        self, channel: str, chat_id: str, *, subscribed: bool, office_id: str | None = None
    ) -> bool:
        """Opt in or out; False if it already was so."""
        ...

    async def move(self, channel: str, chat_id: str, office_id: str | None) -> None:
        """The chat changed office: its subscription (if any) follows it."""
        ...

    async def subscriber_counts(self, *, office_id: str | None = None) -> dict[str, int]:
        """Current subscribers per channel: of `office_id`, or of every office (None)."""
        ...

    async def create_announcement(
        self, text: str, created_by: str, *, office_id: str | None = None
    ) -> Announcement:
        """Store a draft for `office_id`'s subscribers (None: every office's)."""
        ...

    async def account_office(self, name: str) -> str | None:
        """The one office a console account acts for; None: every office (or no account)."""
        ...

    async def confirm_announcement(
        self, announcement_id: int, channels: tuple[str, ...]
    ) -> int | None:
        """Draft -> sending with one pending row per subscriber of its office (of every
        office when it has none); None unless it was a draft."""
        ...

    async def cancel_announcement(self, announcement_id: int) -> bool:
        """Draft -> cancelled; False unless it was a draft."""
        ...

    async def get_announcement(self, announcement_id: int) -> Announcement | None:
        """One announcement."""
        ...

    async def sending_announcements(self) -> list[Announcement]:
        """Confirmed announcements not finished yet, oldest first."""
        ...

    async def claim_deliveries(
        self, announcement_id: int, channel: str, *, limit: int, lease: dt.timedelta
    ) -> list[Recipient]:
        """Claim up to `limit` pending rows nobody holds (or whose claim expired)."""
        ...

    async def record_delivery(self, recipient: Recipient, result: SendResult) -> bool:
        """Write the outcome if the claim still holds (and unsubscribe when asked)."""
        ...

    async def retry_later(self, recipient: Recipient, error: str) -> None:
        """Keep the row pending and claimed: claimable again once the lease expires."""
        ...

    async def release(self, recipient: Recipient) -> None:
        """Give a claimed, unsent row back at once."""
        ...

    async def finish_announcement(self, announcement_id: int) -> Tally | None:
        """Sending -> done once no row is pending; the tally, for the one caller that did it."""
        ...

    async def take_lease(self, name: str, duration: dt.timedelta) -> SendingLease | None:
        """The named lease if it is free or expired (one holder at a time)."""
        ...

    async def renew_lease(self, lease: SendingLease, duration: dt.timedelta) -> bool:
        """Extend a lease still held; False if another holder took it."""
        ...

    async def drop_lease(self, lease: SendingLease) -> None:
        """Free a lease still held."""
        ...
