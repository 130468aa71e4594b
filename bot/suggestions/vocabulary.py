"""The records `kb suggest` reads from the log, shared by `bot.storage.drafts` (which fills
them) and `bot.suggestions` (which reads them)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ChoiceTurn:
    """A logged "Maksud Anda…?" question (clarify) or a press on one of its choices."""

    user_hash: str
    created_at: dt.datetime
    action: str
    text: str
    faq_id: str | None
    candidates: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class AnsweredTicket:
    """A ticket an officer answered: its question and the officer's last answer."""

    id: int
    question: str
    answer: str
    officer: str | None
    answered_at: dt.datetime
