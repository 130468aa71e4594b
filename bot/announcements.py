"""Announcements to applicants who asked for them: opting in and out, an admin's draft and
its confirmation, and the restart-safe sender. No transport and no ORM: channels come in
through `Broadcaster`s, storage through `AnnouncementStore` (both in `bot.announce_model`).

Exactly once, as far as a network allows. Confirming writes one `announcement_deliveries` row
per subscriber (pending). A sender claims a few pending rows with one conditional UPDATE that
stamps `attempted_at`; that claim time is also a fencing token: the outcome is written by an
UPDATE that only succeeds while the row is still pending under the same claim. Two senders
never claim the same row, and after a restart sending resumes from the rows still pending.
What happens to a claimed row that was not finished:
- graceful stop: messages in flight finish and are recorded; nothing more is claimed;
- the channel is stopping (`NotSent`): the row is released at once;
- unknown outcome (timeout, network): retried once after `LEASE`, then counted as failed;
- the process died: the claim expires after `LEASE` and the row is sent again. The trade-off:
  had the channel already accepted it, that applicant gets it twice (at most `BATCH` rows per
  crashed worker); giving up instead would make someone miss a quota announcement. A send is
  cut off after `SEND_TIMEOUT`, far below `LEASE`, so a live sender never loses its rows.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
from dataclasses import dataclass, replace

from bot import replies as say
from bot.announce_model import (
    OPTED_OUT,
    RETRY,
    Announcement,
    AnnouncementStore,
    Broadcaster,
    Broadcasters,
    Lease,
    NotSent,
    Recipient,
    SendResult,
    Tally,
)
from bot.escalation import Applicants
from bot.model import Button, Reply

logger = logging.getLogger(__name__)

SUBSCRIBE, UNSUBSCRIBE = "#sub", "#unsub"
# Channels whose subscribers can be reached later; the terminal chat cannot.
BROADCAST_CHANNELS = ("telegram", "whatsapp")
MAX_TEXT = 3500  # leaves room for the header and footer within one Telegram message
LEASE = dt.timedelta(minutes=5)
SEND_TIMEOUT = 60.0
BATCH = 8  # rows claimed and sent at once; the channel's own rate limiter sets the pace

SUBSCRIBE_WORDS = frozenset(
    {"/langganan", "langganan", "langganan info", "berlangganan", "subscribe", SUBSCRIBE}
    | {say.SUBSCRIBE_BUTTON.casefold()}
)
UNSUBSCRIBE_WORDS = frozenset(
    {"/berhenti", "berhenti langganan", "stop info", "stop langganan", "berhenti", "stop"}
    | {"unsubscribe", UNSUBSCRIBE, say.UNSUBSCRIBE_BUTTON.casefold()}
)


def wants_subscription(text: str) -> bool | None:
    """True for an opt-in, False for an opt-out (command, keyword or button), else None."""
    folded = text.casefold().strip(" .!").split("@")[0]
    if folded in SUBSCRIBE_WORDS:
        return True
    return False if folded in UNSUBSCRIBE_WORDS else None


def applicant_text(text: str) -> str:
    """The message subscribers get."""
    return say.ANNOUNCEMENT.format(text=text.strip())


def problem(text: str) -> str | None:
    """Why an admin's text cannot be announced (empty, too long), or None."""
    if not text.strip():
        return say.ANNOUNCE_USAGE
    if len(text) > MAX_TEXT:
        return say.ANNOUNCE_TOO_LONG.format(length=len(text), limit=MAX_TEXT)
    return None


@dataclass(frozen=True, slots=True)
class Draft:
    """A stored draft and who would get it now."""

    announcement: Announcement
    subscribers: dict[str, int]

    def preview(self) -> str:
        """The admin's preview: the count and the message exactly as subscribers see it."""
        channels = ", ".join(f"{name} {n}" for name, n in sorted(self.subscribers.items()))
        return say.ANNOUNCE_PREVIEW.format(
            number=self.announcement.id,
            count=sum(self.subscribers.values()),
            channels=channels or "-",
            message=applicant_text(self.announcement.text),
        )


def report_text(announcement_id: int, tally: Tally) -> str:
    """The admin's report once an announcement is done."""
    return say.ANNOUNCE_REPORT.format(
        number=announcement_id,
        sent=tally.sent,
        failed=tally.failed,
        skipped=tally.skipped,
        opted_out=tally.opted_out,
    )


class Subscriptions:
    """Applicants opting in and out of announcements, on any channel that can broadcast."""

    def __init__(
        self, store: AnnouncementStore, *, channels: tuple[str, ...] = BROADCAST_CHANNELS
    ) -> None:
        self._store = store
        self._channels = channels

    async def change(self, channel: str, chat_id: str, *, subscribe: bool) -> list[Reply]:
        """Opt in or out (idempotent) and say so."""
        if channel not in self._channels:
            return [Reply(say.SUBSCRIBE_ELSEWHERE)]
        changed = await self._store.set_subscribed(channel, chat_id, subscribed=subscribe)
        if subscribe:
            text = say.SUBSCRIBED if changed else say.ALREADY_SUBSCRIBED
            return [Reply(text, buttons=(Button(say.UNSUBSCRIBE_BUTTON, UNSUBSCRIBE),))]
        text = say.UNSUBSCRIBED if changed else say.NOT_SUBSCRIBED
        return [Reply(text, buttons=(Button(say.SUBSCRIBE_BUTTON, SUBSCRIBE),))]


class Sender:
    """Delivers confirmed announcements through this process's broadcasters (module doc)."""

    def __init__(
        self,
        store: AnnouncementStore,
        reports: Applicants,
        *,
        lease: dt.timedelta = LEASE,
        batch: int = BATCH,
        send_timeout: float = SEND_TIMEOUT,
    ) -> None:
        self.broadcasters = Broadcasters()
        self._store = store
        self._reports = reports
        self._lease, self._batch, self._send_timeout = lease, batch, send_timeout
        self._task: asyncio.Task[None] | None = None
        self._again = self._stopping = False

    def kick(self) -> None:
        """Send whatever is pending, in the background; one run at a time per process."""
        if self._stopping:
            return
        self._again = True  # a run in progress goes round once more instead
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._until_idle(), name="announcements")

    async def _until_idle(self) -> None:
        while self._again and not self._stopping:
            self._again = False
            try:
                await self.run()
            except Exception:  # rows keep their state; the next tick kicks again
                logger.exception("sending announcements failed")
                return

    async def settled(self) -> None:
        """Wait until the background run has nothing left to send."""
        while self._task is not None and not self._task.done():
            await asyncio.wait({self._task})

    async def stop(self, *, grace: float = SEND_TIMEOUT) -> None:
        """Finish the messages in flight, claim no more, and end the background run."""
        self._stopping = True
        task = self._task
        if task is None or task.done():
            return
        done, _ = await asyncio.wait({task}, timeout=grace)
        if not done:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def run(self) -> int:
        """Send every row this process can send, then finish what is complete."""
        sending = await self._store.sending_announcements()
        if not sending:
            return 0  # the usual tick: no lease taken, nothing written
        channels = self.broadcasters.channels()
        handled = await asyncio.gather(*(self._run_channel(c, sending) for c in channels))
        for announcement in sending:
            await self._finish(announcement)
        return sum(handled)

    async def _run_channel(self, channel: str, sending: list[Announcement]) -> int:
        # One sender per channel across all workers: each paces itself at the channel's
        # limit, so two at once would together exceed it.
        lease = await self._store.take_lease(f"announcements:{channel}", self._lease)
        if lease is None:
            return 0
        try:
            return sum([await self.drain(a, channel, lease=lease) for a in sending])
        finally:
            await self._store.drop_lease(lease)

    async def drain(
        self, announcement: Announcement, channel: str, *, lease: Lease | None = None
    ) -> int:
        """Claim, send and record rows of one channel until none is left to claim."""
        broadcaster = self.broadcasters.get(channel)
        text = applicant_text(announcement.text)
        handled = 0
        while broadcaster is not None and not self._stopping:
            batch = await self._store.claim_deliveries(
                announcement.id, channel, limit=self._batch, lease=self._lease
            )
            if not batch:
                break
            still_open = await asyncio.gather(
                *(self._deliver(broadcaster, text, r) for r in batch)
            )
            handled += len(batch)
            if not all(still_open):
                break
            if lease is not None and not await self._store.renew_lease(lease, self._lease):
                break  # another worker took over; the row claims keep us apart anyway
        return handled

    async def _deliver(self, broadcaster: Broadcaster, text: str, recipient: Recipient) -> bool:
        """Send one claimed row and record the outcome; False when the channel is closing."""
        if recipient.status == "skipped":
            return True  # opted out after the confirmation: the claim recorded it already
        try:
            async with asyncio.timeout(self._send_timeout):
                result = await broadcaster.send(recipient.chat_id, text)
        except NotSent:
            await self._store.release(recipient)
            return False
        except Exception as exc:  # unknown outcome; the other rows of the batch go on
            await self._unknown(recipient, exc)
            return True
        if result.unsubscribe:
            result = replace(result, error=f"{OPTED_OUT}: {result.error or 'unreachable'}")
        await self._store.record_delivery(recipient, result)
        return True

    async def _unknown(self, recipient: Recipient, exc: Exception) -> None:
        error = f"{RETRY}: {type(exc).__name__}: {exc}"
        logger.warning(
            "announcement #%s on %s: %s", recipient.announcement_id, recipient.channel, error
        )
        if recipient.retried:
            await self._store.record_delivery(recipient, SendResult("failed", error))
        else:
            await self._store.retry_later(recipient, error)

    async def _finish(self, announcement: Announcement) -> None:
        tally = await self._store.finish_announcement(announcement.id)
        if tally is None:
            return
        channel, chat_id, _ = announcement.created_by.split(":", 2)
        report = Reply(report_text(announcement.id, tally))
        await self._reports.deliver(channel, chat_id, [report])


class Announcements:
    """An admin's announcement: drafted with a preview, then confirmed or cancelled."""

    def __init__(
        self,
        store: AnnouncementStore,
        sender: Sender,
        *,
        channels: tuple[str, ...] = BROADCAST_CHANNELS,
    ) -> None:
        self.sender = sender
        self._store = store
        self._channels = channels

    async def draft(self, text: str, *, channel: str, chat_id: str, user_id: str) -> Draft:
        """Store the admin's text as a draft; `problem(text)` must be None."""
        created_by = f"{channel}:{chat_id}:{user_id}"
        announcement = await self._store.create_announcement(text.strip(), created_by)
        return Draft(announcement, await self._store.subscriber_counts())

    async def confirm(self, announcement_id: int) -> int | None:
        """Send a draft to the current subscribers; their number, or None if it was no
        longer a draft (pressed twice, or cancelled)."""
        recipients = await self._store.confirm_announcement(announcement_id, self._channels)
        if recipients is not None:
            self.sender.kick()
        return recipients

    async def cancel(self, announcement_id: int) -> bool:
        """Drop a draft; False if it was already sent or cancelled."""
        return await self._store.cancel_announcement(announcement_id)

    async def get(self, announcement_id: int) -> Announcement | None:
        """One announcement (to explain a stale button)."""
        return await self._store.get_announcement(announcement_id)
