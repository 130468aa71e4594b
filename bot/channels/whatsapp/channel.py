"""WhatsApp for applicants: inbound messages to the core, core replies out through the Graph
API, and officers' answers delivered within WhatsApp's 24-hour rule.

Officers stay in their Telegram group; when an answer cannot reach a WhatsApp applicant they
are told there, with the reason.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Sequence

from bot.channels.whatsapp.api import GraphClient, GraphError
from bot.channels.whatsapp.render import render, template_message
from bot.core.errors import DeliveryError
from bot.core.escalation import DONE, Officers
from bot.core.replies import WA_NOTE_FAILED, WA_NOTE_TEMPLATE, WA_NOTE_WINDOW_CLOSED
from bot.core.vocabulary import Reply, Ticket, TicketLookup, record_id
from bot.storage.whatsapp import WhatsAppStore

logger = logging.getLogger(__name__)

CHANNEL = "whatsapp"
WINDOW = dt.timedelta(hours=24)
TEMPLATE_LANGUAGE = "id"
WINDOW_GONE = "24-hour window closed"
WINDOW_CLOSED = f"{WINDOW_GONE} and no template configured"
Clock = Callable[[], dt.datetime]


async def window_open(store: WhatsAppStore, chat_id: str, now: dt.datetime) -> bool:
    """Whether the chat wrote to us in the last 24 hours (free-form messages are allowed)."""
    last = await store.last_inbound(chat_id)
    return last is not None and now - last < WINDOW


class WhatsAppSender:
    """Sends core replies and records every message id Meta hands back."""

    def __init__(self, client: GraphClient, store: WhatsAppStore) -> None:
        self._client = client
        self._store = store

    async def send(
        self, chat_id: str, reply: Reply, *, user_hash: str | None, ticket_id: int | None = None
    ) -> list[str]:
        """Send every message of a reply; GraphError at the first one refused."""
        sent: list[str] = []
        try:
            for payload in render(reply):
                sent.append(await self._client.send(chat_id, payload))
        finally:
            # One write for the whole reply (each database round trip costs on a busy host);
            # in `finally` so the parts that did go out are recorded even after a refusal.
            await self._store.record_sent(sent, user_hash=user_hash, ticket_id=ticket_id)
        return sent

    async def send_template(
        self,
        chat_id: str,
        template: str,
        text: str,
        *,
        user_hash: str | None,
        ticket_id: int | None = None,
    ) -> str:
        """Send the approved template (`name` or `name:language`) carrying `text`."""
        name, _, language = template.partition(":")
        payload = template_message(name, language or TEMPLATE_LANGUAGE, text)
        wamid = await self._client.send(chat_id, payload)
        await self._store.record_sent([wamid], user_hash=user_hash, ticket_id=ticket_id)
        return wamid


class WhatsAppApplicants:
    """`Applicants` for WhatsApp: free-form inside the 24-hour window, else the template."""

    def __init__(
        self,
        sender: WhatsAppSender,
        store: WhatsAppStore,
        tickets: TicketLookup,
        officers: Officers,
        *,
        template: str = "",
        clock: Clock = lambda: dt.datetime.now(dt.UTC),
    ) -> None:
        self._sender = sender
        self._store = store
        self._tickets = tickets
        self._officers = officers
        self._template = template
        self._clock = clock

    async def deliver(self, channel: str, chat_id: str, replies: Sequence[Reply]) -> None:
        """Deliver an officer's answer (or a closing notice) to a WhatsApp chat.

        Raises DeliveryError when an answer could not be delivered at all, after telling the
        officers why, so the group does not also read "answer sent".
        """
        ticket = await self._ticket(replies)
        user_hash = ticket.user_hash if ticket else None
        if await self._window_open(chat_id):
            try:
                for reply in replies:
                    ticket_id = ticket.id if ticket else None
                    await self._sender.send(
                        chat_id, reply, user_hash=user_hash, ticket_id=ticket_id
                    )
                return
            except GraphError as exc:
                if not exc.window_closed:  # Meta's clock disagrees with ours: use the template
                    await self._undelivered(ticket, exc.reason, WA_NOTE_FAILED)
                    return
        await self._outside_window(chat_id, replies, ticket)

    async def _window_open(self, chat_id: str) -> bool:
        return await window_open(self._store, chat_id, self._clock())

    async def _ticket(self, replies: Sequence[Reply]) -> Ticket | None:
        """The ticket an officer's answer belongs to (its "answered" button names it)."""
        for reply in replies:
            for button in reply.buttons:
                number = record_id(button.data.removeprefix(DONE))
                if button.data.startswith(DONE) and number is not None:
                    return await self._tickets.get_ticket(number)
        return None

    async def _outside_window(
        self, chat_id: str, replies: Sequence[Reply], ticket: Ticket | None
    ) -> None:
        if ticket is None:
            # A closing notice is not worth a business-initiated message; it is only recorded.
            await self._store.record_failure(WINDOW_GONE, user_hash=None)
            logger.info("WhatsApp notice not sent: the chat's 24-hour window has closed")
            return
        if not self._template:
            await self._undelivered(ticket, WINDOW_CLOSED, WA_NOTE_WINDOW_CLOSED)
            return
        text = "\n\n".join(reply.text for reply in replies)
        try:
            await self._sender.send_template(
                chat_id, self._template, text, user_hash=ticket.user_hash, ticket_id=ticket.id
            )
        except GraphError as exc:
            await self._undelivered(ticket, exc.reason, WA_NOTE_FAILED)
            return
        await self._officers.post_note(ticket, WA_NOTE_TEMPLATE.format(number=ticket.id))

    async def _undelivered(self, ticket: Ticket | None, reason: str, note: str) -> None:
        """Record the failure; for an answer, tell the officers and raise."""
        user_hash = ticket.user_hash if ticket else None
        ticket_id = ticket.id if ticket else None
        await self._store.record_failure(reason, user_hash=user_hash, ticket_id=ticket_id)
        if ticket is None:
            logger.warning("WhatsApp notice not delivered: %s", reason)
            return
        await self._officers.post_note(ticket, note.format(number=ticket.id, reason=reason))
        raise DeliveryError(f"answer to ticket #{ticket.id} not delivered on WhatsApp: {reason}")
