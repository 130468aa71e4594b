"""What each section of the report says, in Indonesian: shared by the HTML and Markdown pages.

Headings, one-line explanations, key figures and the rows shown on the page (the CSV files
have every row). Pure: formatting only.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from bot.reporting import text as fmt
from bot.reporting.figures import Report

PRIVACY_NOTE = (
    "Laporan ini hanya memuat teks pertanyaan yang sudah disamarkan: data pribadi (NIK, nomor"
    " KK, paspor, telepon, e-mail, kode) sudah diganti tanda seperti [NIK]."
)
SHOWN_ENTRIES = 15
SHOWN_CLUSTERS = 15
REWRITE = "perlu ditulis ulang"


@dataclass(frozen=True, slots=True)
class ShownTable:
    """Rows as shown on the page; `numeric` columns align right, `flag_column` is red."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    numeric: frozenset[int] = frozenset()
    flag_column: int | None = None


@dataclass(frozen=True, slots=True)
class Section:
    """One section: `key` names its chart and its anchor."""

    key: str
    heading: str
    intro: tuple[str, ...]
    figures: tuple[str, ...] = ()
    tables: tuple[ShownTable, ...] = ()
    chart_alt: str = ""
    empty: str = ""


def title(report: Report) -> str:
    """The page title."""
    first, last = report.period.first_day, report.period.last_day
    return f"Laporan Tanya Paspor: {fmt.day(first)} – {fmt.day(last)}"


def subtitle(report: Report) -> str:
    """When and for which time zone the report was made."""
    made = report.generated_at.astimezone(report.period.zone)
    return f"Dibuat {fmt.day(made.date())} pukul {made:%H.%M} ({report.period.zone})."


def build(report: Report) -> list[Section]:
    """Every section, in reading order."""
    found = [
        _summary(report),
        _daily(report),
        _entries(report),
        _clusters(report),
        _tickets(report),
        _plan(report),
    ]
    if report.applicants:
        found.append(_applicants(report))
    return found


def _summary(report: Report) -> Section:
    answered, clarified, fallback = report.totals()
    total = report.questions
    up = sum(e.helpful for e in report.entries)
    down = sum(e.unhelpful for e in report.entries)
    figures = (
        f"Pertanyaan: {fmt.number(total)}",
        f"Terjawab langsung: {fmt.share_of(answered, total)}",
        f"Perlu pilihan (“Maksud Anda…?”): {fmt.share_of(clarified, total)}",
        f"Tidak dikenali: {fmt.share_of(fallback, total)}",
        f"Penilaian jawaban: 👍 {fmt.number(up)} · 👎 {fmt.number(down)}",
        f"Tiket ke petugas: {fmt.number(report.tickets.opened)} dibuka,"
        f" {fmt.number(report.tickets.answered)} dijawab",
    )
    intro = ("Angka utama periode ini. Penjelasan ada di setiap bagian di bawah.",)
    return Section("ringkasan", "Ringkasan", intro, figures)


def _daily(report: Report) -> Section:
    intro = (
        "Berapa pertanyaan masuk setiap hari dan lewat saluran apa, lalu berapa bagian yang"
        " langsung terjawab, perlu pilihan, atau tidak dikenali bot. Bagian “tidak dikenali”"
        " yang tinggi berarti FAQ belum memuat yang ditanyakan orang.",
    )
    rows = tuple(
        (
            f"{d.day:%d/%m/%Y}",
            fmt.number(d.questions),
            fmt.share_of(d.answered, d.questions),
            fmt.share_of(d.clarified, d.questions),
            fmt.share_of(d.fallback, d.questions),
        )
        for d in report.per_day()
    )
    header = ("Tanggal", "Pertanyaan", "Terjawab", "Perlu pilihan", "Tidak dikenali")
    table = ShownTable(header, rows, frozenset({1, 2, 3, 4}))
    alt = "Grafik pertanyaan per hari menurut saluran dan hasil jawaban"
    return Section("harian", "Pertanyaan per hari", intro, tables=(table,), chart_alt=alt)


def _entries(report: Report) -> Section:
    intro = (
        "Entri FAQ yang paling sering diberikan sebagai jawaban, dengan penilaian pemohon."
        " Urutan: bagian 👎 terbesar di atas. Entri dengan sedikitnya"
        " 3 penilaian dan 30% atau lebih 👎 ditandai “perlu ditulis ulang”.",
    )
    busiest = sorted((e for e in report.entries if e.asked), key=lambda e: -e.asked)
    keep = {e.faq_id for e in busiest[:SHOWN_ENTRIES]}
    rows = tuple(
        (
            f"{e.title} ({e.faq_id})",
            fmt.number(e.asked),
            fmt.number(e.helpful),
            fmt.number(e.unhelpful),
            fmt.percent(e.unhelpful_share),
            fmt.number(e.clarified + e.fallback),
            REWRITE if e.needs_rewrite else "",
        )
        for e in report.entries
        if e.faq_id in keep
    )
    header = ("Entri", "Dijawab", "👍", "👎", "% 👎", "Belum jelas*", "Tindakan")
    table = ShownTable(header, rows, frozenset({1, 2, 3, 4, 5}), flag_column=6)
    note = "* pertanyaan yang tidak langsung terjawab, tetapi paling dekat dengan entri ini."
    empty = "Belum ada pertanyaan yang terjawab dalam periode ini."
    return Section(
        "entri",
        "Entri teratas dan penilaiannya",
        (*intro, note),
        tables=(table,) if rows else (),
        chart_alt="Grafik 👍 dan 👎 per entri",
        empty=empty,
    )


def _clusters(report: Report) -> Section:
    titles = {e.faq_id: e.title for e in report.entries}
    intro = (
        "Pertanyaan yang tidak langsung terjawab, dikelompokkan: cara bertanya yang berbeda"
        " untuk kebutuhan yang sama dihitung bersama. Kelompok besar adalah calon entri baru"
        " atau contoh pertanyaan baru untuk entri terdekat.",
    )
    total, groups = fmt.number(report.unanswered_total), fmt.number(len(report.clusters))
    figures = [f"{total} pertanyaan dalam {groups} kelompok."]
    if report.unanswered_capped:
        figures.append("Hanya pertanyaan terbaru yang dikelompokkan (jumlahnya sangat banyak).")
    rows = tuple(
        (
            fmt.number(c.size),
            fmt.quote(c.example),
            "; ".join(fmt.quote(t) for t in c.examples[1:]),
            _when(c.first_seen, report),
            _when(c.last_seen, report),
            ", ".join(titles.get(n, n) for n in c.nearest),
        )
        for c in report.clusters[:SHOWN_CLUSTERS]
    )
    header = ("Jumlah", "Pertanyaan", "Contoh lain", "Pertama", "Terakhir", "Entri terdekat")
    table = ShownTable(header, rows, frozenset({0}))
    empty = "Tidak ada pertanyaan yang belum terjawab dalam periode ini."
    return Section(
        "belum-terjawab",
        "Pertanyaan yang belum terjawab",
        intro,
        tuple(figures),
        (table,) if rows else (),
        empty=empty,
    )


def _when(moment: dt.datetime, report: Report) -> str:
    return f"{moment.astimezone(report.period.zone):%d/%m %H.%M}"


def _tickets(report: Report) -> Section:
    t = report.tickets
    intro = (
        "Tiket dibuka saat pemohon minta bantuan petugas. Waktu balasan dihitung dari tiket"
        " dibuka sampai balasan pertama petugas, untuk tiket yang dibuka dalam periode ini.",
    )
    figures = (
        f"Tiket dibuka: {fmt.number(t.opened)}",
        f"Dijawab petugas: {fmt.share_of(t.answered, t.opened)}",
        f"Median balasan pertama: {fmt.minutes(t.median_minutes)}",
        f"90% tiket dibalas dalam: {fmt.minutes(t.p90_minutes)}",
        f"Baru diambil setelah lewat {fmt.minutes(report.remind_after_minutes)}"
        f" (batas pengingat), atau belum diambil sama sekali: {fmt.number(t.claimed_late)}",
        f"Sekarang masih menunggu diambil: {fmt.number(t.still_open_unclaimed)}",
    )
    rows = tuple(
        (o.name, fmt.number(o.answered), fmt.minutes(o.median_minutes)) for o in t.officers
    )
    table = ShownTable(("Petugas", "Tiket dijawab", "Median balasan"), rows, frozenset({1, 2}))
    return Section(
        "tiket",
        "Tiket ke petugas",
        intro,
        figures,
        (table,) if rows else (),
        empty="Belum ada balasan petugas untuk tiket periode ini.",
    )


def _plan(report: Report) -> Section:
    intro = (
        "Calon topik untuk unggahan Instagram berikutnya: topik yang paling sering ditanyakan"
        " dan jawabannya paling sering dinilai 👎 atau tidak dikenali bot, serta kelompok"
        " pertanyaan yang belum ada jawabannya.",
    )
    rows = tuple(
        (str(rank), idea.topic, fmt.number(idea.questions), idea.reason)
        for rank, idea in enumerate(report.plan, start=1)
    )
    table = ShownTable(("No", "Topik", "Pertanyaan", "Alasan"), rows, frozenset({0, 2}))
    return Section(
        "rencana-konten",
        "Rencana konten",
        intro,
        tables=(table,) if rows else (),
        empty="Belum cukup pertanyaan untuk menyusun rencana konten.",
    )


def _applicants(report: Report) -> Section:
    intro = (
        "Dari data kantor: bagian pemohon yang mendaftar lewat M-Paspor setiap bulan, di"
        " samping jumlah pertanyaan ke bot pada bulan yang sama.",
    )
    rows = tuple(
        (
            fmt.month(r.month.month),
            fmt.number(r.month.walk_in),
            fmt.number(r.month.m_paspor),
            fmt.percent(r.month.share),
            fmt.number(r.questions),
        )
        for r in report.applicants or ()
    )
    header = ("Bulan", "Datang langsung", "M-Paspor", "% M-Paspor", "Pertanyaan ke bot")
    table = ShownTable(header, rows, frozenset({1, 2, 3, 4}))
    alt = "Grafik bagian pemohon lewat M-Paspor dan pertanyaan ke bot per bulan"
    return Section("pemohon", "Pemohon lewat M-Paspor", intro, tables=(table,), chart_alt=alt)
