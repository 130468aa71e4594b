"""The admin reports: grouping unanswered questions, and the texts of the three commands."""

from __future__ import annotations

import datetime as dt
import random
import time
from zoneinfo import ZoneInfo

import pytest

from bot.reporting.admin_text import (
    render_statistics,
    render_top,
    render_unanswered,
    statistics_text,
    top_text,
    unanswered_text,
)
from bot.reporting.clusters import Cluster, cluster
from bot.reporting.vocabulary import Activity, EntryCount, UnansweredRow

T0 = dt.datetime(2026, 11, 1, 8, 0, tzinfo=dt.UTC)
JAKARTA = ZoneInfo("Asia/Jakarta")


def row(text: str, normalized: str, minutes: int = 0, top: str | None = None) -> UnansweredRow:
    return UnansweredRow(text, normalized, T0 + dt.timedelta(minutes=minutes), top)


# `normalized` as the matcher logs it (slang expanded: "gak"/"ga" -> "tidak", "dtg" -> "datang").
OTP = [
    row("otp tidak masuk", "otp tidak masuk", 30, "akun-otp"),
    row("OTP tidak masuk", "otp tidak masuk", 20, "akun-otp"),
    row("kode otp gak masuk email", "otp tidak masuk email", 10, "akun-login"),
    row("otp ga dtg", "otp tidak datang", 5, "akun-otp"),
]
LOST = [row("biaya paspor hilang", "biaya paspor hilang", 40, "paspor-hilang")]


def activity(
    answered: int = 0,
    clarified: int = 0,
    fallback: int = 0,
    votes: tuple[int, int] = (0, 0),
    tickets: tuple[int, int] = (0, 0),
    minutes: tuple[float, ...] = (),
) -> Activity:
    """An `Activity` with the given figures: votes are (👍, 👎), tickets (opened, answered)."""
    return Activity(
        T0, T0 + dt.timedelta(days=1), answered, clarified, fallback, *votes, *tickets, minutes
    )


def test_similar_wordings_form_one_group_and_other_topics_stay_apart() -> None:
    groups = cluster([*LOST, *OTP])

    otp, lost = groups
    assert otp == Cluster(
        size=4,
        example="otp tidak masuk",
        examples=("otp tidak masuk", "kode otp gak masuk email", "otp ga dtg"),
        first_seen=T0 + dt.timedelta(minutes=5),
        last_seen=T0 + dt.timedelta(minutes=30),
        nearest=("akun-otp", "akun-login"),
    )
    assert (lost.size, lost.example, lost.nearest) == (
        1,
        "biaya paspor hilang",
        ("paspor-hilang",),
    )


def test_a_short_text_does_not_join_every_group_sharing_its_word() -> None:
    rows = [
        row("oke terima kasih banyak ya", "oke terima kasih banyak ya"),
        row("oke terima kasih banyak", "oke terima kasih banyak"),
        row("ok", "oke"),
    ]

    assert sorted(group.size for group in cluster(rows)) == [1, 2]


def test_question_openers_alone_do_not_make_texts_alike() -> None:
    rows = [
        row("cara bayar paspor", "bagaimana cara bayar paspor"),
        row("cara daftar paspor", "bagaimana cara daftar paspor"),
    ]

    assert [group.size for group in cluster(rows)] == [1, 1]


def test_without_normalised_words_the_redacted_text_is_compared() -> None:
    rows = [row("Jadwal Penuh!!", ""), row("jadwal penuh terus", "")]

    assert [group.size for group in cluster(rows)] == [2]


def test_groups_are_biggest_first_and_threshold_is_checked() -> None:
    rows = [*LOST, *LOST, *OTP]

    assert [group.size for group in cluster(rows)] == [4, 2]
    # At 100 only contained wordings join: "otp tidak masuk (email)", not "otp tidak datang".
    assert [group.size for group in cluster(rows, threshold=100)] == [3, 2, 1]
    assert cluster([]) == []
    with pytest.raises(ValueError, match="threshold"):
        cluster(rows, threshold=0)


def test_twenty_thousand_rows_are_grouped() -> None:
    rows = synthetic_rows(20_000)

    started = time.perf_counter()
    groups = cluster(rows)
    elapsed = time.perf_counter() - started

    assert sum(group.size for group in groups) == 20_000
    assert groups[0].size > groups[-1].size
    # Measured, not asserted: machines differ. Shown with `pytest -s` or on failure.
    print(f"clustered 20,000 rows into {len(groups)} groups in {elapsed:.2f} s")


def synthetic_rows(count: int) -> list[UnansweredRow]:
    """Questions from a few topics in varied wordings, with fillers and dropped letters."""
    rnd = random.Random(7)
    subjects = ["otp", "kode billing", "jadwal", "antrean", "akun", "foto", "email", "kuota"]
    subjects += ["paspor anak", "wawancara", "qr", "nomor hp", "password", "lampiran", "ktp"]
    problems = ["tidak masuk", "tidak muncul", "gagal", "error", "hilang", "kadaluarsa"]
    problems += ["penuh", "belum ada", "salah", "ditolak", "lama sekali", "berubah"]
    extras = ["", "", "", "mohon info", "kak", "sejak kemarin", "di hp saya", "gimana ini"]
    rows = []
    for n in range(count):
        words = [rnd.choice(subjects), rnd.choice(problems), rnd.choice(extras)]
        text = " ".join(" ".join(words).split())
        if rnd.random() < 0.3:
            cut = rnd.randrange(len(text))
            text = text[:cut] + text[cut + 1 :]
        rows.append(row(text, text, minutes=-n, top=rnd.choice([None, "akun-otp"])))
    return rows


def test_statistics_show_both_periods_with_shares_feedback_tickets_and_median() -> None:
    today = activity(6, 3, 1, votes=(4, 2), tickets=(3, 2), minutes=(10.0, 20.0))
    week = activity(answered=1200, fallback=300, minutes=(2.5,))

    text = render_statistics(today, week)

    first, second = text.split("7 hari terakhir")
    assert "Hari ini" in first
    for figure in ("Pertanyaan: 10", "6 (60%)", "3 (30%)", "1 (10%)", "👍 4", "👎 2"):
        assert figure in first
    assert "3 dibuka, 2 dijawab" in first
    assert "15 menit" in first
    assert "Pertanyaan: 1.500" in second
    assert "1.200 (80%)" in second
    assert "0 (0%)" in second
    assert "2,5 menit" in second
    assert "*" not in text
    assert "_" not in text


def test_statistics_of_an_empty_period_show_dashes() -> None:
    text = render_statistics(activity(), activity())

    assert "Pertanyaan: 0" in text
    assert "0 (-)" in text
    assert "petugas: -" in text


def test_top_uses_titles_when_known() -> None:
    entries = [EntryCount("akun-otp", 12, 3, 1, details=7), EntryCount("dihapus", 2, 0, 0)]

    text = render_top(entries, {"akun-otp": "Kode OTP tidak masuk"})

    assert "1. Kode OTP tidak masuk (akun-otp): 12 kali · 📖 7 · 👍 3 · 👎 1" in text
    assert "2. dihapus: 2 kali" in text
    assert "Belum ada" in render_top([], {})


def test_unanswered_shows_count_and_example_per_group() -> None:
    groups = cluster([*LOST, *OTP])

    text = render_unanswered(groups)

    assert "5 pertanyaan dalam 2 kelompok" in text
    assert "1. 4× “otp tidak masuk”" in text
    assert "“kode otp gak masuk email”; “otp ga dtg”" in text
    assert "akun-otp, akun-login" in text
    assert "2. 1× “biaya paspor hilang”" in text
    assert "2." not in render_unanswered(groups, limit=1)
    assert "Tidak ada" in render_unanswered([])


def test_long_examples_are_shortened() -> None:
    long = "otp " + "sangat " * 100 + "lama"

    text = render_unanswered(cluster([row(long, long)]))

    assert "…”" in text
    assert len(text) < 400


class FakeSource:
    """Records the periods asked for and returns canned figures."""

    def __init__(self, rows: list[UnansweredRow] | None = None) -> None:
        self.calls: list[tuple[str, dt.datetime, dt.datetime, int | None]] = []
        self.rows = rows or []

    async def activity(self, *, since: dt.datetime, until: dt.datetime) -> Activity:
        self.calls.append(("activity", since, until, None))
        return activity(answered=len(self.calls))

    async def top_entries(
        self, *, since: dt.datetime, until: dt.datetime, limit: int = 10
    ) -> list[EntryCount]:
        self.calls.append(("top", since, until, limit))
        return [EntryCount("akun-otp", 5, 1, 0)]

    async def unanswered(
        self, *, since: dt.datetime, until: dt.datetime, limit: int = 2000
    ) -> list[UnansweredRow]:
        self.calls.append(("unanswered", since, until, limit))
        return self.rows


NOW = dt.datetime(2026, 11, 28, 2, 0, tzinfo=dt.UTC)  # 09:00 in Jakarta


async def test_statistics_text_is_today_since_local_midnight_and_the_last_week() -> None:
    source = FakeSource()

    text = await statistics_text(source, now=NOW, zone=JAKARTA)

    midnight = dt.datetime(2026, 11, 28, tzinfo=JAKARTA)
    assert source.calls == [
        ("activity", midnight, NOW, None),
        ("activity", NOW - dt.timedelta(days=7), NOW, None),
    ]
    assert midnight == dt.datetime(2026, 11, 27, 17, 0, tzinfo=dt.UTC)
    assert "Pertanyaan: 1" in text
    assert "Pertanyaan: 2" in text


async def test_top_and_unanswered_texts_cover_the_last_thirty_days() -> None:
    source = FakeSource([*LOST, *OTP])
    month_ago = NOW - dt.timedelta(days=30)

    top = await top_text(source, {"akun-otp": "Kode OTP"}, now=NOW)
    unanswered = await unanswered_text(source, now=NOW)

    assert source.calls == [
        ("top", month_ago, NOW, 10),
        ("unanswered", month_ago, NOW, 20_000),
    ]
    assert "Kode OTP (akun-otp): 5 kali" in top
    assert "4× “otp tidak masuk”" in unanswered
