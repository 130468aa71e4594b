"""The content record ("Did it help?") on SQLite and PostgreSQL: for a seeded history with
posts (`record_history`), what was posted and what it reached, and per topic the questions
answered, the unanswered ones near it and the 👎, before and after each post, per week; in
HTML, Markdown and CSV, in the weekly digest, without personal data; and with no posts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.channels.instagram.post_reports import InstagramReports
from bot.publishing.vocabulary import PostReach
from bot.reporting import digest
from bot.reporting.collect import collect
from bot.reporting.content_section import SHOWN_POSTS, content_section
from bot.reporting.figures import OfficeReport
from bot.reporting.output import write_report
from bot.reporting.period import Period
from bot.reporting.record import (
    RECORD_LIMIT,
    ContentRecord,
    Counts,
    Window,
    around,
    content_record,
)
from bot.reporting.settings import ReportSettings
from bot.reporting.vocabulary import RecordSources, TopicCount
from bot.runtime.app.publishing_wiring import desk
from bot.storage import Store
from bot.storage.report_queries import ReportQueries

from .helpers import RAW_VALUES, ZONE, empty_report, matcher, read_csv
from .record_history import (
    LINK_A,
    POST_A,
    POST_B,
    POST_OLD,
    TITLES,
    nov,
    seed_history,
    seed_questions,
)

PERIOD = Period(dt.date(2026, 11, 1), dt.date(2026, 11, 30), ZONE)
NOW = nov(31, 10)  # the morning after the period
PREFIX = "laporan_2026-11-01_2026-11-30"
DAY = dt.timedelta(days=1)


async def report_of(engine: AsyncEngine, *, instagram: bool = True) -> OfficeReport:
    """November's report with the content record wired as the root wires it."""
    queries = ReportQueries(engine)
    return await collect(
        queries,
        PERIOD,
        titles=TITLES,
        now=NOW,
        remind_after=dt.timedelta(minutes=30),
        posts=InstagramReports(engine) if instagram else None,
        record=RecordSources(desk(engine), queries.topics),
    )


def record_of(report: OfficeReport) -> ContentRecord:
    assert report.record is not None
    return report.record


async def test_before_and_after_per_topic(engine: AsyncEngine) -> None:
    await seed_history(engine)

    record = record_of(await report_of(engine))

    assert [p.media_id for p in record.posts] == [POST_B, POST_A, POST_OLD]  # not LATE
    b, a, old = record.posts
    assert (a.entry_id, a.title, a.published_at, a.permalink) == (
        "biaya-paspor",
        "Biaya paspor",
        nov(10, 10),
        LINK_A,
    )
    assert a.before == Window(nov(3, 10), nov(10, 10), clipped=True)  # the log starts then
    assert a.after == Window(nov(10, 10), nov(24, 10), clipped=False)
    assert (a.counts_before, a.counts_after) == (Counts(6, 2, 2), Counts(4, 1, 0))
    assert b.before == Window(nov(10), nov(24), clipped=False)
    assert b.after == Window(nov(24), nov(31), clipped=True)  # the period ends
    assert (b.counts_before, b.counts_after) == (Counts(7, 4, 1), Counts(7, 1, 0))
    # Per week, so 7 days before and 14 after compare fairly.
    assert (a.before.per_week(6), a.after.per_week(4)) == (6.0, 2.0)
    assert (b.before.per_week(7), b.after.per_week(7)) == (3.5, 7.0)
    assert (old.before.days, old.after.days) == (0.0, 0.0)  # before the log: nothing
    assert (old.counts_before, old.counts_after) == (Counts(), Counts())


async def test_what_was_posted_and_what_it_reached(engine: AsyncEngine) -> None:
    await seed_history(engine)

    b, a, old = record_of(await report_of(engine)).posts

    assert (a.reach, a.saves, a.shares, a.comments) == (340, 21, 9, 4)
    assert (b.reach, b.saves, b.shares, b.comments) == (None, None, None, None)  # not read
    assert (old.reach, old.comments) == (120, 0)
    assert a.asked is not None
    assert b.asked is not None
    assert (a.asked.questions, a.asked.unclear, a.asked.topics) == (2, 1, (("biaya-paspor", 1),))
    assert (b.asked.questions, b.asked.comments) == (0, 0)


async def test_without_a_channel_logging_comments_their_questions_are_unknown(
    engine: AsyncEngine, tmp_path: Path
) -> None:
    await seed_history(engine)

    report = await report_of(engine, instagram=False)

    assert {post.asked for post in record_of(report).posts} == {None}
    rows = read_csv(write_report(report, tmp_path, "csv")[-1])
    assert {row["pertanyaan_komentar"] for row in rows} == {""}


async def test_the_page_shows_the_record_next_to_the_plan(
    engine: AsyncEngine, tmp_path: Path
) -> None:
    await seed_history(engine)

    page = write_report(await report_of(engine), tmp_path, "html")[0].read_text("utf-8")

    section = page[page.index('id="rencana-konten"') : page.index('id="unggahan"')]
    assert "Unggahan yang sudah terbit sampai akhir periode: 3 (terbaru 24 November 2026)" in (
        section
    )
    assert "bukan bukti bahwa unggahan itu penyebabnya" in section
    assert "2 minggu sebelum dan 2 minggu sesudah" in section
    posted = '<td>Biaya paspor</td><td class="n">340</td><td class="n">21</td>'
    assert posted in section
    link = f'<a class="link" href="{LINK_A}">instagram.com/p/BiayaPaspor1/</a>'
    assert f'<td class="n">2 (1 belum jelas)</td><td>{link}</td>' in section
    row_a = (
        '<tr><td>Biaya paspor</td><td class="nowrap">10 Nov 2026 10.00</td>'
        "<td>7 hari (dipotong)</td><td>14 hari</td>"
        '<td class="n">6,0 → 2,0 (6 → 4)</td><td class="n">2,0 → 0,5 (2 → 1)</td>'
        '<td class="n">2,0 → 0,0 (2 → 0)</td></tr>'
    )
    assert row_a in section
    assert "<td>7 hari (dipotong)</td>" in section  # B's after: the period ended
    assert '<td class="n">3,5 → 7,0 (7 → 7)</td><td class="n">2,0 → 1,0 (4 → 1)</td>' in section
    # The old post: no data either side, so no rates and no counts (not "0").
    assert "<td>tidak ada data</td><td>tidak ada data</td>" in section
    assert '<td class="n">-</td><td class="n">-</td><td class="n">-</td></tr>' in section
    for caption in (
        "Yang sudah diunggah",
        "Sebelum → sesudah unggahan, per minggu",
        "Rencana berikutnya",
    ):
        assert f"<h3>{caption}</h3>" in section


async def test_the_csv_has_every_figure_of_every_post(engine: AsyncEngine, tmp_path: Path) -> None:
    await seed_history(engine)

    write_report(await report_of(engine), tmp_path, "csv")

    rows = read_csv(tmp_path / f"{PREFIX}_konten_unggahan.csv")
    assert [row["media_id"] for row in rows] == [POST_B, POST_A, POST_OLD]
    a = rows[1]
    assert {key: a[key] for key in list(a)[:16]} == {
        "diunggah": "2026-11-10T10:00+07:00",
        "entri_id": "biaya-paspor",
        "judul": "Biaya paspor",
        "media_id": POST_A,
        "tautan": LINK_A,
        "jangkauan": "340",
        "disimpan": "21",
        "dibagikan": "9",
        "komentar": "4",
        "pertanyaan_komentar": "2",
        "belum_jelas_komentar": "1",
        "minggu_dibandingkan": "2",
        "sebelum_mulai": "2026-11-03T10:00+07:00",
        "sebelum_hari": "7.0",
        "sesudah_akhir": "2026-11-24T10:00+07:00",
        "sesudah_hari": "14.0",
    }
    figures = ("dijawab", "belum_terjawab", "jempol_bawah")
    sides = ("sebelum", "sesudah", "per_minggu_sebelum", "per_minggu_sesudah")
    assert [a[f"{name}_{side}"] for name in figures for side in sides] == [
        *("6", "4", "6.00", "2.00"),
        *("2", "1", "2.00", "0.50"),
        *("2", "0", "2.00", "0.00"),
    ]
    old = rows[2]
    assert (old["jangkauan"], old["sebelum_hari"], old["dijawab_per_minggu_sebelum"]) == (
        "120",
        "0.0",
        "",  # no data: no rate
    )


async def test_markdown_shows_the_record(engine: AsyncEngine, tmp_path: Path) -> None:
    await seed_history(engine)

    document = write_report(await report_of(engine), tmp_path, "md")[0].read_text("utf-8")

    assert "### Sebelum → sesudah unggahan, per minggu" in document
    assert (
        "| Biaya paspor | 10 Nov 2026 10.00 | 7 hari (dipotong) | 14 hari"
        " | 6,0 → 2,0 (6 → 4) | 2,0 → 0,5 (2 → 1) | 2,0 → 0,0 (2 → 0) |"
    ) in document


async def test_no_personal_data_reaches_the_files(engine: AsyncEngine, tmp_path: Path) -> None:
    await seed_history(engine)
    report = await report_of(engine)

    for fmt in ("html", "md", "csv"):
        for path in write_report(report, tmp_path / fmt, fmt):
            content = path.read_text(encoding="utf-8-sig")
            for raw in (*RAW_VALUES, "u" * 64, "1790000000000000"):
                assert raw not in content, (path.name, raw)


async def test_the_plan_says_when_a_topic_was_last_posted(engine: AsyncEngine) -> None:
    await seed_history(engine)
    report = await report_of(engine)

    plan = content_section(report).tables[-1]
    assert plan.header[-1] == "Terakhir diunggah"
    last = {row[1]: row[-1] for row in plan.rows}
    assert last["Biaya paspor"] == "10 November 2026"
    assert last["Kode OTP tidak masuk"] == "24 November 2026"


async def test_with_no_posts_the_section_says_so_and_keeps_the_plan(
    engine: AsyncEngine, tmp_path: Path
) -> None:
    await seed_questions(Store(engine))

    report = await report_of(engine)

    assert record_of(report).posts == ()
    page = write_report(report, tmp_path, "html")[0].read_text("utf-8")
    section = page[page.index('id="rencana-konten"') :]
    assert "Belum ada unggahan yang terbit lewat Tanya Paspor sampai akhir periode ini." in section
    assert "Sebelum → sesudah" not in section
    assert "<h3>Rencana berikutnya</h3>" in section
    assert read_csv(tmp_path / f"{PREFIX}_konten_unggahan.csv") == []


async def test_an_empty_log_with_no_posts_still_reports(
    engine: AsyncEngine, tmp_path: Path
) -> None:
    report = await report_of(engine)

    page = write_report(report, tmp_path, "html")[0].read_text("utf-8")
    assert "Belum ada unggahan yang terbit" in page
    assert "Belum cukup pertanyaan untuk menyusun rencana konten." in page


async def test_the_topic_queries_check_their_bounds(engine: AsyncEngine) -> None:
    topics = ReportQueries(engine).topics

    assert await topics.first_question_at() is None  # an empty log
    assert await topics.topic_counts(set(), [nov(1), nov(2)]) == []
    with pytest.raises(ValueError, match="two bounds"):
        await topics.topic_counts({"biaya-paspor"}, [nov(1)])
    with pytest.raises(ValueError, match="increasing"):
        await topics.topic_counts({"biaya-paspor"}, [nov(2), nov(2), nov(3)])
    with pytest.raises(ValueError, match="naive"):
        await topics.topic_counts({"biaya-paspor"}, [dt.datetime(2026, 11, 1), nov(3)])


def test_windows_are_cut_to_the_data_and_n_weeks_can_change() -> None:
    at = nov(10)
    start, end = nov(5), nov(12)
    before, after = around(at, weeks=1, log_start=start, end=end)
    assert before == Window(nov(5), at, clipped=True)
    assert after == Window(at, nov(12), clipped=True)
    assert (before.days, after.days) == (5.0, 2.0)
    assert before.per_week(5) == 7.0
    before, after = around(at, weeks=1, log_start=nov(1), end=nov(30))
    assert (before, after) == (Window(nov(3), at, False), Window(at, nov(17), False))
    short = Window(at, at + dt.timedelta(hours=20), clipped=True)
    assert short.per_week(3) is None  # under a day: no rate
    empty_log = around(at, weeks=2, log_start=None, end=end)
    assert empty_log[0].days == 0.0


async def test_the_weekly_digest_names_the_newest_post(
    engine: AsyncEngine, tmp_path: Path
) -> None:
    await seed_history(engine)
    told: list[str] = []

    async def tell(text: str) -> None:
        told.append(text)

    # Due on Tuesday 1 December at 00:00: booked the day before, sent then.
    settings = ReportSettings(tmp_path / "faq.yaml", ZONE, dt.timedelta(minutes=30), "Tue 00:00")
    queries, kb = ReportQueries(engine), matcher().kb
    record = RecordSources(desk(engine), queries.topics)
    for now in (nov(30, 12), nov(31)):
        await digest.send_digest_if_due(queries, tell, settings, kb, now=now, record=record)

    (text,) = told
    title = next(entry.title for entry in kb.entries if entry.id == "akun-otp")
    expected = (
        f"\n\nUnggahan terakhir: {title} (24 Nov). Pertanyaan topik ini per minggu,"
        " sebelum → sesudah: dijawab 3,5 → 7,0 (7 → 7), belum terjawab 2,0 → 1,0 (4 → 1)"
        " (sesudahnya baru 7 hari).\n"
    )
    assert expected in text
    assert not any(raw in text for raw in RAW_VALUES)


class Published:
    """The publishing desk at the edge: `count` posts, one a day before 1 November."""

    def __init__(self, count: int) -> None:
        self.posts = [
            PostReach(n, "biaya-paspor", f"1781{n:04d}", nov(1) - n * DAY, None, *([None] * 5))
            for n in range(count)
        ]

    async def published_posts(self, *, since: dt.datetime, until: dt.datetime) -> list[PostReach]:
        return [p for p in reversed(self.posts) if since <= p.published_at < until]


class NoLog:
    """An empty question log."""

    async def first_question_at(self) -> dt.datetime | None:
        return None

    async def topic_counts(
        self, faq_ids: Collection[str], bounds: Sequence[dt.datetime]
    ) -> list[TopicCount]:
        return []


async def test_many_posts_the_newest_are_counted_and_a_few_shown() -> None:
    sources = RecordSources(Published(RECORD_LIMIT + 5), NoLog())

    record = await content_record(sources, until=nov(31), titles=TITLES)

    assert (len(record.posts), record.published, record.capped) == (RECORD_LIMIT, 105, True)
    assert record.posts[0].published_at == nov(1)  # the newest first
    report = replace(empty_report(dt.date(2026, 11, 1), dt.date(2026, 11, 30)), record=record)
    section = content_section(report)
    assert (
        section.figures[0]
        == "Unggahan yang sudah terbit sampai akhir periode: 105 (terbaru 1 November 2026)"
    )
    assert "Yang dihitung: 100 unggahan terbaru." in section.figures
    assert len(section.tables[0].rows) == SHOWN_POSTS
    assert {row[4:] for row in section.tables[1].rows} == {("-", "-", "-")}  # no data
