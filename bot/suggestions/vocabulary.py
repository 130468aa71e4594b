"""The records `kb suggest` reads from the log and the FAQ drafts under review, shared by
`bot.storage.drafts` and `bot.storage.evidence` (which fill them) and `bot.suggestions` (which
reads them), and the roles storage plays for the suggestions (`EvidenceSource`, `DraftReview`
and its kin), handed in by the runtime."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, Protocol

from bot.reporting.vocabulary import UnansweredRow

# "log": a wording learned from people's choices in the question log (`bot.suggestions.learning`).
DraftSource = Literal["ticket", "cluster", "log"]
DraftStatus = Literal["pending", "accepted", "rejected"]


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
class LoggedTurn(ChoiceTurn):
    """A logged question or button press, with the 👍/👎 it got: what learning reads."""

    typed: bool  # typed by the person (a button press or menu title logs no normalised words)
    helpful: bool | None


@dataclass(frozen=True, slots=True)
class AnsweredTicket:
    """A ticket an officer answered: its question and the officer's last answer."""

    id: int
    question: str
    answer: str
    officer: str | None
    answered_at: dt.datetime


@dataclass(frozen=True, slots=True)
class FaqDraft:
    """One proposed change: example questions for `entry_id`, or a new entry when it is None."""

    id: int
    created_at: dt.datetime
    source: DraftSource
    ticket_id: int | None
    entry_id: str | None
    questions: tuple[str, ...]
    answer: str | None
    status: DraftStatus
    created_by: str | None
    office_id: str | None = None  # the office whose applicants it came from; None: national


@dataclass(frozen=True, slots=True)
class DraftAdded:
    """The pending draft for a ticket, and whether this call created it."""

    draft: FaqDraft
    created: bool


class EvidenceSource(Protocol):
    """What `kb suggest` reads from the log; `bot.storage.evidence.EvidenceQueries` is the real
    one."""

    async def choice_turns(self, since: dt.datetime) -> list[ChoiceTurn]: ...

    async def helpful_answers(self, since: dt.datetime) -> list[tuple[str, str]]: ...

    async def answered_tickets(self, since: dt.datetime) -> list[AnsweredTicket]: ...

    async def fallbacks(self, since: dt.datetime) -> list[UnansweredRow]: ...

    async def learning_turns(self, since: dt.datetime) -> list[LoggedTurn]: ...


class DraftReview(Protocol):
    """The drafts waiting for a reviewer; `bot.storage.drafts.Drafts` is the real one."""

    async def pending(self) -> list[FaqDraft]: ...

    async def decide(self, draft_id: int, status: DraftStatus) -> FaqDraft | None: ...


class DraftHistory(DraftReview, Protocol):
    """The review queue with its decided drafts: what was proposed before, and rejected."""

    async def from_source(self, source: DraftSource) -> list[FaqDraft]: ...


class LearnedQueue(DraftHistory, Protocol):
    """The review queue as learning uses it: the wordings it proposed before, and new ones."""

    async def add(
        self,
        *,
        source: DraftSource,
        questions: Sequence[str],
        answer: str | None = None,
        entry_id: str | None = None,
        ticket_id: int | None = None,
        created_by: str | None = None,
        office_id: str | None = None,
    ) -> FaqDraft: ...
