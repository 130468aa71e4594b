"""Exactly-once handling: stored updates are handled by one worker loop, and their replies
go out from a durable outbox, retried with backoff across outages and restarts.

    channel -> Intake.receive (inbox row, then "200"/offset) -> InboxWorker (handle, then mark
    handled + queue replies in one transaction) -> OutboxSender (send, then delete the row)

A reply can only be sent twice if the process dies between the channel accepting it and the
row being deleted (one small database write). When the database is down, updates are answered
at once without the inbox (`Intake.receive` falls back to `Direct`).
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import TypeVar

from bot.core.errors import StorageError
from bot.core.privacy import redact
from bot.delivery.sending import Backoff, SendDeferred, SendFailure, Transport
from bot.delivery.vocabulary import (
    InboxUpdate,
    Outgoing,
    Pending,
    Queue,
    deferring,
    reading_ahead,
)

logger = logging.getLogger(__name__)

T = TypeVar("T")
GRACE_SECONDS = 10.0
Handler = Callable[[InboxUpdate], Awaitable[list[Outgoing]]]


class OutboxSender:
    """Sends one channel's queued replies, the oldest of each chat first."""

    def __init__(
        self,
        store: Queue,
        transport: Transport,
        *,
        backoff: Backoff,
        lease: float = 60.0,
        batch: int = 64,
        idle: float = 1.0,
    ) -> None:
        self.transport = transport
        self._store, self._backoff = store, backoff
        self._lease, self._batch, self._idle = lease, batch, idle
        self._wake = asyncio.Event()
        self._failures = 0  # in a row, channel-wide: an outage pauses the whole channel
        self._paused_until = 0.0

    def kick(self) -> None:
        """New replies were queued: look now instead of at the next idle tick."""
        self._wake.set()

    async def run(self) -> None:
        """Send forever: claims more as sends finish, so the pace never waits for a batch."""
        inflight: set[asyncio.Task[None]] = set()
        try:
            while True:
                if (pause := self._paused_until - time.monotonic()) > 0:
                    await asyncio.sleep(pause)
                self._wake.clear()
                if len(inflight) <= self._batch // 2:
                    for pending in await self._claim(self._batch - len(inflight)):
                        task = asyncio.create_task(self._send(pending))
                        inflight.add(task)
                        task.add_done_callback(inflight.discard)
                await self._settle(inflight)
        finally:
            if inflight:  # shutdown: let the sends on the wire finish and be recorded
                await asyncio.wait(inflight, timeout=GRACE_SECONDS)

    async def _claim(self, room: int) -> list[Pending]:
        try:
            return await self._store.claim_replies(self.transport.channel, room, self._lease)
        except StorageError:
            logger.warning("outbox unreachable; retrying", exc_info=True)
            return []

    async def _settle(self, inflight: set[asyncio.Task[None]]) -> None:
        """Until a send finishes (its chat's next reply may go), a kick, or the idle tick."""
        woken = asyncio.create_task(self._wake.wait())
        await asyncio.wait({*inflight, woken}, timeout=self._idle, return_when="FIRST_COMPLETED")
        woken.cancel()

    async def send_held(self, replies: Sequence[Pending]) -> None:
        """Send replies already leased to us (queued by a webhook call that waits for them)."""
        await asyncio.gather(*(self._send(pending) for pending in replies))

    async def _send(self, pending: Pending) -> None:
        try:
            try:
                await self._send_parts(pending)
            except SendFailure as exc:
                await self._failed(pending, exc)
            except SendDeferred as exc:
                await self._store.retry_later(pending.id, pending.attempts, exc.delay, exc.reason)
        except StorageError:
            logger.warning("outbox row %s not updated; its lease will run out", pending.id)

    async def _send_parts(self, pending: Pending) -> None:
        parts = self.transport.parts(pending.outgoing)
        receipts: list[str] = []
        for index in range(pending.parts_sent, parts):
            if receipt := await self.transport.send_part(pending.outgoing, index):
                receipts.append(receipt)
            self._failures = 0
            if index + 1 < parts:
                await self._store.progress(pending.id, index + 1, finished=False)
        # Together, so the row's deletion and the channel's record of the reply can share
        # one commit (the store's group commit); either failing leaves the lease to run out.
        await asyncio.gather(
            self._store.progress(pending.id, parts, finished=True),
            self.transport.sent(pending.outgoing, receipts),
        )

    async def _failed(self, pending: Pending, exc: SendFailure) -> None:
        attempts, reply = pending.attempts + 1, pending.outgoing.reply
        channel = self.transport.channel
        if not exc.transient or attempts >= self._backoff.attempts:
            logger.warning("%s reply given up after %d tries: %s", channel, attempts, exc.reason)
            kept = dataclasses.replace(reply, text=redact(reply.text).text)
            await self._store.fail(pending.id, attempts, redact(exc.reason).text, kept=kept)
            await self.transport.gave_up(pending.outgoing, exc.reason)
            return
        self._failures += 1
        delay = max(self._backoff.delay(self._failures), exc.retry_after or 0.0)
        self._paused_until = max(self._paused_until, time.monotonic() + delay)
        logger.info("%s send failed (%s); retrying in %.1f s", channel, exc.reason, delay)
        await self._store.retry_later(pending.id, attempts, delay, exc.reason)


class InboxWorker:
    """Handles stored updates: each chat's in order, different chats concurrently."""

    def __init__(
        self,
        store: Queue,
        handlers: Mapping[str, Handler],
        senders: Mapping[str, OutboxSender],
        *,
        lease: float = 60.0,
        # A round's updates are ready at once: the loop reads no socket until each has run
        # a step, so a bigger round delays sends' responses (and the first reply) for all.
        batch: int = 32,
        idle: float = 1.0,
    ) -> None:
        self._store, self._handlers, self._senders = store, handlers, senders
        self.lease, self._batch, self._idle = lease, batch, idle
        self._wake = asyncio.Event()

    def kick(self) -> None:
        """New updates were stored."""
        self._wake.set()

    async def run(self) -> None:
        """Handle forever."""
        while True:
            self._wake.clear()
            try:
                handled = await _finish(self.round())
            except StorageError:
                logger.warning("inbox unreachable; retrying", exc_info=True)
                handled = 0
            if not handled:
                await _wait(self._wake, self._idle)

    async def round(self) -> int:
        """Claim, handle and complete one batch; how many updates it held."""
        updates = await self._store.claim_updates(self._batch, self.lease)
        channels, _ = await self._handle_all(updates)
        for channel in channels:
            if sender := self._senders.get(channel):
                sender.kick()
        return len(updates)

    async def handle_now(self, keys: Sequence[str], held: Sequence[InboxUpdate]) -> None:
        """Handle just-stored updates (`held`: those already leased to us) and send their
        replies before the caller answers its webhook call; one update per chat a round."""
        updates, remaining = list(held), [key for key in keys if key not in _keys(held)]
        while updates:
            _, replies = await self._handle_all(updates, hold=self.lease)
            for channel, sender in self._senders.items():
                await sender.send_held([p for p in replies if p.outgoing.channel == channel])
            if not remaining:
                return
            updates = await self._store.claim_updates(len(remaining), self.lease, keys=remaining)
            remaining = [key for key in remaining if key not in _keys(updates)]
        if remaining:  # behind an unfinished update of their chat: the loop takes them
            self.kick()

    async def _handle_all(
        self, updates: Sequence[InboxUpdate], *, hold: float = 0.0
    ) -> tuple[set[str], list[Pending]]:
        results = await asyncio.gather(*(self._handle(update) for update in updates))
        done = [
            (u.id, out) for u, (out, _) in zip(updates, results, strict=True) if out is not None
        ]
        # An update left for a retry leaves its bookkeeping too: handled again, it asks anew.
        writes = [write for out, left in results if out is not None for write in left]
        replies = await self._store.complete(done, hold=hold, writes=writes)
        return {item.channel for _, items in done for item in items}, replies

    async def _handle(self, update: InboxUpdate) -> tuple[list[Outgoing] | None, list[object]]:
        """The update's replies (None: leave it for a retry) and the writes it left for its
        completion (see `deferring`)."""
        handler = self._handlers.get(update.channel)
        if handler is None:
            logger.error("no handler for %s updates in this process", update.channel)
            return None, []
        with deferring() as writes, reading_ahead(update.reads):
            try:
                return await handler(update), writes
            except StorageError:
                logger.warning("update %s left for a retry: database error", update.key)
                return None, []
            except Exception:  # a poison update must not block its chat forever
                logger.exception("update %s could not be handled; dropped", update.key)
                return [], writes


def _keys(updates: Sequence[InboxUpdate]) -> set[str]:
    return {update.key for update in updates}


async def _finish(work: Awaitable[T], grace: float = GRACE_SECONDS) -> T:
    """Await `work`; when cancelled (shutdown), first let it finish for up to `grace` seconds,
    so rows are not left leased to a process that is gone."""
    task = asyncio.ensure_future(work)
    try:
        return await asyncio.shield(task)
    except asyncio.CancelledError:
        with contextlib.suppress(Exception, asyncio.CancelledError):
            await asyncio.wait_for(task, grace)
        raise


async def _wait(event: asyncio.Event, timeout: float) -> None:  # noqa: ASYNC109
    try:
        async with asyncio.timeout(timeout):
            await event.wait()
    except TimeoutError:
        pass
