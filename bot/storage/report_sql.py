"""SQL for the full report (`python -m bot report`, /laporan and the weekly digest).

Portable on SQLite and PostgreSQL: periods are cut into buckets (days, months) by comparing
timestamps with bounds computed in Python, so a local calendar day in any time zone is exact
without dialect date functions, and the JSON path to the top candidate is rendered by
SQLAlchemy for each dialect (JSON_EXTRACT on SQLite, #>> on PostgreSQL).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, exists, func, not_, select, true
from sqlalchemy.orm import InstrumentedAttribute

from bot.storage.tables import (
    ComplaintRow,
    FeedbackRow,
    QuestionRow,
    TicketMessageRow,
    TicketRow,
)

# Every applicant message the report counts: the bot answered it, offered a choice, could not
# answer it, or handed it to the officers (added to a ticket, or a request for a person).
QUESTION_ACTIONS = ("answer", "clarify", "fallback", "to_officer")
UNANSWERED_ACTIONS = ("fallback", "clarify")

_When = dt.datetime | None


def asked_in(office: str | None) -> ColumnElement[bool]:
    """Questions logged for `office`; every question when None (the combined report).

    With the period's bounds on `created_at` this is what `ix_questions_office_report`
    serves, so one office's month reads only that office's rows."""
    return true() if office is None else QuestionRow.office_id == office


def opened_in(office: str | None) -> ColumnElement[bool]:
    """Tickets of `office` (by the ticket's own office); every ticket when None."""
    return true() if office is None else TicketRow.office_id == office


def bucket_of(
    column: InstrumentedAttribute[dt.datetime], bounds: Sequence[dt.datetime]
) -> ColumnElement[int]:
    """The index i with bounds[i] <= column < bounds[i + 1]; rows outside are filtered out."""
    # A row below bounds[i + 1] that passed the WHERE (>= bounds[0]) is in bucket i: the
    # first true branch wins, so each WHEN needs only the upper bound.
    return case(*((column < upper, index) for index, upper in enumerate(bounds[1:])))


def bucket_counts(
    bounds: Sequence[dt.datetime], *, office: str | None = None
) -> Select[int, str, str, int]:
    """Questions per (bucket, channel, action) between the first and last bound."""
    bucket = bucket_of(QuestionRow.created_at, bounds).label("bucket")
    return (
        select(bucket, QuestionRow.channel, QuestionRow.action, func.count())
        .where(
            QuestionRow.action.in_(QUESTION_ACTIONS),
            QuestionRow.created_at >= bounds[0],
            QuestionRow.created_at < bounds[-1],
            asked_in(office),
        )
        # Grouping by the label, not the expression, keeps the CASE (and its bound
        # parameters) in the statement once; both SQLite and PostgreSQL accept it.
        .group_by(bucket, QuestionRow.channel, QuestionRow.action)
    )


def unanswered_by_entry(
    since: dt.datetime, until: dt.datetime, *, office: str | None = None
) -> Select[str | None, str, int]:
    """Fallbacks and clarifications per entry the matcher ranked first, and per action
    (complaints and suggestions are counted in their own section)."""
    top = QuestionRow.candidates[(0, "faq_id")].as_string().label("top")
    return (
        select(top, QuestionRow.action, func.count())
        .where(
            QuestionRow.action.in_(UNANSWERED_ACTIONS),
            QuestionRow.created_at >= since,
            QuestionRow.created_at < until,
            asked_in(office),
            not_a_voice(),
        )
        .group_by(top, QuestionRow.action)
    )


def top_entries(
    since: dt.datetime, until: dt.datetime, limit: int, *, office: str | None = None
) -> Select[str | None, int, Any, Any]:
    """The entries answered most often in the period, with 👍 and 👎 on those answers."""
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
            QuestionRow.created_at >= since,
            QuestionRow.created_at < until,
            asked_in(office),
        )
        .group_by(QuestionRow.faq_id)
        .order_by(asked.desc(), helpful.desc(), QuestionRow.faq_id)
        .limit(limit)
    )


def details_by_entry(
    since: dt.datetime, until: dt.datetime, *, office: str | None = None
) -> Select[str | None, int]:
    """📖 Selengkapnya taps per entry in the period (each tap is logged as action 'details')."""
    return (
        select(QuestionRow.faq_id, func.count())
        .where(
            QuestionRow.action == "details",
            QuestionRow.faq_id.is_not(None),
            QuestionRow.created_at >= since,
            QuestionRow.created_at < until,
            asked_in(office),
        )
        .group_by(QuestionRow.faq_id)
    )


def unanswered(
    since: dt.datetime, until: dt.datetime, limit: int, *, office: str | None = None
) -> Select[str, str, dt.datetime, list[dict[str, Any]]]:
    """Fallbacks and clarifications with words to group, newest first (not complaints and
    suggestions: they have their own section)."""
    return (
        select(
            QuestionRow.text_redacted,
            QuestionRow.normalized,
            QuestionRow.created_at,
            QuestionRow.candidates,
        )
        .where(
            QuestionRow.action.in_(UNANSWERED_ACTIONS),
            QuestionRow.created_at >= since,
            QuestionRow.created_at < until,
            # Button presses ("none of these") log no normalised words: nothing to group.
            QuestionRow.normalized != "",
            asked_in(office),
            not_a_voice(),
        )
        .order_by(QuestionRow.created_at.desc(), QuestionRow.id.desc())
        .limit(limit)
    )


def ticket_times(
    since: dt.datetime, until: dt.datetime, *, office: str | None = None
) -> Select[int, dt.datetime, _When, _When, _When, str | None, str | None]:
    """Tickets opened in the period with their claim and first officer reply.

    The officer is the author of the first officer message in the thread (the owner may be
    someone else: a claim and a reply can come from different officers). Message texts are
    never selected: they are not redacted like the question log.
    """
    first = (
        select(TicketMessageRow.ticket_id, func.min(TicketMessageRow.id).label("first_id"))
        .where(TicketMessageRow.author == "officer")
        .group_by(TicketMessageRow.ticket_id)
        .subquery()
    )
    return (
        select(
            TicketRow.id,
            TicketRow.created_at,
            TicketRow.claimed_at,
            TicketRow.first_reply_at,
            TicketRow.closed_at,
            TicketMessageRow.officer_name,
            TicketRow.owner_name,
        )
        .outerjoin(first, first.c.ticket_id == TicketRow.id)
        .outerjoin(TicketMessageRow, TicketMessageRow.id == first.c.first_id)
        .where(
            and_(TicketRow.created_at >= since, TicketRow.created_at < until), opened_in(office)
        )
        .order_by(TicketRow.created_at, TicketRow.id)
    )


def not_a_voice() -> ColumnElement[bool]:
    """A logged question in which no complaint or suggestion was heard: those have their own
    section, and are no gap in the knowledge base."""
    return ~exists().where(ComplaintRow.question_id == QuestionRow.id)
