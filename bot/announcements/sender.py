"""The restart-safe sender of confirmed announcements.

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
from dataclasses import replace

from bot.announcements.vocabulary import (
    OPTED_OUT,
    RETRY,
    Announcement,
    AnnouncementRecords,
    Broadcaster,
    Broadcasters,
    NotSent,
    Recipient,
    SendingLease,
    SendResult,
    Tally,
)
from bot.core import replies
from bot.core.escalation import Applicants
from bot.core.vocabulary import Reply

logger = logging.getLogger(__name__)

LEASE = dt.timedelta(minutes=5)
SEND_TIMEOUT = 60.0
BATCH = 8  # rows claimed and sent at once; the channel's own rate limiter sets the pace


def applicant_text(text: str) -> str:
    """The message subscribers get."""
    return replies.ANNOUNCEMENT.format(text=text.strip())


def report_text(announcement_id: int, tally: Tally) -> str:
    """The admin's report once an announcement is done."""
    return replies.ANNOUNCE_REPORT.format(
        number=announcement_id,
        sent=tally.sent,
        failed=tally.failed,
        skipped=tally.skipped,
        opted_out=tally.opted_out,
    )


class Sender:
    """Delivers confirmed announcements through this process's broadcasters (module doc)."""

    def __init__(
        self,
        store: AnnouncementRecords,
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
        self, announcement: Announcement, channel: str, *, lease: SendingLease | None = None
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
