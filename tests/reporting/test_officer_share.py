"""The report counts every applicant message (issue 17), those handed to the officers in a
share of their own: a conversation with a ticket driven through the real core and store on
SQLite and PostgreSQL, then the activity, the full report (summary, daily table, CSV), the
chat summary and /statistik read back from the same database."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.core.conversation import Conversation
from bot.core.escalation import AGENT, Escalation
from bot.core.hours import OfficeHours
from bot.core.vocabulary import Incoming, Reply, Ticket
from bot.reporting.admin_text import render_statistics
from bot.reporting.collect import collect
from bot.reporting.figures import OfficeReport
from bot.reporting.output import write_report
from bot.reporting.period import last_days
from bot.reporting.sections import build
from bot.reporting.summary import summary_text
from bot.reporting.text import share_of
from bot.storage import Store
from bot.storage.report_queries import ReportQueries

from .helpers import matcher, read_csv

ZONE = dt.UTC
# What the applicant writes, and how each message is counted.
MESSAGES = (
    ("berapa biaya paspor", "answered"),
    ("syarat paspor anak", "answered"),
    ("apakah paspor bisa dipakai untuk menyeberang ke pulau kecil", "clarified"),
    ("saya mau tanya petugas", "to_officers"),  # opens the ticket
    ("oh iya saya dari kalianda", "to_officers"),  # added to the ticket
    ("biayanya berapa?", "answered"),  # answered while the ticket is open
    ("/menu", None),  # a command: no message to count
    ("terima kasih", "to_officers"),  # small talk goes to the ticket
)


class Staff:
    async def post_ticket(self, ticket: Ticket, context: Sequence[str]) -> bool:
        return True

    async def post_note(self, ticket: Ticket, text: str) -> None:
        return None


class Applicants:
    async def deliver(self, channel: str, chat_id: str, replies: Sequence[Reply]) -> None:
        return None


@pytest.fixture
async def report(engine: AsyncEngine) -> OfficeReport:
    store = Store(engine)
    escalation = Escalation(
        store,
        Staff(),
        Applicants(),
        history=store,
        hours=OfficeHours.parse("mon-fri 08:00-16:00"),
        applicant_hours="",
        remind_after=dt.timedelta(minutes=30),
    )
    core = Conversation(matcher(), store, salt="s", escalation=escalation)
    for text, _ in MESSAGES:
        await core.handle(Incoming("telegram", "42", "42", text))
    ticket = await escalation.active(Incoming("telegram", "42", "42", ""))
    assert ticket is not None
    await core.handle(Incoming("telegram", "42", "42", f"#done:{ticket.id}"))  # not counted
    await core.handle(Incoming("telegram", "42", "42", AGENT))  # a press opens a new one
    now = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=1)
    return await collect(
        ReportQueries(engine),
        last_days(2, now=now, zone=ZONE),  # today and yesterday: midnight may fall between
        titles={},
        now=now,
        remind_after=dt.timedelta(minutes=30),
    )


def expected() -> dict[str | None, int]:
    counts: dict[str | None, int] = {}
    for _, kind in MESSAGES:
        counts[kind] = counts.get(kind, 0) + 1
    counts["to_officers"] += 1  # the pressed "Tanya petugas"
    return counts


def test_every_applicant_message_is_counted_with_the_officers_share(
    report: OfficeReport,
) -> None:
    want = expected()
    answered, clarified, fallback, officers = report.totals()
    assert (answered, clarified + fallback, officers) == (
        want["answered"],
        want["clarified"],
        want["to_officers"],
    )
    assert report.questions == len(MESSAGES) - want[None] + 1
    [summary] = [s for s in build(report) if s.key == "ringkasan"]
    assert f"Pertanyaan: {report.questions}" in summary.figures
    assert f"Diteruskan ke petugas: {share_of(officers, report.questions)}" in summary.figures
    chat = summary_text(report, "Laporan")
    assert f"• ke petugas: {share_of(officers, report.questions)}" in chat


def test_the_daily_csv_has_the_officers_share(report: OfficeReport, tmp_path: Path) -> None:
    write_report(report, tmp_path, "csv")
    [daily] = [p for p in tmp_path.iterdir() if p.name.endswith("_harian.csv")]
    rows = read_csv(daily)
    assert sum(int(row["pertanyaan"]) for row in rows) == report.questions
    assert sum(int(row["ke_petugas"]) for row in rows) == expected()["to_officers"]


async def test_statistics_count_the_officers_share(
    engine: AsyncEngine, report: OfficeReport
) -> None:
    period = report.period
    activity = await ReportQueries(engine).activity(since=period.since, until=period.until)
    assert activity.questions == report.questions
    assert activity.to_officers == expected()["to_officers"]
    text = render_statistics(activity, activity)
    assert f"Pertanyaan: {report.questions}" in text
    assert "- ke petugas: " in text
