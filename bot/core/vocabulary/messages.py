"""Messages in, replies out, and what gets logged: the conversation's own words."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Protocol

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
