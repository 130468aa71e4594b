"""Hand questions to officers and carry their answers back: the ticket lifecycle.

The core decides *what* happens; two narrow seams do the sending: `Officers` (the staff
chat, Telegram today) and `Applicants` (back to the applicant on whatever channel they used).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import Protocol

from bot.core.hours import OfficeHours
from bot.core.privacy import redact
from bot.core.replies import (
    ADMIN_POST_FAILED,
    ADMIN_POST_RECOVERED,
    BOT_ANSWERED,
    NOTE_APPLICANT,
    NOTE_BOT_ANSWERED,
    NOTE_CLOSED_BY_APPLICANT,
    NOTE_REMINDER,
    OFFICER_ANSWER,
    TICKET_ALREADY,
    TICKET_ALREADY_NOT_POSTED,
    TICKET_APPENDED,
    TICKET_ASK_QUESTION,
    TICKET_CLOSED,
    TICKET_DONE_BUTTON,
    TICKET_NO_QUESTION,
    TICKET_NOT_POSTED,
    TICKET_OPENED,
)
from bot.core.vocabulary import (
    Button,
    Candidate,
    Claim,
    Incoming,
    QuestionHistory,
    Reply,
    Ticket,
    TicketLifecycle,
)

logger = logging.getLogger(__name__)

AGENT, DONE = "#agent", "#done:"
CONTEXT_MESSAGES = 5
# A refused ticket post is tried again after this, then twice as late each round, up to the cap.
RETRY_FIRST = dt.timedelta(seconds=30)
RETRY_CAP = dt.timedelta(minutes=15)
# An officer who claimed (or answered) a ticket holds the conversation until this long after
# their claim or last answer (the root hands in TICKET_IDLE_HOURS).
OFFICER_IDLE = dt.timedelta(hours=24)
# Reminders one worker posts a round (a minute): Telegram lets a bot post 20 a minute in a
# group, and the posts of new tickets and applicants' notes, sent while their message is
# handled, must not wait behind a morning's backlog of reminders. The rest stay due.
REMINDERS_PER_ROUND = 5
Alert = Callable[[str], Awaitable[None]]


class Officers(Protocol):
    """Where officers see tickets (a staff group)."""

    async def post_ticket(self, ticket: Ticket, context: Sequence[str]) -> bool:
        """Announce a new ticket with its question, the bot's guesses and context; False
        when the staff chat did not take the post (it is then retried later)."""
        ...

    async def post_note(self, ticket: Ticket, text: str) -> None:
        """Tell the officers something about a ticket (new message, closed, reminder)."""
        ...


class Applicants(Protocol):
    """Delivery back to an applicant on their own channel."""

    async def deliver(self, channel: str, chat_id: str, replies: Sequence[Reply]) -> None:
        """Send replies to a chat outside of a conversation turn."""
        ...


class PostRetries(Protocol):
    """The retry book of refused ticket posts (`bot.storage.post_retries.PostRetries`)."""

    async def put(self, ticket_id: int, *, retry_at: dt.datetime) -> None: ...

    async def take_due(self, *, now: dt.datetime, cap: dt.timedelta) -> list[int]: ...

    async def done(self, ticket_id: int) -> None: ...

    async def pending(self) -> list[int]: ...


class Escalation:
    """Opens, extends, answers, closes and reminds about tickets."""

    def __init__(
        self,
        tickets: TicketLifecycle,
        officers: Officers,
        applicants: Applicants,
        *,
        history: QuestionHistory,
        hours: OfficeHours,
        applicant_hours: str,
        remind_after: dt.timedelta,
        retries: PostRetries | None = None,
        alert: Alert | None = None,
        officer_idle: dt.timedelta = OFFICER_IDLE,
        unstaffed: frozenset[str] = frozenset(),
        clock: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
    ) -> None:
        """`unstaffed`: channels whose chats no officer can answer (the terminal chat)."""
        self._tickets = tickets
        self._history = history
        self._officers = officers
        self._applicants = applicants
        self._hours = hours
        self._applicant_hours = applicant_hours
        self._remind_after = remind_after
        self._retries = retries
        self._alert = alert
        self._officer_idle = officer_idle
        self._unstaffed = unstaffed
        self._clock = clock

    def staffed(self, channel: str) -> bool:
        """Whether officers can answer tickets from this channel's chats."""
        return channel not in self._unstaffed

    async def active(self, message: Incoming) -> Ticket | None:
        """The chat's ticket that is still open, if any."""
        return await self._tickets.active_ticket(message.channel, message.chat_id)

    async def open(
        self,
        message: Incoming,
        user_hash: str,
        guess: Callable[[str], tuple[Candidate, ...]],
        *,
        office_id: str | None = None,
    ) -> tuple[Ticket, list[Reply]]:
        """Open a ticket from the applicant's recent questions (or join the open one), for
        the officers of the applicant's office (None: the default group)."""
        current = await self.active(message)
        if current is not None:
            unposted = self._retries and current.id in await self._retries.pending()
            already = TICKET_ALREADY_NOT_POSTED if unposted else TICKET_ALREADY
            return current, [Reply(already.format(number=current.id))]
        earlier = await self._history.recent_texts(user_hash, limit=CONTEXT_MESSAGES + 3)
        asked = [
            t for t in earlier if t and not t.startswith(("#", "/")) and not is_agent_request(t)
        ]
        question = asked[-1] if asked else TICKET_NO_QUESTION
        ticket = await self._tickets.open_ticket(
            channel=message.channel,
            chat_id=message.chat_id,
            user_hash=user_hash,
            question=question,
            guesses=guess(question) if asked else (),
            context=tuple(asked[-CONTEXT_MESSAGES:-1]),
            office_id=office_id,
        )
        posted = await self.announce(ticket, asked[-CONTEXT_MESSAGES:-1])
        opened = TICKET_OPENED if posted else TICKET_NOT_POSTED
        lead = opened.format(number=ticket.id, hours=self._applicant_hours)
        if not asked:
            lead += "\n\n" + TICKET_ASK_QUESTION
        return ticket, [Reply(lead)]

    async def announce(self, ticket: Ticket, context: Sequence[str]) -> bool:
        """Post a new ticket; a refused post is booked for retries and the admins are told."""
        if await self._officers.post_ticket(ticket, context):
            return True
        logger.error("ticket #%s did not reach the officers' group; retrying later", ticket.id)
        if self._retries is not None:
            await self._retries.put(ticket.id, retry_at=self._clock() + RETRY_FIRST)
        await self._tell_admins(ADMIN_POST_FAILED.format(number=ticket.id))
        return False

    async def repost(self, now: dt.datetime | None = None) -> list[int]:
        """Try again the ticket posts that are due (safe on every worker); the numbers that
        reached the officers this round."""
        if self._retries is None:
            return []
        posted = []
        for ticket_id in await self._retries.take_due(now=now or self._clock(), cap=RETRY_CAP):
            ticket = await self._tickets.get_ticket(ticket_id)
            if ticket is None or ticket.status == "closed":
                await self._retries.done(ticket_id)
                continue
            context = await self._tickets.ticket_context(ticket_id) or ()
            if await self._officers.post_ticket(ticket, context):
                await self._retries.done(ticket_id)
                await self._tell_admins(ADMIN_POST_RECOVERED.format(number=ticket_id))
                posted.append(ticket_id)
        return posted

    async def _tell_admins(self, text: str) -> None:
        if self._alert is None:
            return
        try:
            await self._alert(text)
        except Exception:  # the staff chat may be down too: the ERROR log still shows it
            logger.exception("admins could not be told: %s", text)

    async def append(self, ticket: Ticket, text: str) -> list[Reply]:
        """Add an applicant's message (already redacted) to their open ticket."""
        await self._tickets.add_ticket_message(ticket.id, "applicant", text)
        await self._officers.post_note(ticket, NOTE_APPLICANT.format(number=ticket.id, text=text))
        return [Reply(TICKET_APPENDED.format(number=ticket.id))]

    async def append_answered(self, ticket: Ticket, text: str, title: str) -> None:
        """Add a question the bot answered with the entry `title` to the open ticket, so the
        officers see what else the applicant asked and what they were told."""
        await self._tickets.add_ticket_message(ticket.id, "applicant", text)
        await self._tickets.add_ticket_message(ticket.id, "bot", BOT_ANSWERED.format(title=title))
        note = NOTE_BOT_ANSWERED.format(number=ticket.id, title=title, text=text)
        await self._officers.post_note(ticket, note)

    async def with_officer(self, ticket: Ticket) -> bool:
        """Whether an officer holds the conversation: the ticket is claimed (or answered),
        and the officer claimed or wrote less than the idle time ago."""
        if ticket.owner_id is None or ticket.claimed_at is None:
            return False
        wrote = await self._tickets.last_officer_reply(ticket.id)
        latest = max(ticket.claimed_at, wrote or ticket.claimed_at)
        return self._clock() - latest < self._officer_idle

    async def claim(self, ticket_id: int, officer_id: str, officer_name: str) -> Claim:
        """An officer takes a ticket; exactly one of several simultaneous presses wins."""
        return await self._tickets.claim_ticket(ticket_id, officer_id, officer_name)

    async def answer(
        self, ticket_id: int, officer_id: str, officer_name: str, text: str
    ) -> Ticket | None:
        """Store an officer's answer (redacted) and deliver it (as written) to the applicant."""
        stored = redact(text).text
        ticket = await self._tickets.record_officer_reply(
            ticket_id, officer_id, officer_name, stored
        )
        if ticket is None:
            return None
        done = Button(TICKET_DONE_BUTTON, f"{DONE}{ticket.id}")
        reply = Reply(OFFICER_ANSWER.format(number=ticket.id, text=text), buttons=(done,))
        await self._applicants.deliver(ticket.channel, ticket.chat_id, [reply])
        return ticket

    async def close(self, ticket_id: int, *, by_applicant: bool = False) -> Ticket | None:
        """Close a ticket and tell the applicant (and the officers, if the applicant closed)."""
        ticket = await self._tickets.close_ticket(ticket_id)
        if ticket is None:
            return None
        if by_applicant:
            await self._officers.post_note(
                ticket, NOTE_CLOSED_BY_APPLICANT.format(number=ticket.id)
            )
        else:
            closed = Reply(TICKET_CLOSED.format(number=ticket.id))
            await self._applicants.deliver(ticket.channel, ticket.chat_id, [closed])
        return ticket

    async def remind(self) -> list[Ticket]:
        """Announce unclaimed tickets again, during office hours only (safe on every worker)."""
        now = self._clock()
        if not self._hours.is_open(now):
            return []
        due = await self._tickets.due_reminders(
            now=now, unclaimed_for=self._remind_after, limit=REMINDERS_PER_ROUND
        )
        for ticket in due:
            waited = int((now - ticket.created_at).total_seconds() // 60)
            await self._officers.post_note(
                ticket, NOTE_REMINDER.format(number=ticket.id, minutes=waited)
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
