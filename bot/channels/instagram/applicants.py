"""Officers' answers to Instagram applicants, within Instagram's rules: free within 24 hours
of the applicant's last message; after that and up to 7 days only with the HUMAN_AGENT tag
(when Meta granted the app that feature, `INSTAGRAM_HUMAN_AGENT=1`); otherwise the officer
is told in the group that the window has closed. An answer goes out through the account the
applicant wrote to (`accounts`)."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Sequence

from bot.channels.instagram import texts
from bot.channels.instagram.accounts import Clients, split
from bot.channels.instagram.api import InstagramError
from bot.channels.instagram.pacing import Pacer
from bot.channels.instagram.render import render
from bot.channels.instagram.store import InstagramStore
from bot.core.errors import DeliveryError
from bot.core.escalation import DONE, Officers
from bot.core.vocabulary import Reply, Ticket, TicketLookup, record_id

logger = logging.getLogger(__name__)

WINDOW = dt.timedelta(hours=24)
HUMAN_AGENT_WINDOW = dt.timedelta(days=7)
Clock = Callable[[], dt.datetime]


class InstagramApplicants:
    """`Applicants` for Instagram DMs."""

    def __init__(
        self,
        clients: Clients,
        store: InstagramStore,
        tickets: TicketLookup,
        officers: Officers,
        pacer: Pacer,
        *,
        human_agent: bool = False,
        clock: Clock = lambda: dt.datetime.now(dt.UTC),
    ) -> None:
        self._clients, self._store, self._tickets = clients, store, tickets
        self._officers, self._pacer = officers, pacer
        self._human_agent, self._clock = human_agent, clock

    async def deliver(self, channel: str, chat_id: str, replies: Sequence[Reply]) -> None:
        """Deliver an officer's answer (or a closing notice) to an Instagram chat.

        Raises DeliveryError when an answer could not be delivered, after telling the
        officers why, so the group does not also read "answer sent"."""
        ticket = await self._ticket(replies)
        tagged = await self._tagged(chat_id)
        if tagged is None:
            limit = texts.LIMIT_WEEK if self._human_agent else texts.LIMIT_DAY
            note = texts.NOTE_WINDOW_CLOSED.replace("{limit}", limit)
            await self._undelivered(ticket, f"window closed ({limit})", note)
            return
        try:
            await self._send(chat_id, replies, ticket, tagged=tagged)
        except InstagramError as exc:
            await self._undelivered(ticket, exc.reason, texts.NOTE_FAILED)
            return
        if tagged and ticket is not None:
            await self._officers.post_note(ticket, texts.NOTE_HUMAN_AGENT.format(number=ticket.id))

    async def _tagged(self, chat_id: str) -> bool | None:
        """False inside 24 hours, True when only the HUMAN_AGENT tag reaches them, None
        when nothing may be sent."""
        row = await self._store.chat(chat_id) if split(chat_id)[0].isdigit() else None
        last = row.last_inbound_at if row is not None else None
        if last is None:
            return None
        age = self._clock() - last
        if age < WINDOW:
            return False
        return True if self._human_agent and age < HUMAN_AGENT_WINDOW else None

    async def _send(
        self, chat_id: str, replies: Sequence[Reply], ticket: Ticket | None, *, tagged: bool
    ) -> None:
        user_hash = ticket.user_hash if ticket else None
        client, (igsid, _) = self._clients.of(chat_id), split(chat_id)
        for reply in replies:
            for message in render(reply):
                await self._pacer.wait()
                mid = await client.send(igsid, message, human_agent=tagged)
                await self._store.record_sent([mid], user_hash=user_hash)

    async def _ticket(self, replies: Sequence[Reply]) -> Ticket | None:
        """The ticket an officer's answer belongs to (its "answered" button names it)."""
        data = [
            b.data.removeprefix(DONE)
            for r in replies
            for b in r.buttons
            if b.data.startswith(DONE)
        ]
        numbers = [n for n in map(record_id, data) if n is not None]
        return await self._tickets.get_ticket(numbers[0]) if numbers else None

    async def _undelivered(self, ticket: Ticket | None, reason: str, note: str) -> None:
        """Record the failure; for an answer, tell the officers and raise."""
        user_hash = ticket.user_hash if ticket else None
        ticket_id = ticket.id if ticket else None
        await self._store.record_failure(reason, user_hash=user_hash, ticket_id=ticket_id)
        if ticket is None:
            logger.info("Instagram notice not delivered: %s", reason)
            return
        await self._officers.post_note(ticket, note.format(number=ticket.id, reason=reason))
        raise DeliveryError(f"answer to ticket #{ticket.id} not delivered on Instagram: {reason}")
