"""Report queries on SQLite and PostgreSQL: every figure, the period bounds, the median."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.core.vocabulary import Candidate, FeedbackRecord, QuestionRecord
from bot.reporting.vocabulary import Activity, EntryCount, UnansweredRow
from bot.storage import StorageError, Store, create_engine
from bot.storage.report_queries import ReportQueries

SINCE = dt.datetime(2026, 11, 27, 17, 0, tzinfo=dt.UTC)  # midnight in Jakarta
UNTIL = SINCE + dt.timedelta(days=1)
WIB = dt.timezone(dt.timedelta(hours=7), "WIB")
TICK = dt.timedelta(microseconds=1)


class Clock:
    """A "now" the test sets by hand, for the ticket times the store stamps itself."""

    def __init__(self) -> None:
        self.now = SINCE

    def __call__(self) -> dt.datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def timed_store(engine: AsyncEngine, clock: Clock) -> Store:
    return Store(engine, clock=clock)


@pytest.fixture
def queries(engine: AsyncEngine) -> ReportQueries:
    return ReportQueries(engine)


def question(at: dt.datetime, action: str = "answer", **changes: Any) -> QuestionRecord:
    record = QuestionRecord(
        channel="telegram",
        user_hash="a" * 64,
        text_redacted="berapa biaya paspor?",
        normalized="berapa biaya paspor",
        action=action,
        faq_id="biaya-paspor" if action == "answer" else None,
        score=0.9,
        candidates=(Candidate("biaya-paspor", 0.9), Candidate("syarat-paspor", 0.4)),
        latency_ms=3.0,
        kb_version="test",
        created_at=at,
    )
    return replace(record, **changes)


async def vote(store: Store, question_id: int, helpful: bool, at: dt.datetime, user: str) -> None:
    assert await store.add_feedback(FeedbackRecord(question_id, helpful, user * 64, at))


async def ticket(
    store: Store, clock: Clock, opened: dt.datetime, reply_after: float | None
) -> int:
    """A ticket opened at `opened`, answered by an officer `reply_after` minutes later."""
    clock.now = opened
    made = await store.open_ticket(
        channel="telegram", chat_id="42", user_hash="b" * 64, question="?", guesses=(), context=()
    )
    if reply_after is not None:
        clock.now = opened + dt.timedelta(minutes=reply_after)
        assert await store.record_officer_reply(made.id, "7", "Budi", "Jawaban") is not None
    return made.id


async def test_activity_counts_each_figure_within_the_period(
    timed_store: Store, clock: Clock, queries: ReportQueries
) -> None:
    hour = dt.timedelta(hours=1)
    ids = await timed_store.log_questions(
        [
            question(SINCE),  # the lower bound is inside
            question(SINCE + hour),
            question(SINCE + hour, faq_id="paspor-hilang", user_hash="b" * 64),
            question(SINCE + hour, "clarify"),
            question(SINCE + hour, "clarify"),
            question(UNTIL - TICK, "fallback"),
            question(UNTIL),  # the upper bound is outside
            question(SINCE - TICK, "fallback"),
            *(question(SINCE + hour, other) for other in ("menu", "notice", "feedback", "ticket")),
        ]
    )
    # Only the applicant who asked can judge an answer.
    await vote(timed_store, ids[0], True, SINCE + hour, "a")
    await vote(timed_store, ids[2], True, SINCE + hour, "b")
    await vote(timed_store, ids[1], False, UNTIL - TICK, "a")
    await vote(timed_store, ids[7], False, SINCE - TICK, "a")  # sent before the period
    await vote(timed_store, ids[3], True, UNTIL, "a")  # sent after it

    await ticket(timed_store, clock, SINCE - hour, reply_after=90)  # replied in, opened before
    await ticket(timed_store, clock, SINCE, reply_after=10)
    await ticket(timed_store, clock, SINCE + hour, reply_after=45)
    await ticket(timed_store, clock, SINCE + 2 * hour, reply_after=20)
    await ticket(timed_store, clock, SINCE + 3 * hour, reply_after=None)
    await ticket(timed_store, clock, UNTIL - hour, reply_after=120)  # replied after the period
    await ticket(timed_store, clock, UNTIL, reply_after=1)  # opened after it

    activity = await queries.activity(since=SINCE, until=UNTIL)

    assert activity == Activity(
        since=SINCE,
        until=UNTIL,
        answered=3,
        clarified=2,
        fallback=1,
        helpful=2,
        unhelpful=1,
        tickets_opened=5,
        tickets_answered=4,
        first_reply_minutes=(10.0, 20.0, 45.0, 120.0),
    )
    assert activity.questions == 6
    assert activity.median_first_reply == pytest.approx(32.5)


async def test_activity_of_a_quiet_period_is_all_zero(
    store: Store, queries: ReportQueries
) -> None:
    await store.log_question(question(SINCE - dt.timedelta(days=2)))

    activity = await queries.activity(since=SINCE, until=UNTIL)

    assert activity == Activity(SINCE, UNTIL, 0, 0, 0, 0, 0, 0, 0, ())
    assert activity.questions == 0
    assert activity.median_first_reply is None


async def test_first_reply_minutes_keep_seconds_and_the_median_is_the_middle_one(
    timed_store: Store, clock: Clock, queries: ReportQueries
) -> None:
    for minutes in (0.5, 7.25, 3.0):
        await ticket(timed_store, clock, SINCE + dt.timedelta(hours=1), reply_after=minutes)

    activity = await queries.activity(since=SINCE, until=UNTIL)

    assert activity.first_reply_minutes == pytest.approx((0.5, 3.0, 7.25))
    assert activity.median_first_reply == pytest.approx(3.0)


async def test_bounds_in_another_zone_mean_the_same_instants(
    store: Store, queries: ReportQueries
) -> None:
    await store.log_questions([question(SINCE), question(UNTIL - TICK), question(UNTIL)])

    activity = await queries.activity(since=SINCE.astimezone(WIB), until=UNTIL.astimezone(WIB))

    assert activity.answered == 2


async def test_top_entries_count_answers_and_their_feedback(
    store: Store, queries: ReportQueries
) -> None:
    at = SINCE + dt.timedelta(hours=2)
    otp, hilang, biaya = (question(at, faq_id=faq) for faq in ("akun-otp", "hilang", "biaya"))
    ids = await store.log_questions(
        [
            otp,
            otp,
            replace(otp, user_hash="b" * 64),
            *(hilang for _ in range(2)),
            *(biaya for _ in range(2)),
            question(at, "clarify", faq_id="akun-otp"),  # not an answer
            question(SINCE - TICK, faq_id="hilang"),  # before the period
            question(UNTIL, faq_id="hilang"),  # after it
        ]
    )
    # Only the applicant who asked can judge an answer.
    await vote(store, ids[0], True, at, "a")
    await vote(store, ids[2], False, at, "b")
    await vote(store, ids[1], False, at, "a")
    await vote(store, ids[5], True, UNTIL + dt.timedelta(days=3), "a")  # late, still counted
    await vote(store, ids[8], True, at, "a")  # on an answer before the period

    top = await queries.top_entries(since=SINCE, until=UNTIL)

    # Equal counts: more 👍 first, then by id.
    assert top == [
        EntryCount("akun-otp", asked=3, helpful=1, unhelpful=2),
        EntryCount("biaya", asked=2, helpful=1, unhelpful=0),
        EntryCount("hilang", asked=2, helpful=0, unhelpful=0),
    ]
    assert await queries.top_entries(since=SINCE, until=UNTIL, limit=1) == top[:1]
    assert await queries.top_entries(since=SINCE, until=UNTIL, limit=0) == []


async def test_unanswered_lists_fallbacks_and_choices_newest_first(
    store: Store, queries: ReportQueries
) -> None:
    minute = dt.timedelta(minutes=1)
    await store.log_questions(
        [
            question(SINCE, "fallback", text_redacted="otp ga dtg", normalized="otp tidak datang"),
            question(SINCE + minute, "clarify", text_redacted="A", normalized="a"),
            question(SINCE + 2 * minute, "fallback", normalized="b", candidates=()),
            question(SINCE + 3 * minute, "answer"),
            question(SINCE + 4 * minute, "fallback", text_redacted="#none:0", normalized=""),
            question(SINCE - TICK, "fallback"),
            question(UNTIL, "fallback"),
        ]
    )

    rows = await queries.unanswered(since=SINCE, until=UNTIL)

    assert rows == [
        UnansweredRow("berapa biaya paspor?", "b", SINCE + 2 * minute, None),
        UnansweredRow("A", "a", SINCE + minute, "biaya-paspor"),
        UnansweredRow("otp ga dtg", "otp tidak datang", SINCE, "biaya-paspor"),
    ]
    assert await queries.unanswered(since=SINCE, until=UNTIL, limit=1) == rows[:1]
    assert await queries.unanswered(since=SINCE, until=UNTIL, limit=0) == []


@pytest.mark.parametrize(
    ("since", "until"),
    [
        (SINCE.replace(tzinfo=None), UNTIL),
        (SINCE, UNTIL.replace(tzinfo=None)),
        (UNTIL, SINCE),
    ],
)
async def test_bad_periods_are_refused(
    queries: ReportQueries, since: dt.datetime, until: dt.datetime
) -> None:
    with pytest.raises(ValueError, match=r"period|naive"):
        await queries.activity(since=since, until=until)
    with pytest.raises(ValueError, match=r"period|naive"):
        await queries.top_entries(since=since, until=until)
    with pytest.raises(ValueError, match=r"period|naive"):
        await queries.unanswered(since=since, until=until)


async def test_database_errors_become_storage_errors(db_url: str) -> None:
    # An empty, unmigrated database: every table is missing.
    engine = create_engine(db_url)
    queries = ReportQueries(engine)
    try:
        with pytest.raises(StorageError, match="reading activity"):
            await queries.activity(since=SINCE, until=UNTIL)
        with pytest.raises(StorageError, match="most asked"):
            await queries.top_entries(since=SINCE, until=UNTIL)
        with pytest.raises(StorageError, match="unanswered"):
            await queries.unanswered(since=SINCE, until=UNTIL)
    finally:
        await engine.dispose()
