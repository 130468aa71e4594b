"""The console's comparison of offices (`bot.console.vocabulary`): per office, its
applicant messages by outcome, its tickets and the 👍/👎 on its answers, one grouped query per
figure filtered on `office_id` and `created_at` (the index on questions(office_id,
created_at) serves it); and Belum terjawab narrowed to one office."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot.console.vocabulary import OfficeFigures
from bot.reporting.vocabulary import UnansweredRow
from bot.storage import report_sql
from bot.storage.errors import translate_errors
from bot.storage.report_sql import QUESTION_ACTIONS, UNANSWERED_ACTIONS
from bot.storage.tables import FeedbackRow, QuestionRow, TicketRow

Counts = dict[str | None, dict[Any, int]]


class OfficeQueries:
    """Read-only figures per office over an engine the caller owns."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def figures(
        self, since: dt.datetime, until: dt.datetime, *, office: str | None = None
    ) -> list[OfficeFigures]:
        """Each office's figures of the period (`since <= t < until`), by office id; only
        `office`'s when given (a row of zeros when it had nothing)."""
        with translate_errors("comparing offices"):
            async with self._engine.connect() as connection:
                asked = await _grouped(connection, _questions(since, until, office))
                tickets = await _grouped(connection, _tickets(since, until, office))
                votes = await _grouped(connection, _votes(since, until, office))
        found = {office} if office is not None else {*asked, *tickets, *votes}
        return [
            _figures(key, asked.get(key, {}), tickets.get(key, {}), votes.get(key, {}))
            for key in sorted(found, key=lambda k: (k is None, k or ""))
        ]

    def unanswered_at(self, office: str) -> OfficeUnanswered:
        """Belum terjawab of the questions asked at `office`."""
        return OfficeUnanswered(self._engine, office)


class OfficeUnanswered:
    """The report's unanswered questions (`report_sql.unanswered`), of one office."""

    def __init__(self, engine: AsyncEngine, office: str) -> None:
        self._engine, self._office = engine, office

    async def unanswered(
        self, *, since: dt.datetime, until: dt.datetime, limit: int = 2000
    ) -> list[UnansweredRow]:
        """Fallbacks and clarifications asked at the office, newest first."""
        statement = report_sql.unanswered(since, until, max(limit, 0)).where(
            QuestionRow.office_id == self._office
        )
        with translate_errors("reading an office's unanswered questions"):
            async with self._engine.connect() as connection:
                rows = (await connection.execute(statement)).all()
        return [
            UnansweredRow(text, norm, at, _top(candidates)) for text, norm, at, candidates in rows
        ]


def _questions(
    since: dt.datetime, until: dt.datetime, office: str | None
) -> Select[*tuple[Any, ...]]:
    return (
        select(QuestionRow.office_id, QuestionRow.action, func.count())
        .where(
            *_at(QuestionRow.office_id, office),
            QuestionRow.created_at >= since,
            QuestionRow.created_at < until,
            QuestionRow.action.in_(QUESTION_ACTIONS),
        )
        .group_by(QuestionRow.office_id, QuestionRow.action)
    )


def _tickets(
    since: dt.datetime, until: dt.datetime, office: str | None
) -> Select[*tuple[Any, ...]]:
    return (
        select(TicketRow.office_id, func.count())
        .where(
            *_at(TicketRow.office_id, office),
            TicketRow.created_at >= since,
            TicketRow.created_at < until,
        )
        .group_by(TicketRow.office_id)
    )


def _votes(since: dt.datetime, until: dt.datetime, office: str | None) -> Select[*tuple[Any, ...]]:
    """👍/👎 given in the period, to the office the voted answer's question was asked at."""
    return (
        select(QuestionRow.office_id, FeedbackRow.helpful, func.count())
        .join(QuestionRow, QuestionRow.id == FeedbackRow.question_id)
        .where(
            *_at(QuestionRow.office_id, office),
            FeedbackRow.created_at >= since,
            FeedbackRow.created_at < until,
        )
        .group_by(QuestionRow.office_id, FeedbackRow.helpful)
    )


def _at(column: Any, office: str | None) -> list[ColumnElement[bool]]:
    """The condition "of `office`", or none for every office."""
    return [column == office] if office is not None else []


async def _grouped(connection: AsyncConnection, statement: Select[*tuple[Any, ...]]) -> Counts:
    """{office: {key: count}}; a statement of (office, count) keys its counts with None."""
    counts: Counts = defaultdict(dict)
    for row in (await connection.execute(statement)).all():
        office, *key, count = row
        counts[office][key[0] if key else None] = int(count)
    return counts


def _figures(
    office: str | None, asked: dict[Any, int], tickets: dict[Any, int], votes: dict[Any, int]
) -> OfficeFigures:
    unanswered = sum(asked.get(action, 0) for action in UNANSWERED_ACTIONS)
    return OfficeFigures(
        office=office,
        questions=sum(asked.values()),
        answered=asked.get("answer", 0),
        unanswered=unanswered,
        tickets=tickets.get(None, 0),
        helpful=sum(n for helpful, n in votes.items() if helpful),
        unhelpful=sum(n for helpful, n in votes.items() if not helpful),
    )


def _top(candidates: list[dict[str, Any]] | None) -> str | None:
    faq_id = candidates[0].get("faq_id") if candidates else None
    return str(faq_id) if faq_id is not None else None
