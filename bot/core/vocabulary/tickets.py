"""Tickets: a question handed to the officers, its thread, and the storage roles around it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal, Protocol

from .messages import Candidate

# A message handed to the officers (added to the applicant's ticket, or a request for a
# person): one of the applicant's messages the report counts, in a share of its own.
TO_OFFICER = "to_officer"
TicketStatus = Literal["open", "claimed", "answered", "closed"]
Author = Literal["applicant", "officer", "bot"]


@dataclass(frozen=True, slots=True)
class Ticket:
    """A question handed to the officers. Texts are redacted; `chat_id` is how the reply
    finds its way back to the applicant on their channel and is never shown to staff."""

    id: int
    channel: str
    chat_id: str
    user_hash: str
    status: TicketStatus
    question: str
    guesses: tuple[Candidate, ...]
    created_at: dt.datetime
    owner_id: str | None = None
    owner_name: str | None = None
    claimed_at: dt.datetime | None = None
    first_reply_at: dt.datetime | None = None
    closed_at: dt.datetime | None = None
    last_reminded_at: dt.datetime | None = None
    office_id: str | None = None  # whose officers handle it; None: the default group


@dataclass(frozen=True, slots=True)
class TicketMessage:
    """One message in a ticket's thread."""

    ticket_id: int
    author: Author
    text: str
    created_at: dt.datetime
    officer_name: str | None = None


@dataclass(frozen=True, slots=True)
class Claim:
    """Result of pressing "Ambil": who owns the ticket now, and whether it was this call."""

    ticket: Ticket | None
    won: bool


# Ticket storage by role: each caller names only the role it uses; `bot.storage.Store`
# implements them all. Every state change is one conditional UPDATE, so two workers (or two
# officers pressing a button at once) can never both win.


class TicketLookup(Protocol):
    """One ticket by number."""

    async def get_ticket(self, ticket_id: int) -> Ticket | None:
        """The ticket, or None for an unknown number."""
        ...


class TicketLifecycle(TicketLookup, Protocol):
    """Opening, extending, claiming, answering, closing and reminding: the escalation's part."""

    async def open_ticket(
        self,
        *,
        channel: str,
        chat_id: str,
        user_hash: str,
        question: str,
        guesses: tuple[Candidate, ...],
        context: tuple[str, ...],
        office_id: str | None = None,
    ) -> Ticket:
        """Create a ticket (status open) with the question and earlier messages as context,
        for the office's officers (None: the default group)."""
        ...

    async def active_ticket(self, channel: str, chat_id: str) -> Ticket | None:
        """The chat's ticket that is not closed yet, if any (newest)."""
        ...

    async def ticket_context(self, ticket_id: int) -> tuple[str, ...] | None:
        """The earlier messages stored with the ticket (None for an unknown ticket)."""
        ...

    async def add_ticket_message(
        self, ticket_id: int, author: Author, text: str, *, officer_name: str | None = None
    ) -> None:
        """Append a message to the thread."""
        ...

    async def claim_ticket(self, ticket_id: int, officer_id: str, officer_name: str) -> Claim:
        """Make the officer the owner if nobody owns it and it is not closed."""
        ...

    async def last_officer_reply(self, ticket_id: int) -> dt.datetime | None:
        """When an officer last wrote in the thread (None: never)."""
        ...

    async def record_officer_reply(
        self, ticket_id: int, officer_id: str, officer_name: str, text: str
    ) -> Ticket | None:
        """Store an officer's answer: status answered, first reply time kept, owner set if
        none; None if the ticket does not exist or is closed."""
        ...

    async def close_ticket(self, ticket_id: int) -> Ticket | None:
        """Close it; None if it does not exist or was already closed."""
        ...

    async def due_reminders(
        self, *, now: dt.datetime, unclaimed_for: dt.timedelta, limit: int | None = None
    ) -> list[Ticket]:
        """Atomically take the open, unclaimed tickets older than `unclaimed_for` whose last
        reminder (or creation) is older than that too, stamping `last_reminded_at = now`; the
        `limit` oldest if given, the others staying due."""
        ...


class TicketThreads(TicketLookup, Protocol):
    """What officers read: the open tickets, and one ticket's context and thread."""

    async def open_tickets(self) -> list[Ticket]:
        """Tickets not closed yet, oldest first."""
        ...

    async def ticket_context(self, ticket_id: int) -> tuple[str, ...] | None:
        """The earlier messages stored with the ticket (None for an unknown ticket)."""
        ...

    async def ticket_messages(self, ticket_id: int, *, limit: int = 20) -> list[TicketMessage]:
        """The thread, oldest first (the last `limit` messages)."""
        ...


class TicketPosts(TicketLookup, Protocol):
    """Which staff-chat message shows which ticket, so a reply to it answers the ticket."""

    async def link_post(self, ticket_id: int, channel: str, chat_id: str, message_id: str) -> None:
        """Remember that a message in a staff chat shows this ticket."""
        ...

    async def ticket_for_post(self, channel: str, chat_id: str, message_id: str) -> int | None:
        """The ticket a staff-chat message shows, for replies to it."""
        ...
