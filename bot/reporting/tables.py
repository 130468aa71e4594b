"""The report's tables: the rows behind each section, as the CSV files and Markdown show them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from bot.reporting.figures import OfficeReport
from bot.reporting.posts import topic_list
from bot.reporting.record import ContentRecord
from bot.reporting.record_csv import RECORD_HEADER, record_rows
from bot.reporting.text import decimal
from bot.reporting.vocabulary import PostFigures
from bot.reporting.voices import KINDS, VoiceFigures

YES, NO = "ya", "tidak"
# A spreadsheet runs a cell starting with one of these as a formula; people's words must
# never become one, so such cells get a leading apostrophe (shown as text, not computed).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True, slots=True)
class Table:
    """One CSV file: its name (without extension), header and rows."""

    name: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


def tables(report: OfficeReport) -> list[Table]:
    """Every table of the report, in the order of its sections."""
    found = [
        *([_offices(report)] if report.offices else []),
        _daily(report),
        _entries(report),
        _unanswered(report),
        *(_voices(report.voices, report.period.zone) if report.voices else []),
        _tickets(report),
        _officers(report),
        _plan(report),
        *([_record(report.record, report.period.zone)] if report.record is not None else []),
    ]
    if report.posts is not None:
        found += _posts(report.posts, report.topic_titles)
    if report.applicants:
        found.append(_applicants(report))
    return found


def safe_cell(text: str) -> str:
    """Text from applicants or officers (display names), made inert for spreadsheets."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def _pct(count: int, total: int) -> str:
    return decimal(100 * count / total if total else None)


DAILY_HEADER = (
    "tanggal",
    "saluran",
    "pertanyaan",
    "terjawab",
    "perlu_pilihan",
    "tidak_dikenali",
    "persen_terjawab",
    "persen_perlu_pilihan",
    "persen_tidak_dikenali",
    "ke_petugas",
    "persen_ke_petugas",
)
ENTRIES_HEADER = (
    "faq_id",
    "judul",
    "dijawab",
    "minta_selengkapnya",
    "membantu",
    "tidak_membantu",
    "persen_tidak_membantu",
    "perlu_pilihan",
    "tidak_dikenali",
    "perlu_ditulis_ulang",
)


def _daily(report: OfficeReport) -> Table:
    rows = tuple(
        (
            d.day.isoformat(),
            d.channel,
            str(d.questions),
            str(d.answered),
            str(d.clarified),
            str(d.fallback),
            _pct(d.answered, d.questions),
            _pct(d.clarified, d.questions),
            _pct(d.fallback, d.questions),
            str(d.to_officers),
            _pct(d.to_officers, d.questions),
        )
        for d in report.days
    )
    return Table("harian", DAILY_HEADER, rows)


def _entries(report: OfficeReport) -> Table:
    rows = tuple(
        (
            e.faq_id,
            e.title,
            str(e.asked),
            str(e.details),
            str(e.helpful),
            str(e.unhelpful),
            decimal(100 * e.unhelpful_share if e.unhelpful_share is not None else None),
            str(e.clarified),
            str(e.fallback),
            YES if e.needs_rewrite else NO,
        )
        for e in report.entries
    )
    return Table("entri", ENTRIES_HEADER, rows)


def _unanswered(report: OfficeReport) -> Table:
    header = (
        "kelompok",
        "jumlah",
        "contoh_utama",
        "contoh_lain",
        "pertama",
        "terakhir",
        "entri_terdekat",
    )
    rows = tuple(
        (
            str(rank),
            str(c.size),
            safe_cell(c.example),
            safe_cell(" | ".join(c.examples[1:])),
            c.first_seen.astimezone(report.period.zone).isoformat(timespec="minutes"),
            c.last_seen.astimezone(report.period.zone).isoformat(timespec="minutes"),
            " ".join(c.nearest),
        )
        for rank, c in enumerate(report.clusters, start=1)
    )
    return Table("belum_terjawab", header, rows)


def _voices(figures: VoiceFigures, zone: dt.tzinfo) -> list[Table]:
    """Every week and topic with complaints or suggestions, and the examples."""
    counts = tuple(
        (week.first.isoformat(), week.last.isoformat(), t.topic, safe_cell(t.label), str(n))
        for t in figures.topics
        for week, n in zip(figures.weeks, t.per_week, strict=True)
        if n
    )
    header = ("minggu_mulai", "minggu_akhir", "topik_id", "topik", "jumlah")
    examples = tuple(
        (
            e.created_at.astimezone(zone).isoformat(timespec="minutes"),
            e.topic,
            KINDS.get(e.kind, e.kind),
            safe_cell(e.text_redacted),
            e.faq_id or "",
        )
        for e in figures.examples
    )
    kinds = ("waktu", "topik_id", "jenis", "pesan", "entri")
    totals = tuple((t.topic, str(t.complaints), str(t.suggestions)) for t in figures.topics)
    return [
        Table("suara_pemohon", ("topik_id", "keluhan", "saran"), totals),
        Table("suara_pemohon_mingguan", header, counts),
        Table("suara_pemohon_contoh", kinds, examples),
    ]


def _tickets(report: OfficeReport) -> Table:
    t = report.tickets
    rows = (
        ("tiket_dibuka", str(t.opened)),
        ("tiket_dijawab_petugas", str(t.answered)),
        ("median_menit_balasan_pertama", decimal(t.median_minutes)),
        ("p90_menit_balasan_pertama", decimal(t.p90_minutes)),
        ("batas_pengingat_menit", decimal(report.remind_after_minutes)),
        ("diambil_melewati_batas_pengingat", str(t.claimed_late)),
        ("belum_diambil_dan_belum_ditutup", str(t.still_open_unclaimed)),
    )
    return Table("tiket", ("ukuran", "nilai"), rows)


OFFICES_HEADER = (
    "kantor_id",
    "kantor",
    "pertanyaan",
    "dijawab_bot",
    "tidak_dikenali",
    "tiket_dibuka",
    "median_menit_balasan_pertama",
    "jempol_atas",
    "jempol_bawah",
)


def _offices(report: OfficeReport) -> Table:
    """The comparison between offices, one row each (no office: an empty id)."""
    rows = tuple(
        (
            row.office or "",
            row.name,
            str(row.activity.questions),
            str(row.activity.answered),
            str(row.activity.fallback),
            str(row.activity.tickets_opened),
            decimal(row.activity.median_first_reply),
            str(row.activity.helpful),
            str(row.activity.unhelpful),
        )
        for row in report.offices
    )
    return Table("kantor", OFFICES_HEADER, rows)


def _officers(report: OfficeReport) -> Table:
    rows = tuple(
        (safe_cell(o.name), str(o.answered), decimal(o.median_minutes))
        for o in report.tickets.officers
    )
    return Table("petugas", ("petugas", "tiket_dijawab", "median_menit_balasan"), rows)


def _plan(report: OfficeReport) -> Table:
    rows = tuple(
        (str(rank), safe_cell(idea.topic), str(idea.questions), safe_cell(idea.reason))
        for rank, idea in enumerate(report.plan, start=1)
    )
    return Table("rencana_konten", ("urutan", "topik", "pertanyaan", "alasan"), rows)


def _record(record: ContentRecord, zone: dt.tzinfo) -> Table:
    """The published posts: what they reached and their topic before and after."""
    return Table("konten_unggahan", RECORD_HEADER, record_rows(record, zone))


def _applicants(report: OfficeReport) -> Table:
    header = ("bulan", "walk_in", "m_paspor", "persen_m_paspor", "pertanyaan_bot")
    rows = tuple(
        (
            f"{r.month.month:%Y-%m}",
            str(r.month.walk_in),
            str(r.month.m_paspor),
            decimal(100 * r.month.share if r.month.share is not None else None),
            str(r.questions),
        )
        for r in report.applicants or ()
    )
    return Table("pemohon", header, rows)


POSTS_HEADER = (
    "unggahan",
    "komentar",
    "pertanyaan",
    "belum_jelas",
    "disembunyikan",
    "topik",
    "topik_id",
)


def _posts(figures: PostFigures, titles: Mapping[str, str]) -> list[Table]:
    """Every post with comments in the period, and the medians of the first replies."""
    name = figures.channel.lower()
    rows = tuple(
        (
            post.post,
            str(post.comments),
            str(post.questions),
            str(post.unclear),
            str(post.hidden),
            safe_cell(topic_list(post.topics, titles)),
            " ".join(f"{faq_id}:{count}" for faq_id, count in post.topics),
        )
        for post in figures.posts
    )
    replies = (
        ("median_menit_balasan_pertama_komentar", decimal(figures.median_comment_reply)),
        ("komentar_dibalas", str(len(figures.comment_reply_minutes))),
        ("median_menit_balasan_pertama_dm", decimal(figures.median_dm_reply)),
        ("dm_dibalas", str(len(figures.dm_reply_minutes))),
    )
    return [
        Table(f"{name}_unggahan", POSTS_HEADER, rows),
        Table(f"{name}_balasan", ("ukuran", "nilai"), replies),
    ]
