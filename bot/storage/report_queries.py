"""Read-only figures for the admin reports: activity, most asked entries, unanswered questions.

Every period is half-open, `since <= t < until`, so consecutive periods never count a row
twice. Only portable SQL (counts, sums of CASE, joins): anything dialect-specific, such as a
median, is computed in Python from the fetched values.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, case, func, not_, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine
from sqlalchemy.orm import InstrumentedAttribute

from bot.storage.errors import translate_errors
from bot.storage.tables import FeedbackRow, QuestionRow, TicketRow

# The actions that answer an applicant's own question; menus, notices, feedback and ticket
# messages are other traffic.
QUESTION_ACTIONS = ("answer", "clarify", "fallback")
UNANSWERED_ACTIONS = ("fallback", "clarify")


@dataclass(frozen=True, slots=True)
class Activity:
    """What happened in one period."""

    since: dt.datetime
    until: dt.datetime
    answered: int
    clarified: int
    fallback: int
    helpful: int
    unhelpful: int
    tickets_opened: int
    tickets_answered: int
    # Minutes from opening to the first officer reply, for tickets opened in the period.
    first_reply_minutes: tuple[float, ...] = ()

    @property
    def questions(self) -> int:
        """Real questions: answered, clarified or not understood."""
        return self.answered + self.clarified + self.fallback

    @property
    def median_first_reply(self) -> float | None:
        """Median minutes to the first officer reply, None when no ticket got one."""
        if not self.first_reply_minutes:
            return None
        return statistics.median(self.first_reply_minutes)


@dataclass(frozen=True, slots=True)
class EntryCount:
    """How often one entry was given as the answer, and what applicants thought of it."""

    faq_id: str
    asked: int
    helpful: int
    unhelpful: int


@dataclass(frozen=True, slots=True)
class UnansweredRow:
    """A question the bot could not answer outright (fallback or clarify)."""

    text_redacted: str
    normalized: str
    created_at: dt.datetime
    top_candidate: str | None


class ReportQueries:
    """The admin reports' queries over an engine the caller owns (it is never disposed here)."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def activity(self, *, since: dt.datetime, until: dt.datetime) -> Activity:
        """Questions by outcome, feedback, tickets and first reply times in the period."""
        _check_period(since, until)
        with translate_errors("reading activity"):
            async with self._engine.connect() as connection:
                actions = await _counts(connection, _action_counts(since, until))
                votes = await _counts(connection, _feedback_counts(since, until))
                opened = await _count(connection, _in(TicketRow.created_at, since, until))
                replied = await _count(connection, _in(TicketRow.first_reply_at, since, until))
                minutes = await _first_reply_minutes(connection, since, until)
        return Activity(
            since=since,
            until=until,
            answered=actions.get("answer", 0),
            clarified=actions.get("clarify", 0),
            fallback=actions.get("fallback", 0),
            helpful=votes.get(True, 0),
            unhelpful=votes.get(False, 0),
            tickets_opened=opened,
            tickets_answered=replied,
            first_reply_minutes=minutes,
        )

    async def top_entries(
        self, *, since: dt.datetime, until: dt.datetime, limit: int = 10
    ) -> list[EntryCount]:
        """The entries answered most often in the period, with the feedback on those answers."""
        _check_period(since, until)
        if limit <= 0:
            return []  # SQLite reads a negative LIMIT as "no limit", PostgreSQL refuses it
        with translate_errors("reading the most asked entries"):
            async with self._engine.connect() as connection:
                result = await connection.execute(_top_statement(since, until, limit))
                rows = result.all()
        # faq_id is never NULL here: the statement filters those rows out.
        return [EntryCount(str(faq), asked, int(up), int(down)) for faq, asked, up, down in rows]

    async def unanswered(
        self, *, since: dt.datetime, until: dt.datetime, limit: int = 2000
    ) -> list[UnansweredRow]:
        """Questions answered with a fallback or a clarifying choice, newest first."""
        _check_period(since, until)
        if limit <= 0:
            return []
        statement = _unanswered_statement(since, until, limit)
        with translate_errors("reading unanswered questions"):
            async with self._engine.connect() as connection:
                rows = (await connection.execute(statement)).all()
        return [UnansweredRow(text, norm, at, _top(cands)) for text, norm, at, cands in rows]


def _check_period(since: dt.datetime, until: dt.datetime) -> None:
    # Fail here, not as a driver error: a naive bound would be a caller's bug, not a
    # database failure, and UTCDateTime refuses it only when the statement is bound.
    if since.tzinfo is None or until.tzinfo is None:
        raise ValueError("naive datetime: period bounds must carry a timezone")
    if since > until:
        raise ValueError("period starts after it ends")


def _in(
    column: InstrumentedAttribute[dt.datetime] | InstrumentedAttribute[dt.datetime | None],
    since: dt.datetime,
    until: dt.datetime,
) -> ColumnElement[bool]:
    return (column >= since) & (column < until)


def _action_counts(since: dt.datetime, until: dt.datetime) -> Select[str, int]:
    return (
        select(QuestionRow.action, func.count())
        .where(
            QuestionRow.action.in_(QUESTION_ACTIONS),
            _in(QuestionRow.created_at, since, until),
        )
        .group_by(QuestionRow.action)
    )


def _feedback_counts(since: dt.datetime, until: dt.datetime) -> Select[bool, int]:
    return (
        select(FeedbackRow.helpful, func.count())
        .where(_in(FeedbackRow.created_at, since, until))
        .group_by(FeedbackRow.helpful)
    )


async def _counts(connection: AsyncConnection, statement: Select[Any, int]) -> Mapping[Any, int]:
    result = await connection.execute(statement)
    return {key: int(count) for key, count in result.all()}


async def _count(connection: AsyncConnection, condition: ColumnElement[bool]) -> int:
    statement = select(func.count()).select_from(TicketRow).where(condition)
    return int(await connection.scalar(statement) or 0)


async def _first_reply_minutes(
    connection: AsyncConnection, since: dt.datetime, until: dt.datetime
) -> tuple[float, ...]:
    statement = select(TicketRow.created_at, TicketRow.first_reply_at).where(
        _in(TicketRow.created_at, since, until), TicketRow.first_reply_at.is_not(None)
    )
    rows = (await connection.execute(statement)).all()
    return tuple(
        sorted((replied - opened).total_seconds() / 60 for opened, replied in rows if replied)
    )


def _top_statement(
    since: dt.datetime, until: dt.datetime, limit: int
) -> Select[str | None, int, Any, Any]:
    # Feedback is counted on the answers given in the period (whenever it was sent), so
    # 👍 and 👎 describe the same answers as `asked`. A question may carry feedback from
    # several users, hence COUNT(DISTINCT) for the answers themselves.
    asked = func.count(QuestionRow.id.distinct())
    helpful = func.sum(case((FeedbackRow.helpful, 1), else_=0))
    # Questions without feedback join a NULL `helpful`; NOT NULL is NULL, so the CASE says 0.
    unhelpful = func.sum(case((not_(FeedbackRow.helpful), 1), else_=0))
    return (
        select(QuestionRow.faq_id, asked, helpful, unhelpful)
        .outerjoin(FeedbackRow, FeedbackRow.question_id == QuestionRow.id)
        .where(
            QuestionRow.action == "answer",
            QuestionRow.faq_id.is_not(None),
            _in(QuestionRow.created_at, since, until),
        )
        .group_by(QuestionRow.faq_id)
        .order_by(asked.desc(), helpful.desc(), QuestionRow.faq_id)
        .limit(limit)
    )


def _unanswered_statement(
    since: dt.datetime, until: dt.datetime, limit: int
) -> Select[str, str, dt.datetime, list[dict[str, Any]]]:
    return (
        select(
            QuestionRow.text_redacted,
            QuestionRow.normalized,
            QuestionRow.created_at,
            QuestionRow.candidates,
        )
        .where(
            QuestionRow.action.in_(UNANSWERED_ACTIONS),
            _in(QuestionRow.created_at, since, until),
            # Button presses ("none of these") log no normalised words: nothing to group.
            QuestionRow.normalized != "",
        )
        .order_by(QuestionRow.created_at.desc(), QuestionRow.id.desc())
        .limit(limit)
    )


def _top(candidates: list[dict[str, Any]] | None) -> str | None:
    if not candidates:
        return None
    faq_id = candidates[0].get("faq_id")
    return str(faq_id) if faq_id is not None else None
