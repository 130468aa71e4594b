"""Report figures per office and combined, and the comparison between offices (issue 21), on
SQLite and PostgreSQL: three Lampung offices and questions with no office."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import replace

import pytest
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.reporting.vocabulary import Activity
from bot.storage import Store
from bot.storage.report_queries import ReportQueries
from bot.storage.tables import TicketRow

from .test_report_queries import SINCE, UNTIL, Clock, question, ticket, vote

OFFICES = ("kotabumi", "kalianda", "bandar-lampung", None)
HOUR = dt.timedelta(hours=1)
# Per office: the questions' actions, 👍/👎 on its first answers (one each), and minutes to
# the first officer reply of each of its tickets (None: not answered).
LOG: dict[str | None, tuple[tuple[str, ...], tuple[bool, ...], tuple[float | None, ...]]] = {
    "kotabumi": (("answer", "answer", "answer", "fallback", "to_officer"), (True,), (10, 30)),
    "kalianda": (("answer", "answer", "fallback", "fallback"), (False, False), (50,)),
    "bandar-lampung": (("clarify",), (), (None,)),
    None: (("answer",), (True,), ()),
}


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
async def queries(engine: AsyncEngine, clock: Clock) -> ReportQueries:
    """The log of `LOG`, one hour into the period, and queries over every office."""
    store = Store(engine, clock=clock)
    for office, (actions, votes, replies) in LOG.items():
        ids = await store.log_questions(
            [question(SINCE + HOUR, action, office_id=office) for action in actions]
        )
        for number, helpful in enumerate(votes):
            await vote(store, ids[number], helpful, SINCE + 2 * HOUR, "a")
        for minutes in replies:
            made = await ticket(store, clock, SINCE + 3 * HOUR, reply_after=minutes)
            await _set_office(engine, made, office)
    return ReportQueries(engine)


async def _set_office(engine: AsyncEngine, ticket_id: int, office: str | None) -> None:
    # The ticket store does not take an office yet (the officers' part of issue 21 adds it).
    async with engine.begin() as connection:
        statement = update(TicketRow).where(TicketRow.id == ticket_id)
        await connection.execute(statement.values(office_id=office))


async def test_one_office_counts_only_its_own_figures(queries: ReportQueries) -> None:
    kotabumi = await queries.for_office("kotabumi").activity(since=SINCE, until=UNTIL)
    assert (kotabumi.answered, kotabumi.fallback, kotabumi.to_officers) == (3, 1, 1)
    assert (kotabumi.helpful, kotabumi.unhelpful) == (1, 0)
    assert (kotabumi.tickets_opened, kotabumi.tickets_answered) == (2, 2)
    assert kotabumi.first_reply_minutes == (10.0, 30.0)
    kalianda = await queries.for_office("kalianda").activity(since=SINCE, until=UNTIL)
    assert (kalianda.questions, kalianda.fallback, kalianda.unhelpful) == (4, 2, 2)
    assert kalianda.first_reply_minutes == (50.0,)
    bandar = await queries.for_office("bandar-lampung").activity(since=SINCE, until=UNTIL)
    assert (bandar.questions, bandar.clarified, bandar.tickets_opened) == (1, 1, 1)
    assert bandar.tickets_answered == 0
    nobody = await queries.for_office("metro").activity(since=SINCE, until=UNTIL)
    assert nobody.questions == nobody.tickets_opened == nobody.helpful == 0


async def test_combined_is_the_sum_of_every_office_and_no_office(
    queries: ReportQueries,
) -> None:
    combined = await queries.activity(since=SINCE, until=UNTIL)
    compared = await queries.offices.comparison(since=SINCE, until=UNTIL)
    assert set(compared) == set(OFFICES)  # questions with no office are their own row
    for name in ("answered", "clarified", "fallback", "to_officers", "helpful", "unhelpful"):
        assert getattr(combined, name) == sum(getattr(a, name) for a in compared.values())
    assert combined.tickets_opened == 4
    assert combined.tickets_opened == sum(a.tickets_opened for a in compared.values())
    assert sorted(combined.first_reply_minutes) == [10.0, 30.0, 50.0]


async def test_comparison_rows_equal_each_office_s_own_report(queries: ReportQueries) -> None:
    compared = await queries.offices.comparison(since=SINCE, until=UNTIL)
    for office in ("kotabumi", "kalianda", "bandar-lampung"):
        own = await queries.for_office(office).activity(since=SINCE, until=UNTIL)
        assert compared[office] == own, office
    assert compared[None].answered == 1
    assert compared[None].helpful == 1


async def test_an_office_s_top_entries_and_unanswered_are_its_own(
    queries: ReportQueries,
) -> None:
    [top] = await queries.for_office("kalianda").top_entries(since=SINCE, until=UNTIL)
    assert (top.asked, top.helpful, top.unhelpful) == (2, 0, 2)
    unanswered = await queries.for_office("kalianda").unanswered(since=SINCE, until=UNTIL)
    assert len(unanswered) == 2
    everyone = await queries.unanswered(since=SINCE, until=UNTIL)
    assert len(everyone) == 4  # kotabumi's fallback, kalianda's two, bandar-lampung's choice
    times = await queries.for_office("kotabumi").ticket_times(since=SINCE, until=UNTIL)
    assert len(times) == 2


async def test_a_period_with_one_office_compares_nothing_else(
    engine: AsyncEngine,
) -> None:
    store = Store(engine)
    await store.log_questions([question(SINCE + HOUR)])  # today's deployment: no offices
    compared = await ReportQueries(engine).offices.comparison(since=SINCE, until=UNTIL)
    assert list(compared) == [None]
    empty = dataclasses.asdict(replace(compared[None], answered=0))
    assert not any(v for k, v in empty.items() if k not in ("since", "until"))
    assert isinstance(compared[None], Activity)
