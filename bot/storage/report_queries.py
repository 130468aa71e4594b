"""Read-only figures for the admin reports: activity, most asked entries, unanswered questions,
questions per day or month, tickets' reply times; plus the weekly digest's schedule lease.

Every period is half-open, `since <= t < until`, so consecutive periods never count a row
twice. Only portable SQL (counts, sums of CASE, joins): anything dialect-specific, such as a
median, is computed in Python from the fetched values.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine
from sqlalchemy.orm import InstrumentedAttribute

from bot.reporting.vocabulary import (
    Activity,
    BucketCount,
    EntryCount,
    TicketTimes,
    UnansweredRow,
    VoiceCount,
    VoiceExample,
)
from bot.storage import report_sql, report_voices
from bot.storage.errors import translate_errors
from bot.storage.report_compare import OfficeComparison
from bot.storage.report_posts import TopicQueries
from bot.storage.report_sql import QUESTION_ACTIONS, UNANSWERED_ACTIONS, asked_in, opened_in
from bot.storage.schedule_lease import ScheduleLease
from bot.storage.tables import FeedbackRow, QuestionRow, TicketRow

# QUESTION_ACTIONS are the actions of an applicant's own messages (questions and messages to
# the officers); menus, notices, feedback, 📖 taps and closing a ticket are other traffic.
__all__ = ["QUESTION_ACTIONS", "UNANSWERED_ACTIONS"]


class ReportQueries:
    """The admin reports' queries over an engine the caller owns (it is never disposed here)."""

    def __init__(self, engine: AsyncEngine, *, office: str | None = None) -> None:
        self._engine = engine
        self.office = office  # None: every office combined
        self.schedules = ScheduleLease(engine)
        self.topics = TopicQueries(engine)  # the log around the office's posts
        self.offices = OfficeComparison(engine)

    def for_office(self, office: str | None) -> ReportQueries:
        """The same queries kept to one office's figures (None: every office combined)."""
        return ReportQueries(self._engine, office=office)

    async def activity(self, *, since: dt.datetime, until: dt.datetime) -> Activity:
        """Questions by outcome, feedback, tickets and first reply times in the period."""
        _check_period(since, until)
        office = self.office
        with translate_errors("reading activity"):
            async with self._engine.connect() as connection:
                actions = await _counts(connection, _action_counts(since, until, office))
                votes = await _counts(connection, _feedback_counts(since, until, office))
                opened = await _count(connection, _in(TicketRow.created_at, since, until), office)
                replied = await _count(
                    connection, _in(TicketRow.first_reply_at, since, until), office
                )
                minutes = await _first_reply_minutes(connection, since, until, office)
        return Activity(
            since=since,
            until=until,
            answered=actions.get("answer", 0),
            clarified=actions.get("clarify", 0),
            fallback=actions.get("fallback", 0),
            to_officers=actions.get("to_officer", 0),
            helpful=votes.get(True, 0),
            unhelpful=votes.get(False, 0),
            tickets_opened=opened,
            tickets_answered=replied,
            first_reply_minutes=minutes,
        )

    async def top_entries(
        self, *, since: dt.datetime, until: dt.datetime, limit: int = 10
    ) -> list[EntryCount]:
        """The entries answered most often in the period, with the feedback on those answers
        and how often people asked for the whole answer."""
        _check_period(since, until)
        if limit <= 0:
            return []  # SQLite reads a negative LIMIT as "no limit", PostgreSQL refuses it
        with translate_errors("reading the most asked entries"):
            async with self._engine.connect() as connection:
                result = await connection.execute(
                    report_sql.top_entries(since, until, limit, office=self.office)
                )
                rows = result.all()
                taps = await connection.execute(
                    report_sql.details_by_entry(since, until, office=self.office)
                )
                details = {str(faq): int(count) for faq, count in taps.all()}
        # faq_id is never NULL here: the statement filters those rows out.
        return [
            EntryCount(str(faq), asked, int(up), int(down), details.get(str(faq), 0))
            for faq, asked, up, down in rows
        ]

    async def unanswered(
        self, *, since: dt.datetime, until: dt.datetime, limit: int = 2000
    ) -> list[UnansweredRow]:
        """Questions answered with a fallback or a clarifying choice, newest first."""
        _check_period(since, until)
        if limit <= 0:
            return []
        statement = report_sql.unanswered(since, until, limit, office=self.office)
        with translate_errors("reading unanswered questions"):
            async with self._engine.connect() as connection:
                rows = (await connection.execute(statement)).all()
        return [UnansweredRow(text, norm, at, _top(cands)) for text, norm, at, cands in rows]

    async def counts_by_bucket(self, bounds: Sequence[dt.datetime]) -> list[BucketCount]:
        """Questions per bucket, channel and outcome; bucket i is bounds[i] <= t < bounds[i+1]."""
        if len(bounds) < 2:
            raise ValueError("at least two bounds are needed")
        for lower, upper in itertools.pairwise(bounds):
            _check_period(lower, upper)
        with translate_errors("counting questions per period"):
            async with self._engine.connect() as connection:
                rows = (
                    await connection.execute(report_sql.bucket_counts(bounds, office=self.office))
                ).all()
        return [BucketCount(int(b), str(ch), str(a), int(n)) for b, ch, a, n in rows]

    async def unanswered_by_entry(
        self, *, since: dt.datetime, until: dt.datetime
    ) -> dict[str, tuple[int, int]]:
        """(clarified, fallback) counts per entry the matcher ranked first, in the period."""
        _check_period(since, until)
        statement = report_sql.unanswered_by_entry(since, until, office=self.office)
        with translate_errors("counting unanswered questions per entry"):
            async with self._engine.connect() as connection:
                rows = (await connection.execute(statement)).all()
        counts: dict[str, tuple[int, int]] = {}
        for faq_id, action, count in rows:
            if faq_id is None:
                continue  # nothing was ranked at all
            clarified, fallback = counts.get(str(faq_id), (0, 0))
            if action == "clarify":
                clarified += int(count)
            else:
                fallback += int(count)
            counts[str(faq_id)] = (clarified, fallback)
        return counts

    async def voice_counts(self, bounds: Sequence[dt.datetime]) -> list[VoiceCount]:
        """Complaints and suggestions per bucket, topic and kind (bounds as `counts_by_bucket`)."""
        if len(bounds) < 2:
            raise ValueError("at least two bounds are needed")
        for lower, upper in itertools.pairwise(bounds):
            _check_period(lower, upper)
        with translate_errors("counting complaints"):
            async with self._engine.connect() as connection:
                statement = report_voices.voice_counts(bounds, office=self.office)
                rows = (await connection.execute(statement)).all()
        return [VoiceCount(int(b), str(t), str(k), int(n)) for b, t, k, n in rows]

    async def voice_examples(
        self, *, since: dt.datetime, until: dt.datetime, limit: int
    ) -> list[VoiceExample]:
        """The newest complaints and suggestions of the period, newest first."""
        _check_period(since, until)
        if limit <= 0:
            return []
        statement = report_voices.voice_examples(since, until, limit, office=self.office)
        with translate_errors("reading complaints"):
            async with self._engine.connect() as connection:
                rows = (await connection.execute(statement)).all()
        return [VoiceExample(*row) for row in rows]

    async def ticket_times(self, *, since: dt.datetime, until: dt.datetime) -> list[TicketTimes]:
        """Tickets opened in the period, oldest first, with claim and first reply times."""
        _check_period(since, until)
        with translate_errors("reading ticket times"):
            async with self._engine.connect() as connection:
                statement = report_sql.ticket_times(since, until, office=self.office)
                rows = (await connection.execute(statement)).all()
        return [
            TicketTimes(ticket_id, opened, claimed, replied, closed, officer or owner)
            for ticket_id, opened, claimed, replied, closed, officer, owner in rows
        ]


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


def _action_counts(since: dt.datetime, until: dt.datetime, office: str | None) -> Select[str, int]:
    return (
        select(QuestionRow.action, func.count())
        .where(
            QuestionRow.action.in_(QUESTION_ACTIONS),
            _in(QuestionRow.created_at, since, until),
            asked_in(office),
        )
        .group_by(QuestionRow.action)
    )


def _feedback_counts(
    since: dt.datetime, until: dt.datetime, office: str | None
) -> Select[bool, int]:
    statement = (
        select(FeedbackRow.helpful, func.count())
        .where(_in(FeedbackRow.created_at, since, until))
        .group_by(FeedbackRow.helpful)
    )
    if office is None:
        return statement  # no join: the combined figure reads feedback alone, as before
    # Feedback has no office of its own: it is the office of the answer it rates.
    return statement.join(QuestionRow, QuestionRow.id == FeedbackRow.question_id).where(
        asked_in(office)
    )


async def _counts(connection: AsyncConnection, statement: Select[Any, int]) -> Mapping[Any, int]:
    result = await connection.execute(statement)
    return {key: int(count) for key, count in result.all()}


async def _count(
    connection: AsyncConnection, condition: ColumnElement[bool], office: str | None
) -> int:
    statement = select(func.count()).select_from(TicketRow).where(condition, opened_in(office))
    return int(await connection.scalar(statement) or 0)


async def _first_reply_minutes(
    connection: AsyncConnection, since: dt.datetime, until: dt.datetime, office: str | None
) -> tuple[float, ...]:
    statement = select(TicketRow.created_at, TicketRow.first_reply_at).where(
        _in(TicketRow.created_at, since, until),
        TicketRow.first_reply_at.is_not(None),
        opened_in(office),
    )
    rows = (await connection.execute(statement)).all()
    return tuple(
        sorted((replied - opened).total_seconds() / 60 for opened, replied in rows if replied)
    )


def _top(candidates: list[dict[str, Any]] | None) -> str | None:
    if not candidates:
        return None
    faq_id = candidates[0].get("faq_id")
    return str(faq_id) if faq_id is not None else None
