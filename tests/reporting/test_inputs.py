"""The report's inputs and pure parts: periods, the applicants CSV, the digest time,
percentiles, the content plan, spreadsheet-safe cells and the chat summary."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.core.errors import ConfigError
from bot.core.hours import WeeklyTime
from bot.reporting.applicants import ApplicantMonth, read_applicants
from bot.reporting.clusters import Cluster
from bot.reporting.errors import ReportInputError
from bot.reporting.figures import EntryFigures, percentile
from bot.reporting.period import Period, month_bounds, parse_period
from bot.reporting.plan import content_plan
from bot.reporting.tables import safe_cell

JAKARTA = ZoneInfo("Asia/Jakarta")
BERLIN = ZoneInfo("Europe/Berlin")
NOW = dt.datetime(2026, 11, 30, 20, 0, tzinfo=dt.UTC)  # already 1 December in Jakarta


def test_default_period_is_the_last_30_local_days() -> None:
    period = parse_period(None, None, now=NOW, zone=JAKARTA)
    assert (period.first_day, period.last_day) == (dt.date(2026, 11, 2), dt.date(2026, 12, 1))
    assert period.since == dt.datetime(2026, 11, 1, 17, 0, tzinfo=dt.UTC)
    assert period.until == dt.datetime(2026, 12, 1, 17, 0, tzinfo=dt.UTC)
    assert len(period.day_bounds()) == 31


def test_given_dates_and_one_sided_defaults() -> None:
    both = parse_period("2026-10-01", "2026-10-31", now=NOW, zone=JAKARTA)
    assert (both.first_day, both.last_day) == (dt.date(2026, 10, 1), dt.date(2026, 10, 31))
    only_until = parse_period(None, "2026-10-31", now=NOW, zone=JAKARTA)
    assert only_until.first_day == dt.date(2026, 10, 2)
    one_day = parse_period("2026-10-05", "2026-10-05", now=NOW, zone=JAKARTA)
    assert one_day.days() == [dt.date(2026, 10, 5)]


@pytest.mark.parametrize(
    ("since", "until", "message"),
    [
        ("2026-13-01", None, "--since tidak valid"),
        ("01-11-2026", None, "--since tidak valid"),
        ("20261101", None, "--since tidak valid"),
        (None, "kemarin", "--until tidak valid"),
        ("2026-11-02", "2026-11-01", "jatuh setelah"),
        ("2020-01-01", "2026-01-01", "terlalu panjang"),
    ],
)
def test_bad_dates_are_refused_with_a_clear_message(
    since: str | None, until: str | None, message: str
) -> None:
    with pytest.raises(ReportInputError, match=message):
        parse_period(since, until, now=NOW, zone=JAKARTA)


def test_days_follow_daylight_saving_time() -> None:
    # 25 October 2026: Berlin goes from +02:00 to +01:00, so that day lasts 25 hours.
    period = Period(dt.date(2026, 10, 25), dt.date(2026, 10, 26), BERLIN)
    first, second, end = period.day_bounds()
    assert second - first == dt.timedelta(hours=25)
    assert end - second == dt.timedelta(hours=24)


def test_month_bounds_cover_every_month_between() -> None:
    months = [dt.date(2026, 12, 1), dt.date(2026, 11, 1), dt.date(2027, 2, 1)]
    bounds = month_bounds(months, JAKARTA)
    assert [b.astimezone(JAKARTA).date() for b in bounds] == [
        dt.date(2026, 11, 1),
        dt.date(2026, 12, 1),
        dt.date(2027, 1, 1),
        dt.date(2027, 2, 1),
        dt.date(2027, 3, 1),
    ]


def write(tmp_path: Path, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / "pemohon.csv"
    path.write_text(text, encoding=encoding)
    return path


def test_applicants_csv_is_read_in_month_order(tmp_path: Path) -> None:
    text = "Month, Walk_In ,m_paspor,catatan\n2026-11,120,80,\n2026-10,150,50,libur\n\n"
    months = read_applicants(write(tmp_path, text, "utf-8-sig"))
    assert months == [
        ApplicantMonth(dt.date(2026, 10, 1), 150, 50),
        ApplicantMonth(dt.date(2026, 11, 1), 120, 80),
    ]
    assert months[0].share == 0.25


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "kosong"),
        ("bulan,walk_in,m_paspor\n2026-10,1,2\n", "tidak ada: month"),
        ("month,walk_in,m_paspor\n", "tidak ada baris data"),
        ("month,walk_in,m_paspor\n2026-1,1,2\n", "baris 2: bulan '2026-1' tidak valid"),
        ("month,walk_in,m_paspor\n2026-13,1,2\n", "bulan '2026-13' tidak valid"),
        ("month,walk_in,m_paspor\n2026-10,1,2\n2026-11,-3,2\n", "baris 3: walk_in"),
        ("month,walk_in,m_paspor\n2026-10,1,1.5\n", "m_paspor harus bilangan bulat"),
        ("month,walk_in,m_paspor\n2026-10,1,2\n2026-10,3,4\n", "2026-10 muncul lebih dari"),
    ],
)
def test_bad_applicants_csv_is_refused(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ReportInputError, match=message):
        read_applicants(write(tmp_path, text))


def test_unreadable_applicants_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ReportInputError, match="tidak bisa dibaca"):
        read_applicants(tmp_path / "tidak-ada.csv")
    binary = tmp_path / "biner.csv"
    binary.write_bytes(b"\xff\xfe\x00month")
    with pytest.raises(ReportInputError, match="tidak bisa dibaca"):
        read_applicants(binary)


def test_weekly_time_is_parsed_and_the_next_one_found() -> None:
    monday = WeeklyTime.parse("Mon 08:00")
    assert monday == WeeklyTime(0, dt.time(8, 0))
    assert WeeklyTime.parse("friday 17.30") == WeeklyTime(4, dt.time(17, 30))
    # Sunday 1 November 2026, 20:00 in Jakarta.
    sunday_evening = dt.datetime(2026, 11, 1, 13, 0, tzinfo=dt.UTC)
    assert monday.next_after(sunday_evening, JAKARTA) == dt.datetime(
        2026, 11, 2, 1, 0, tzinfo=dt.UTC
    )
    at_the_time = dt.datetime(2026, 11, 2, 1, 0, tzinfo=dt.UTC)
    assert monday.next_after(at_the_time, JAKARTA) == dt.datetime(2026, 11, 9, 1, 0, tzinfo=dt.UTC)
    for bad in ("08:00", "xyz 08:00", "mon 25:00", "mon 8"):
        with pytest.raises(ConfigError, match="DIGEST_AT"):
            WeeklyTime.parse(bad)


def test_percentile_interpolates_like_numpy() -> None:
    assert percentile([], 0.5) is None
    assert percentile([7.0], 0.9) == 7.0
    assert percentile([60.0, 20.0, 40.0], 0.5) == 40.0
    assert percentile([20.0, 40.0, 60.0], 0.9) == pytest.approx(56.0)


def entry(faq_id: str, asked: int, up: int, down: int, fallback: int = 0) -> EntryFigures:
    return EntryFigures(faq_id, faq_id.title(), asked, up, down, 0, fallback)


def group(example: str, size: int, nearest: tuple[str, ...] = ()) -> Cluster:
    at = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    return Cluster(size, example, (example,), at, at, nearest)


def test_content_plan_prefers_busy_topics_in_trouble() -> None:
    entries = [
        entry("popular", 100, 50, 2),
        entry("disliked", 60, 5, 15),
        entry("unclear", 40, 0, 0, fallback=30),
        entry("rare", 2, 0, 3),
        entry("salam", 500, 0, 0),
    ]
    clusters = [group("jam buka hari sabtu", 45), group("otp", 20, ("unclear",))]
    plan = content_plan(entries, clusters, skip={"salam"})
    # Weight: questions x (0.5 + the worse of the 👎 share and the unrecognised share).
    assert [idea.topic for idea in plan] == [
        "Disliked",  # 60 x 1.25
        "“jam buka hari sabtu”",  # 45 x 1.5: a topic the FAQ lacks
        "Unclear",  # 70 x 0.93
        "Popular",  # 100 x 0.54
        "Rare",  # 5 x 1.5
    ]
    reasons = {idea.topic: idea.reason for idea in plan}
    assert reasons["Disliked"].startswith("60 pertanyaan; 75% penilaian 👎 (15 dari 20)")
    assert "ingatkan lagi" in reasons["Popular"]
    assert "misalnya “otp”" in reasons["Unclear"]
    assert "belum ada jawabannya di FAQ" in reasons["“jam buka hari sabtu”"]


def test_applicant_words_cannot_become_spreadsheet_formulas() -> None:
    assert safe_cell("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert safe_cell("-5 hari") == "'-5 hari"
    assert safe_cell("biaya paspor") == "biaya paspor"
