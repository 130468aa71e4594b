"""Shared vocabulary of the application: messages in, replies out, and what gets logged.

Plain dataclasses only, so the core, the channels and the storage agree without importing
each other.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal, Protocol

# A button naming an entry carries this prefix; the log keeps it as the press's text, which
# is how `kb suggest` finds the choices applicants made.
ENTRY = "#faq:"
# Ids are PostgreSQL `integer` columns; anything larger cannot name a row.
MAX_ID = 2**31 - 1


def record_id(text: str) -> int | None:
    """The id in button data or a command ("42"), or None for anything that cannot be one."""
    if not (text.isascii() and text.isdigit() and len(text) <= len(str(MAX_ID))):
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None


@dataclass(frozen=True, slots=True)
class Incoming:
    """One message from an applicant, already decoded by its channel."""

    channel: str
    chat_id: str
    user_id: str
    text: str
    kind: str = "text"  # or photo, voice, sticker, document, location, contact, video, other
    # The office the entry point belongs to (an office's own WhatsApp number or Instagram
    # account), set by the channel; None where the entry point serves every office.
    office: str | None = None


@dataclass(frozen=True, slots=True)
class ChatOffice:
    """A chat's stored office (if chosen) and whether the bot asked where it lives."""

    office_id: str | None
    asked: bool


@dataclass(frozen=True, slots=True)
class Button:
    """A choice shown under a reply; `data` comes back as the next message's text."""

    label: str
    data: str


@dataclass(frozen=True, slots=True)
class Reply:
    """One outgoing message: text plus optional buttons."""

    text: str
    buttons: tuple[Button, ...] = ()
    # A menu the channel may show as a persistent keyboard (Telegram reply keyboard).
    keyboard: bool = False


@dataclass(frozen=True, slots=True)
class Outcome:
    """The replies to one message and what the core decided: "answer", "clarify",
    "fallback", "to_officer" (handed to the officers), or another action ("menu", "notice",
    "ticket", "feedback", ...)."""

    replies: list[Reply]
    action: str
    topic: str | None = None  # the entry answered, or the best of those offered
    small_talk: bool = False  # the topic is a greeting or thanks, not a question's answer


@dataclass(frozen=True, slots=True)
class Candidate:
    """One ranked entry with its score."""

    faq_id: str
    score: float


@dataclass(frozen=True, slots=True)
class QuestionRecord:
    """Everything the question log keeps about one incoming message (already redacted)."""

    channel: str
    user_hash: str
    text_redacted: str
    normalized: str
    action: str
    faq_id: str | None
    score: float
    candidates: tuple[Candidate, ...]
    latency_ms: float
    kb_version: str
    flags: tuple[str, ...] = ()
    created_at: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))
    office_id: str | None = None  # the applicant's office, when known


@dataclass(frozen=True, slots=True)
class FeedbackRecord:
    """An applicant's 👍/👎 on a logged answer."""

    question_id: int
    helpful: bool
    user_hash: str
    created_at: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))


class FloodCounter(Protocol):
    """How often a user wrote lately: the flood guard's one question to storage."""

    async def messages_since(self, user_hash: str, since: dt.datetime) -> int:
        """How many messages this user sent at or after `since`."""
        ...


class QuestionLog(FloodCounter, Protocol):
    """What the conversation needs from storage; implemented by `bot.storage.Store` (and
    `bot.storage.batch.BatchedLog` in front of it)."""

    async def log_question(self, record: QuestionRecord) -> int:
        """Store one question and return its id."""
        ...

    async def add_feedback(self, record: FeedbackRecord) -> bool:
        """Store feedback; False when the question id is unknown."""
        ...


@dataclass(frozen=True, slots=True)
class ComplaintRecord:
    """A complaint or suggestion heard in a logged question: the office's feedback."""

    question_id: int
    channel: str
    kind: str  # "keluhan" or "saran"
    topic: str  # one of knowledge.complaints.TOPICS
    faq_id: str | None  # the entry answered or first offered with it
    text_redacted: str
    created_at: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))


class ComplaintLog(Protocol):
    """Where complaints and suggestions are kept for the report (the question log's store)."""

    async def add_complaint(self, record: ComplaintRecord) -> None:
        """Store one complaint or suggestion."""
        ...


class QuestionHistory(Protocol):
    """A user's earlier (redacted) questions: the context a new ticket carries."""

    async def recent_texts(self, user_hash: str, *, limit: int) -> list[str]:
        """The user's last `limit` logged messages, oldest first."""
        ...


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
        self, *, now: dt.datetime, unclaimed_for: dt.timedelta
    ) -> list[Ticket]:
        """Atomically take the open, unclaimed tickets older than `unclaimed_for` whose last
        reminder (or creation) is older than that too, stamping `last_reminded_at = now`."""
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


@dataclass(frozen=True, slots=True)
class Notice:
    """A notice pinned by an admin (the M-Paspor outage notice)."""

    text: str
    set_at: dt.datetime
    set_by: str


class NoticeBoard(Protocol):
    """Where the core reads the current outage notice."""

    async def outage(self) -> Notice | None:
        """The pinned outage notice, if any."""
        ...


# What the conversation reads for one message, in one round trip (issue 22): the sender's
# messages in the last minute (the flood guard), the chat's stored office and open ticket.
# A flood count nobody needs is asked for messages "since" NEVER: an index probe finding none.
NEVER = dt.datetime(9999, 1, 1, tzinfo=dt.UTC)


@dataclass(frozen=True, slots=True)
class ChatQuery:
    """Whose snapshot: the sender (`user_hash`, messages `since`) and the chat."""

    channel: str
    chat_id: str
    user_hash: str
    chat_hash: str
    since: dt.datetime = NEVER


@dataclass(frozen=True, slots=True)
class ChatSnapshot:
    """The sender's messages since the query's `since`, the chat's stored office (None: a
    new chat) and its newest ticket not closed yet."""

    sent: int
    office: ChatOffice | None
    ticket: Ticket | None


class ChatReads(Protocol):
    """A message's reads in one round trip; `bot.storage.batch.BatchedLog` is the real one.
    StorageError when the database fails: each step then reads on its own, with its own
    handling of an outage, as without a snapshot."""

    async def snapshot(self, query: ChatQuery) -> ChatSnapshot: ...
