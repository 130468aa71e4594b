"""Shared vocabulary of the application: messages in, replies out, and what gets logged.

Plain dataclasses only, so the core, the channels and the storage agree without importing
each other.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal, Protocol

Action = Literal["answer", "clarify", "fallback", "greeting", "feedback", "menu", "notice"]


@dataclass(frozen=True, slots=True)
class Incoming:
    """One message from an applicant, already decoded by its channel."""

    channel: str
    chat_id: str
    user_id: str
    text: str


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


@dataclass(frozen=True, slots=True)
class FeedbackRecord:
    """An applicant's 👍/👎 on a logged answer."""

    question_id: int
    helpful: bool
    user_hash: str
    created_at: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))


class QuestionLog(Protocol):
    """What the core needs from storage; implemented by `bot.storage.Store`."""

    async def log_question(self, record: QuestionRecord) -> int:
        """Store one question and return its id."""
        ...

    async def add_feedback(self, record: FeedbackRecord) -> bool:
        """Store feedback; False when the question id is unknown."""
        ...
