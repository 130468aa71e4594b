"""The comparison between offices in the combined report: each figure of `activity` for every
office at once, one grouped query per figure (never a query per office: a national
deployment has ~150 of them).

Questions with no office (logged before offices were configured, or whose applicant never
said where they live) are their own group, keyed None ("tanpa kantor").
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine
from sqlalchemy.orm import InstrumentedAttribute

from bot.reporting.vocabulary import Activity
from bot.storage.errors import translate_errors
from bot.storage.report_sql import QUESTION_ACTIONS
from bot.storage.tables import FeedbackRow, QuestionRow, TicketRow

Office = str | None


class OfficeComparison:
    """Per-office activity over an engine the caller owns."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def comparison(
        self, *, since: dt.datetime, until: dt.datetime
    ) -> dict[Office, Activity]:
        """Every office's activity in `since <= t < until`; an office with nothing in the
        period is absent, so the row count says how many offices the data has."""
        with translate_errors("comparing offices"):
            async with self._engine.connect() as connection:
                actions = await _grouped(connection, _actions(since, until))
                votes = await _grouped(connection, _votes(since, until))
                opened = await _per_office(
                    connection, _tickets(TicketRow.created_at, since, until)
                )
                replied = await _per_office(
                    connection, _tickets(TicketRow.first_reply_at, since, until)
                )
                minutes = await _reply_minutes(connection, since, until)
        offices = {office for office, _ in (*actions, *votes)} | set(opened) | set(replied)
        return {
            office: Activity(
                since=since,
                until=until,
                answered=actions.get((office, "answer"), 0),
                clarified=actions.get((office, "clarify"), 0),
                fallback=actions.get((office, "fallback"), 0),
                to_officers=actions.get((office, "to_officer"), 0),
                helpful=votes.get((office, True), 0),
                unhelpful=votes.get((office, False), 0),
                tickets_opened=opened.get(office, 0),
                tickets_answered=replied.get(office, 0),
                first_reply_minutes=tuple(sorted(minutes.get(office, ()))),
            )
            for office in offices
        }


def _actions(since: dt.datetime, until: dt.datetime) -> Select[Office, str, int]:
    return (
        select(QuestionRow.office_id, QuestionRow.action, func.count())
        .where(
            QuestionRow.action.in_(QUESTION_ACTIONS),
            QuestionRow.created_at >= since,
            QuestionRow.created_at < until,
        )
        .group_by(QuestionRow.office_id, QuestionRow.action)
    )


def _votes(since: dt.datetime, until: dt.datetime) -> Select[Office, bool, int]:
    # Feedback is the office of the answer it rates.
    return (
        select(QuestionRow.office_id, FeedbackRow.helpful, func.count())
        .join(QuestionRow, QuestionRow.id == FeedbackRow.question_id)
        .where(FeedbackRow.created_at >= since, FeedbackRow.created_at < until)
        .group_by(QuestionRow.office_id, FeedbackRow.helpful)
    )


def _tickets(
    column: InstrumentedAttribute[dt.datetime] | InstrumentedAttribute[dt.datetime | None],
    since: dt.datetime,
    until: dt.datetime,
) -> Select[Office, int]:
    """Tickets per office (the ticket's own) whose `column` falls in the period."""
    return (
        select(TicketRow.office_id, func.count())
        .where(column >= since, column < until)
        .group_by(TicketRow.office_id)
    )


async def _grouped(
    connection: AsyncConnection, statement: Select[Office, Any, int]
) -> dict[tuple[Office, Any], int]:
    """(office, key) → count, from rows of office, key, count."""
    rows = (await connection.execute(statement)).all()
    return {(office, key): int(count) for office, key, count in rows}


async def _per_office(
    connection: AsyncConnection, statement: Select[Office, int]
) -> dict[Office, int]:
    rows = (await connection.execute(statement)).all()
    return {office: int(count) for office, count in rows}


async def _reply_minutes(
    connection: AsyncConnection, since: dt.datetime, until: dt.datetime
) -> dict[Office, list[float]]:
    """Minutes to the first officer reply per office, for tickets opened in the period (the
    median is taken in Python: portable SQL has none)."""
    statement = select(TicketRow.office_id, TicketRow.created_at, TicketRow.first_reply_at).where(
        TicketRow.created_at >= since,
        TicketRow.created_at < until,
        TicketRow.first_reply_at.is_not(None),
    )
    minutes: dict[Office, list[float]] = defaultdict(list)
    for office, opened, replied in (await connection.execute(statement)).all():
        if replied is not None:
            minutes[office].append((replied - opened).total_seconds() / 60)
    return minutes
