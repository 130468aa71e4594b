"""Where channels hand updates in (`Intake`), the fallback without a database (`Direct`), and
the `Pipeline` that holds the inbox worker and the channels' outbox senders together.

When the database is down an update cannot be stored: it is answered at once, replies sent
with retries held in memory for up to a minute, and only then confirmed to Telegram (or
acknowledged to Meta); a crash in that minute can lose or repeat it. Updates are confirmed
from the first up to one whose reply could not be sent yet: the channel delivers that one and
the ones after it again, so those are not answered now (they would be answered twice).
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
import time
from collections.abc import AsyncIterator, Callable, Mapping, Sequence

from bot.core.errors import StorageError
from bot.delivery.pipeline import Handler, InboxWorker, OutboxSender
from bot.delivery.sending import Backoff, SendDeferred, SendFailure, Transport
from bot.delivery.vocabulary import InboxUpdate, Outgoing, Queue

logger = logging.getLogger(__name__)


class Direct:
    """Without the database: handle at once and send with retries held in memory."""

    def __init__(self, handlers: Mapping[str, Handler], transports: Mapping[str, Transport],
                 *, backoff: Backoff, patience: float = 60.0) -> None:  # fmt: skip
        self._handlers, self._transports = handlers, transports
        self._backoff, self._patience = backoff, patience

    async def handle(self, updates: Sequence[InboxUpdate]) -> int:
        """Answer the updates in order; how many of them, from the first, are done."""
        for done, update in enumerate(updates):
            for outgoing in await self._handlers[update.channel](update):
                if not await self.send(outgoing):
                    return done
        return len(updates)

    async def send(self, outgoing: Outgoing) -> bool:
        """Send every part, retrying transient failures for up to `patience` seconds; True
        once the reply needs no more tries. A reply refused for good (a user who blocked the
        bot) is given up: the channel delivering the update again would only repeat it."""
        transport = self._transports[outgoing.channel]
        deadline = time.monotonic() + self._patience
        receipts: list[str] = []
        for index in range(transport.parts(outgoing)):
            failures = 0
            while True:
                try:
                    if receipt := await transport.send_part(outgoing, index):
                        receipts.append(receipt)
                    break
                except (SendFailure, SendDeferred) as exc:
                    failures += 1
                    if isinstance(exc, SendFailure) and not exc.transient:
                        return await self._given_up(outgoing, exc.reason)
                    if not await self._wait(exc, failures, deadline):
                        return False
        with contextlib.suppress(StorageError):  # likely: the database is why we are here
            await transport.sent(outgoing, receipts)
        return True

    async def _wait(self, exc: SendFailure | SendDeferred, failures: int, deadline: float) -> bool:
        """Wait before the next try; False when that would pass the deadline."""
        if isinstance(exc, SendDeferred):
            delay = exc.delay
        else:
            delay = max(self._backoff.delay(failures), exc.retry_after or 0.0)
        if time.monotonic() + delay > deadline:
            logger.warning("reply not sent (database down): %s", exc.reason)
            return False
        await asyncio.sleep(delay)
        return True

    async def _given_up(self, outgoing: Outgoing, reason: str) -> bool:
        logger.warning("%s reply refused for good (database down): %s", outgoing.channel, reason)
        with contextlib.suppress(StorageError):
            await self._transports[outgoing.channel].gave_up(outgoing, reason)
        return True


# What handling a sender's update in a chat reads first (`Conversation.chat_query`): the
# channel, the chat's id and the sender's; opaque here, read by storage.
Ahead = Callable[[str, str, str], object]


class Intake:
    """Where channels hand incoming updates: stored, or failing that answered at once."""

    def __init__(
        self, store: Queue, worker: InboxWorker, direct: Direct, *, ahead: Ahead | None = None
    ) -> None:
        self._store, self._worker, self._direct = store, worker, direct
        self._ahead = ahead

    async def receive(self, updates: Sequence[InboxUpdate], *, now: bool = False) -> bool:
        """True once all the updates are safe to confirm (stored, or answered)."""
        return await self.confirmable(updates, now=now) == len(updates)

    async def confirmable(self, updates: Sequence[InboxUpdate], *, now: bool = False) -> int:
        """How many of the updates, from the first, are safe to confirm (stored, or answered).

        `now`: a webhook also handles them and sends the replies before answering (as before
        the inbox existed); a failure there leaves them stored for the worker loop."""
        if now and (ahead := self._ahead) is not None:  # handled at once: read ahead
            updates = [_reading(update, ahead) for update in updates]
        try:
            new, held = await self._store.accept(updates, hold=self._worker.lease if now else 0)
        except StorageError:
            logger.warning("database down: answering %d update(s) directly", len(updates))
            return await self._direct.handle(updates)
        if not now:
            self._worker.kick()
            return len(updates)
        try:
            await self._worker.handle_now(new, held)
        except StorageError:
            logger.warning("stored update(s) left for the worker loop: database error")
        return len(updates)


def _reading(update: InboxUpdate, ahead: Ahead) -> InboxUpdate:
    """`update` with what its handling will read first, when its sender is known."""
    if update.sender is None:
        return update
    reads = ahead(update.channel, update.chat_id, update.sender)
    return dataclasses.replace(update, reads=reads)


class Pipeline:
    """The inbox worker and one outbox sender per channel; channels register as they start."""

    def __init__(
        self, store: Queue, *, backoff: Backoff, lease: float, ahead: Ahead | None = None
    ) -> None:
        self.store, self.backoff, self._lease = store, backoff, lease
        self._handlers: dict[str, Handler] = {}
        self._transports: dict[str, Transport] = {}
        self.senders: dict[str, OutboxSender] = {}
        self.worker = InboxWorker(store, self._handlers, self.senders, lease=lease)
        direct = Direct(self._handlers, self._transports, backoff=backoff)
        self.intake = Intake(store, self.worker, direct, ahead=ahead)

    def register(self, channel: str, handler: Handler, transport: Transport) -> None:
        """Handle `channel`'s stored updates with `handler`, send its replies by `transport`."""
        self._handlers[channel], self._transports[channel] = handler, transport
        self.senders[channel] = OutboxSender(
            self.store, transport, backoff=self.backoff, lease=self._lease
        )

    @contextlib.asynccontextmanager
    async def running(self) -> AsyncIterator[None]:
        """Run the worker and the senders (picking up what a previous run left) in the block."""
        loops = [self.worker.run(), *(sender.run() for sender in self.senders.values())]
        tasks = [asyncio.create_task(loop) for loop in loops]
        try:
            yield
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
