"""WhatsApp on the durable pipeline: inbound messages are stored before Meta gets its 200,
handled by the inbox worker, and replies sent from the outbox.

Meta redelivers a webhook call that did not get a 2xx, so a message that could be neither
stored nor answered is refused with 500 and comes back later.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import logging
from collections.abc import Sequence
from typing import Any

from bot.channels.whatsapp.api import GraphClient, GraphError
from bot.channels.whatsapp.channel import CHANNEL
from bot.channels.whatsapp.inbound import Batch, InboundMessage
from bot.channels.whatsapp.numbers import Numbers
from bot.channels.whatsapp.render import render
from bot.core.conversation import Conversation
from bot.core.errors import StorageError
from bot.core.replies import ERROR
from bot.core.vocabulary import Incoming, Reply
from bot.delivery.intake import Intake
from bot.delivery.sending import SendFailure
from bot.delivery.vocabulary import InboxUpdate, Outgoing
from bot.storage.queue import KEYS_KEPT
from bot.storage.whatsapp import WhatsAppStore

logger = logging.getLogger(__name__)


def stored(message: InboundMessage) -> InboxUpdate:
    """A message as the inbox keeps it, keyed by Meta's message id."""
    payload = {
        "message_id": message.message_id,
        "chat_id": message.chat_id,
        "user_id": message.user_id,
        "text": message.text,
        "kind": message.kind,
        "sent_at": message.sent_at.isoformat(),
    }
    # Only a hash of Meta's message id is the key: a wamid encodes the sender's number, and the
    # key outlives the row's payload (kept to recognise a redelivery).
    digest = hashlib.sha256(message.message_id.encode()).hexdigest()
    key = f"{CHANNEL}:{digest}"
    return InboxUpdate(key, CHANNEL, message.chat_id, payload, sender=message.user_id)


def inbound(payload: dict[str, Any]) -> InboundMessage:
    """Read a stored message back."""
    sent_at = dt.datetime.fromisoformat(str(payload["sent_at"]))
    fields = {name: str(payload[name]) for name in ("message_id", "chat_id", "user_id", "text")}
    return InboundMessage(**fields, kind=str(payload["kind"]), sent_at=sent_at)


def recent(messages: Sequence[InboundMessage]) -> list[InboundMessage]:
    """The messages sent within the inbox's de-duplication window. An older one may have been
    handled already with its key since forgotten: a signed body replayed later would be
    answered again, so it is acknowledged (Meta stops retrying) and dropped."""
    oldest = dt.datetime.now(dt.UTC) - KEYS_KEPT
    fresh = [message for message in messages if message.sent_at >= oldest]
    if refused := len(messages) - len(fresh):
        days = KEYS_KEPT.days
        logger.warning("%d WhatsApp messages older than %d days refused", refused, days)
    return fresh


def addressed(messages: Sequence[InboundMessage], numbers: Numbers) -> list[InboundMessage]:
    """The messages to our numbers, each in the chat of the number written to. One to a
    number not configured (another of the account's numbers) is not ours to answer."""
    ours = [message for message in messages if numbers.known(message.number)]
    if ignored := len(messages) - len(ours):
        # Not the number's id: it is masked in logs like a secret.
        logger.warning("%d WhatsApp messages to a number not configured ignored", ignored)
    return [dataclasses.replace(m, chat_id=numbers.chat_id(m.chat_id, m.number)) for m in ours]


class WhatsAppInbox:
    """Takes webhook batches into the inbox, and answers stored messages."""

    def __init__(
        self,
        conversation: Conversation,
        store: WhatsAppStore,
        intake: Intake,
        *,
        numbers: Numbers,
    ) -> None:
        self._conversation = conversation
        self._store = store
        self._intake = intake
        self._numbers = numbers

    async def receive(self, batch: Batch) -> bool:
        """Store the messages (or answer them at once); False if Meta should send them again."""
        safe = True
        if messages := recent(addressed(batch.messages, self._numbers)):
            safe = await self._intake.receive([stored(m) for m in messages], now=True)
        try:
            for status in batch.statuses:
                await self._store.record_status(
                    status.message_id, status.status, error=status.error
                )
        except StorageError:
            logger.warning("WhatsApp delivery statuses not recorded: database down")
        return safe

    async def handle(self, update: InboxUpdate) -> list[Outgoing]:
        """The replies to one stored message."""
        message = inbound(update.payload)
        try:
            await self._store.touch_window(message.chat_id, message.sent_at)
        except StorageError:
            logger.warning("WhatsApp 24-hour window not recorded: database down")
        office = self._numbers.office(message.chat_id)
        incoming = Incoming(
            CHANNEL,
            message.chat_id,
            message.user_id,
            message.text,
            kind=message.kind,
            office=office,
        )
        try:
            replies = await self._conversation.handle(incoming)
        except StorageError:
            raise  # left in the inbox; handled again when the database answers
        except Exception:
            # The one place an unexpected error in a WhatsApp turn is logged; the
            # applicant still gets an apology rather than silence.
            logger.exception("error while answering a WhatsApp message")
            replies = [Reply(ERROR)]
        user_hash = self._conversation.user_hash(incoming)
        return [Outgoing(CHANNEL, message.chat_id, reply, user_hash) for reply in replies]


class WhatsAppTransport:
    """Sends outbox replies through the Graph API, recording each message id Meta returns."""

    channel = CHANNEL

    def __init__(self, client: GraphClient, store: WhatsAppStore) -> None:
        self._client = client
        self._store = store

    def parts(self, outgoing: Outgoing) -> int:
        return len(render(outgoing.reply))

    async def send_part(self, outgoing: Outgoing, index: int) -> str:
        """Send one message; its wamid is recorded with the others of the reply in `sent`."""
        try:
            return await self._client.send(outgoing.chat_id, render(outgoing.reply)[index])
        except GraphError as exc:
            raise SendFailure(
                exc.reason, transient=exc.temporary, retry_after=exc.retry_after
            ) from exc

    async def sent(self, outgoing: Outgoing, receipts: Sequence[str]) -> None:
        """Record the wamids, so Meta's status callbacks find them."""
        await self._store.record_sent(receipts, user_hash=outgoing.user_hash)

    async def gave_up(self, outgoing: Outgoing, reason: str) -> None:
        """Shown to admins by /gagal_kirim."""
        await self._store.record_failure(reason, user_hash=outgoing.user_hash)
