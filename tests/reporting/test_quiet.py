"""Days without questions said once (issue 19): each run of them is one row of the daily table
and one slot of the daily charts. Edge cases on plain figures; then a quiet month with one busy
day read from SQLite and PostgreSQL and written as HTML and Markdown."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.reporting import charts, quiet
from bot.reporting.figures import Day
from bot.reporting.output import write_report
from bot.reporting.quiet import Quiet, stretches
from bot.reporting.text import day_span, short_day
from bot.storage import Store

from .helpers import BUSY_DAY, empty_report, month_report, quiet_month

NOV = dt.date(2026, 11, 1)


def nov(day: int) -> dt.date:
    return NOV.replace(day=day)


def days(first: int, last: int, *busy: int) -> list[Day]:
    """November `first`..`last`, one answered question on each `busy` day."""
    return [Day(nov(n), "semua", answered=1 if n in busy else 0) for n in range(first, last + 1)]


def test_a_quiet_month_with_one_busy_day_is_three_stretches() -> None:
    found = stretches(days(1, 30, 15))
    assert found == [Quiet(nov(1), nov(14)), days(15, 15, 15)[0], Quiet(nov(16), nov(30))]
    assert [s.text() for s in found if isinstance(s, Quiet)] == [
        "tidak ada pertanyaan (14 hari)",
        "tidak ada pertanyaan (15 hari)",
    ]


def test_an_empty_period_is_one_quiet_stretch() -> None:
    assert stretches(days(1, 30)) == [Quiet(nov(1), nov(30))]
    assert stretches(days(7, 7)) == [Quiet(nov(7), nov(7))]
    assert stretches([]) == []


def test_busy_first_and_last_days_stay_rows_of_their_own() -> None:
    found = stretches(days(1, 30, 1, 30))
    assert [type(s).__name__ for s in found] == ["Day", "Quiet", "Day"]
    assert found[1] == Quiet(nov(2), nov(29))


def test_one_empty_day_between_busy_ones_is_a_quiet_row_too() -> None:
    # Decided: it costs the same one row, and reads as words instead of zeros and dashes.
    found = stretches(days(4, 6, 4, 6))
    assert found[1] == Quiet(nov(5), nov(5))
    assert found[1].text() == "tidak ada pertanyaan"
    assert quiet.label(found[1], weekday=True) == "5 Nov"  # a quiet run carries no weekday


def test_busy_days_next_to_each_other_are_never_joined() -> None:
    assert stretches(days(1, 3, 1, 2, 3)) == days(1, 3, 1, 2, 3)


def test_a_day_with_only_other_messages_counts_as_quiet() -> None:
    # A day whose only messages were menu taps has a row of zeros in `report.days`.
    report = empty_report(nov(1), nov(3), (Day(nov(2), "telegram"),))
    assert charts.day_slots(report).labels == ["1–3 Nov"]
    assert charts.questions_chart(report).startswith(b"\x89PNG")


@pytest.mark.parametrize(
    ("first", "last", "year", "shown"),
    [
        (nov(2), nov(2), False, "2 Nov"),
        (nov(3), nov(29), False, "3–29 Nov"),
        (nov(3), nov(29), True, "3–29 Nov 2026"),
        (nov(30), dt.date(2026, 12, 2), False, "30 Nov – 2 Des"),
        (dt.date(2026, 12, 30), dt.date(2027, 1, 2), False, "30 Des 2026 – 2 Jan 2027"),
        (dt.date(2026, 8, 1), dt.date(2026, 8, 31), False, "1–31 Agu"),
    ],
)
def test_day_spans_in_indonesian(first: dt.date, last: dt.date, year: bool, shown: str) -> None:
    assert day_span(first, last, year=year) == shown


def test_a_busy_day_shows_its_weekday() -> None:
    assert short_day(nov(15), weekday=True) == "Min 15 Nov"
    assert short_day(nov(16), weekday=True, year=True) == "Sen 16 Nov 2026"


def test_days_carry_their_year_only_when_the_period_crosses_a_new_year() -> None:
    first, last = dt.date(2026, 12, 20), dt.date(2027, 1, 10)
    busy = (Day(dt.date(2026, 12, 31), "telegram", answered=2),)
    slots = charts.day_slots(empty_report(first, last, busy))
    assert slots.labels == ["20–30 Des 2026", "31 Des 2026", "1–10 Jan 2027"]
    assert charts.day_slots(empty_report(nov(1), nov(30), ())).labels == ["1–30 Nov"]


def test_the_telegram_chart_of_an_empty_period_is_one_grey_slot() -> None:
    from PIL import Image

    report = empty_report(nov(1), nov(30))
    assert charts.day_slots(report).labels == ["1–30 Nov"]
    image = Image.open(io.BytesIO(charts.outcomes_chart(report))).convert("RGB")
    assert image.size == (800, 450)
    assert (0xE3, 0xE8, 0xEE) in {colour for _, colour in image.getcolors(1 << 20) or []}


def daily_rows(page: str) -> list[str]:
    section = re.search(r'<section class="card" id="harian">.*?</section>', page, re.S)
    assert section is not None
    return re.findall(r"<tr[^>]*>.*?</tr>", section[0].split("<tbody>")[1])


async def test_a_quiet_month_reads_as_three_rows_in_html_and_markdown(
    engine: AsyncEngine, tmp_path: Path
) -> None:
    await quiet_month(Store(engine))
    report = await month_report(engine)
    assert [d.day for d in report.days] == [BUSY_DAY, BUSY_DAY]  # Telegram and WhatsApp
    assert charts.day_slots(report).labels == ["1–14 Nov", "15 Nov", "16–30 Nov"]
    page = write_report(report, tmp_path, "html")[0].read_text(encoding="utf-8")
    assert daily_rows(page) == [
        '<tr class="quiet"><td class="nowrap">1–14 Nov</td>'
        '<td colspan="5">tidak ada pertanyaan (14 hari)</td></tr>',
        '<tr><td class="nowrap">Min 15 Nov</td><td class="n">5</td><td class="n">3 (60%)</td>'
        '<td class="n">1 (20%)</td><td class="n">1 (20%)</td><td class="n">0 (0%)</td></tr>',
        '<tr class="quiet"><td class="nowrap">16–30 Nov</td>'
        '<td colspan="5">tidak ada pertanyaan (15 hari)</td></tr>',
    ]
    document = write_report(report, tmp_path, "md")[0].read_text(encoding="utf-8")
    assert "| 1–14 Nov | tidak ada pertanyaan (14 hari) |  |  |  |  |" in document
    assert "| Min 15 Nov | 5 | 3 (60%) | 1 (20%) | 1 (20%) | 0 (0%) |" in document
    assert "| 16–30 Nov | tidak ada pertanyaan (15 hari) |  |  |  |  |" in document
    # The CSV has a row per day and channel with questions, as before: nothing to collapse.
    daily = (tmp_path / "laporan_2026-11-01_2026-11-30_harian.csv").read_text("utf-8-sig")
    assert [line.split(",")[:2] for line in daily.splitlines()[1:]] == [
        ["2026-11-15", "telegram"],
        ["2026-11-15", "whatsapp"],
    ]


async def test_a_month_without_questions_is_one_row(engine: AsyncEngine, tmp_path: Path) -> None:
    page = write_report(await month_report(engine), tmp_path, "html")[0].read_text("utf-8")
    assert daily_rows(page) == [
        '<tr class="quiet"><td class="nowrap">1–30 Nov</td>'
        '<td colspan="5">tidak ada pertanyaan (30 hari)</td></tr>'
    ]
