"""Hand questions to officers and carry their answers back: the ticket lifecycle.

The core decides *what* happens; two narrow seams do the sending: `Officers` (the staff
chat, Telegram today) and `Applicants` (back to the applicant on whatever channel they used).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Sequence
from typing import Protocol

from bot import replies as say
from bot.hours import OfficeHours
from bot.model import Button, Candidate, Claim, Incoming, Reply, Ticket, TicketStore
from bot.privacy import redact

logger = logging.getLogger(__name__)

AGENT, DONE = "#agent", "#done:"
CONTEXT_MESSAGES = 5


class Officers(Protocol):
    """Where officers see tickets (a staff group)."""

    async def post_ticket(self, ticket: Ticket, context: Sequence[str]) -> None:
        """Announce a new ticket with its question, the bot's guesses and context."""
        ...

    async def post_note(self, ticket: Ticket, text: str) -> None:
        """Tell the officers something about a ticket (new message, closed, reminder)."""
        ...


class Applicants(Protocol):
    """Delivery back to an applicant on their own channel."""

    async def deliver(self, channel: str, chat_id: str, replies: Sequence[Reply]) -> None:
        """Send replies to a chat outside of a conversation turn."""
        ...


class Escalation:
    """Opens, extends, answers, closes and reminds about tickets."""

    def __init__(
        self,
        tickets: TicketStore,
        officers: Officers,
        applicants: Applicants,
        *,
        hours: OfficeHours,
        applicant_hours: str,
        remind_after: dt.timedelta,
        clock: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
    ) -> None:
        self.tickets = tickets
        self._officers = officers
        self._applicants = applicants
        self._hours = hours
        self._applicant_hours = applicant_hours
        self._remind_after = remind_after
        self._clock = clock

    async def active(self, message: Incoming) -> Ticket | None:
        """The chat's ticket that is still open, if any."""
        return await self.tickets.active_ticket(message.channel, message.chat_id)

    async def open(
        self, message: Incoming, user_hash: str, guess: Callable[[str], tuple[Candidate, ...]]
    ) -> tuple[Ticket, list[Reply]]:
        """Open a ticket from the applicant's recent questions (or join the open one)."""
        current = await self.active(message)
        if current is not None:
            return current, [Reply(say.TICKET_ALREADY.format(number=current.id))]
        earlier = await self.tickets.recent_texts(user_hash, limit=CONTEXT_MESSAGES + 3)
        asked = [
            t for t in earlier if t and not t.startswith(("#", "/")) and not is_agent_request(t)
        ]
        question = asked[-1] if asked else say.TICKET_NO_QUESTION
        ticket = await self.tickets.open_ticket(
            channel=message.channel,
            chat_id=message.chat_id,
            user_hash=user_hash,
            question=question,
            guesses=guess(question) if asked else (),
            context=tuple(asked[-CONTEXT_MESSAGES:-1]),
        )
        await self._officers.post_ticket(ticket, asked[-CONTEXT_MESSAGES:-1])
        lead = say.TICKET_OPENED.format(number=ticket.id, hours=self._applicant_hours)
        if not asked:
            lead += "\n\n" + say.TICKET_ASK_QUESTION
        return ticket, [Reply(lead)]

    async def append(self, ticket: Ticket, text: str) -> list[Reply]:
        """Add an applicant's message (already redacted) to their open ticket."""
        await self.tickets.add_ticket_message(ticket.id, "applicant", text)
        await self._officers.post_note(
            ticket, say.NOTE_APPLICANT.format(number=ticket.id, text=text)
        )
        return [Reply(say.TICKET_APPENDED.format(number=ticket.id))]

    async def claim(self, ticket_id: int, officer_id: str, officer_name: str) -> Claim:
        """An officer takes a ticket; exactly one of several simultaneous presses wins."""
        return await self.tickets.claim_ticket(ticket_id, officer_id, officer_name)

    async def answer(
        self, ticket_id: int, officer_id: str, officer_name: str, text: str
    ) -> Ticket | None:
        """Store an officer's answer (redacted) and deliver it (as written) to the applicant."""
        stored = redact(text).text
        ticket = await self.tickets.record_officer_reply(
            ticket_id, officer_id, officer_name, stored
        )
        if ticket is None:
            return None
        done = Button(say.TICKET_DONE_BUTTON, f"{DONE}{ticket.id}")
        reply = Reply(say.OFFICER_ANSWER.format(number=ticket.id, text=text), buttons=(done,))
        await self._applicants.deliver(ticket.channel, ticket.chat_id, [reply])
        return ticket

    async def close(self, ticket_id: int, *, by_applicant: bool = False) -> Ticket | None:
        """Close a ticket and tell the applicant (and the officers, if the applicant closed)."""
        ticket = await self.tickets.close_ticket(ticket_id)
        if ticket is None:
            return None
        if by_applicant:
            await self._officers.post_note(
                ticket, say.NOTE_CLOSED_BY_APPLICANT.format(number=ticket.id)
            )
        else:
            closed = Reply(say.TICKET_CLOSED.format(number=ticket.id))
            await self._applicants.deliver(ticket.channel, ticket.chat_id, [closed])
        return ticket

    async def remind(self) -> list[Ticket]:
        """Announce unclaimed tickets again, during office hours only (safe on every worker)."""
        now = self._clock()
        if not self._hours.is_open(now):
            return []
        due = await self.tickets.due_reminders(now=now, unclaimed_for=self._remind_after)
        for ticket in due:
            waited = int((now - ticket.created_at).total_seconds() // 60)
            await self._officers.post_note(
                ticket, say.NOTE_REMINDER.format(number=ticket.id, minutes=waited)
            )
        return due


AGENT_PHRASES = (
    "tanya petugas",
    "hubungi petugas",
    "bicara dengan petugas",
    "bicara sama petugas",
    "minta petugas",
    "chat petugas",
    "sambungkan ke petugas",
    "mau ke petugas",
    "/petugas",
    "ngobrol dengan petugas",
    "ngomong sama petugas",
    "hubungi admin",
    "bicara dengan admin",
    "tanya orang",
    "tanya manusia",
    "bicara dengan manusia",
    "cs manusia",
    "operator manusia",
)


def is_agent_request(text: str) -> bool:
    """Whether the applicant asks for a person rather than the bot."""
    folded = " ".join(text.casefold().split())
    return folded == AGENT or any(phrase in folded for phrase in AGENT_PHRASES)
