"""What each section of the report says, in Indonesian: shared by the HTML and Markdown pages.

Headings, one-line explanations, key figures and the rows shown on the page (the CSV files
have every row). Pure: formatting only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from bot.reporting import quiet
from bot.reporting.clusters import Cluster
from bot.reporting.content_section import content_section
from bot.reporting.figures import MIN_VOTES, REWRITE_SHARE, Day, EntryFigures, OfficeReport
from bot.reporting.offices import comparison_section
from bot.reporting.posts import post_section
from bot.reporting.shown import Section as Section
from bot.reporting.shown import ShownTable as ShownTable
from bot.reporting.text import day, minutes, month, number, percent, quote, share_of
from bot.reporting.voices import voice_section

PRIVACY_NOTE = (
    "Laporan ini hanya memuat teks pertanyaan yang sudah disamarkan: data pribadi (NIK, nomor"
    " KK, paspor, telepon, e-mail, kode) sudah diganti tanda seperti [NIK]."
)
SHOWN_ENTRIES = 15
SHOWN_CLUSTERS = 15
REWRITE = "perlu ditulis ulang"


def title(report: OfficeReport) -> str:
    """The page title."""
    first, last = report.period.first_day, report.period.last_day
    office = f" — {report.office_name}" if report.office_name else ""
    return f"Laporan Tanya Paspor{office}: {day(first)} – {day(last)}"


def subtitle(report: OfficeReport) -> str:
    """When and for which time zone the report was made."""
    made = report.generated_at.astimezone(report.period.zone)
    return f"Dibuat {day(made.date())} pukul {made:%H.%M} ({report.period.zone})."


def build(report: OfficeReport) -> list[Section]:
    """Every section, in reading order."""
    found = [
        _summary(report),
        *([comparison_section(report.offices)] if report.offices else []),
        _daily(report),
        _entries(report),
        _clusters(report),
        *([voice_section(report.voices, dict(report.topic_titles))] if report.voices else []),
        _tickets(report),
        content_section(report),
    ]
    if report.posts is not None:
        found.append(post_section(report.posts, report.topic_titles))
    if report.applicants:
        found.append(_applicants(report))
    return found


def _summary(report: OfficeReport) -> Section:
    answered, clarified, fallback, officers = report.totals()
    total = report.questions
    up = sum(e.helpful for e in report.entries)
    down = sum(e.unhelpful for e in report.entries)
    figures = (
        f"Pertanyaan: {number(total)}",
        f"Terjawab langsung: {share_of(answered, total)}",
        f"Perlu pilihan (“Maksud Anda…?”): {share_of(clarified, total)}",
        f"Tidak dikenali: {share_of(fallback, total)}",
        f"Diteruskan ke petugas: {share_of(officers, total)}",
        f"Penilaian jawaban: 👍 {number(up)} · 👎 {number(down)}",
        f"Tiket ke petugas: {number(report.tickets.opened)} dibuka,"
        f" {number(report.tickets.answered)} dijawab",
    )
    intro = (
        "Angka utama periode ini. “Pertanyaan” menghitung setiap pesan pemohon; pesan yang"
        " masuk ke tiket petugas (tambahan, balasan, permintaan bicara dengan petugas)"
        " dihitung sebagai “Diteruskan ke petugas”. Penjelasan ada di setiap bagian di bawah.",
    )
    return Section("ringkasan", "Ringkasan", intro, figures)


def _daily(report: OfficeReport) -> Section:
    intro = (
        "Berapa pertanyaan masuk setiap hari dan lewat saluran apa, lalu berapa bagian yang"
        " langsung terjawab, perlu pilihan, tidak dikenali bot, atau diteruskan ke petugas."
        " Bagian “tidak dikenali” yang tinggi berarti FAQ belum memuat yang ditanyakan orang."
        " Hari-hari berturut-turut tanpa pertanyaan digabung menjadi satu baris.",
    )
    year = quiet.needs_year(report.period)
    rows = tuple(_day_row(s, year=year) for s in quiet.stretches(report.per_day()))
    header = ("Tanggal", "Pertanyaan", "Terjawab", "Perlu pilihan", "Tidak dikenali", "Ke petugas")
    table = ShownTable(header, rows, frozenset({1, 2, 3, 4, 5}), nowrap=frozenset({0}))
    alt = "Grafik pertanyaan per hari menurut saluran dan hasil jawaban"
    return Section("harian", "Pertanyaan per hari", intro, tables=(table,), chart_alt=alt)


def _day_row(stretch: Day | quiet.Quiet, *, year: bool) -> tuple[str, ...]:
    when = quiet.label(stretch, year=year, weekday=True)
    if isinstance(stretch, quiet.Quiet):
        return (when, stretch.text())  # shorter than the header: the text spans the row
    d = stretch
    return (
        when,
        number(d.questions),
        share_of(d.answered, d.questions),
        share_of(d.clarified, d.questions),
        share_of(d.fallback, d.questions),
        share_of(d.to_officers, d.questions),
    )


ENTRIES_INTRO = (
    "Entri FAQ yang paling sering diberikan sebagai jawaban, dengan penilaian pemohon."
    " Urutan: bagian 👎 terbesar di atas. Entri dengan sedikitnya"
    f" {MIN_VOTES} penilaian dan {round(100 * REWRITE_SHARE)}% atau lebih 👎 ditandai"
    f" “{REWRITE}”.",
    "* pertanyaan yang tidak langsung terjawab, tetapi paling dekat dengan entri ini.",
    "📖: berapa kali pemohon menekan “Selengkapnya” di bawah jawaban singkat. Bila hampir"
    " semua menekannya, jawaban singkat entri itu belum memuat yang orang perlukan.",
)
ENTRIES_HEADER = ("Entri", "Dijawab", "📖", "👍", "👎", "% 👎", "Belum jelas*", "Tindakan")
CLUSTERS_INTRO = (
    "Pertanyaan yang tidak langsung terjawab, dikelompokkan: cara bertanya yang berbeda"
    " untuk kebutuhan yang sama dihitung bersama. Kelompok besar adalah calon entri baru"
    " atau contoh pertanyaan baru untuk entri terdekat.",
)
CLUSTERS_HEADER = ("Jumlah", "Pertanyaan", "Contoh lain", "Pertama", "Terakhir", "Entri terdekat")


def _entries(report: OfficeReport) -> Section:
    busiest = sorted((e for e in report.entries if e.asked), key=lambda e: -e.asked)
    keep = {e.faq_id for e in busiest[:SHOWN_ENTRIES]}
    rows = tuple(_entry_row(e) for e in report.entries if e.faq_id in keep)
    table = ShownTable(ENTRIES_HEADER, rows, frozenset({1, 2, 3, 4, 5, 6}), flag_column=7)
    return Section(
        "entri",
        "Entri teratas dan penilaiannya",
        ENTRIES_INTRO,
        tables=(table,) if rows else (),
        chart_alt="Grafik 👍 dan 👎 per entri",
        empty="Belum ada pertanyaan yang terjawab dalam periode ini.",
    )


def _entry_row(entry: EntryFigures) -> tuple[str, ...]:
    name = entry.faq_id if entry.title == entry.faq_id else f"{entry.title} ({entry.faq_id})"
    return (
        name,
        number(entry.asked),
        f"{number(entry.details)} ({percent(entry.details_share)})",
        number(entry.helpful),
        number(entry.unhelpful),
        percent(entry.unhelpful_share),
        number(entry.clarified + entry.fallback),
        REWRITE if entry.needs_rewrite else "",
    )


def _clusters(report: OfficeReport) -> Section:
    titles = {e.faq_id: e.title for e in report.entries}
    total, groups = number(report.unanswered_total), number(len(report.clusters))
    figures = [f"{total} pertanyaan dalam {groups} kelompok."]
    if report.unanswered_capped:
        figures.append("Hanya pertanyaan terbaru yang dikelompokkan (jumlahnya sangat banyak).")
    shown = report.clusters[:SHOWN_CLUSTERS]
    rows = tuple(_cluster_row(c, titles, report.period.zone) for c in shown)
    return Section(
        "belum-terjawab",
        "Pertanyaan yang belum terjawab",
        CLUSTERS_INTRO,
        tuple(figures),
        (ShownTable(CLUSTERS_HEADER, rows, frozenset({0})),) if rows else (),
        empty="Tidak ada pertanyaan yang belum terjawab dalam periode ini.",
    )


def _cluster_row(group: Cluster, titles: Mapping[str, str], zone: dt.tzinfo) -> tuple[str, ...]:
    return (
        number(group.size),
        quote(group.example),
        "; ".join(quote(text) for text in group.examples[1:]),
        _when(group.first_seen, zone),
        _when(group.last_seen, zone),
        ", ".join(titles.get(faq_id, faq_id) for faq_id in group.nearest),
    )


def _when(moment: dt.datetime, zone: dt.tzinfo) -> str:
    return f"{moment.astimezone(zone):%d/%m %H.%M}"


TICKETS_INTRO = (
    "Tiket dibuka saat pemohon minta bantuan petugas. Waktu balasan dihitung dari tiket"
    " dibuka sampai balasan pertama petugas, untuk tiket yang dibuka dalam periode ini.",
)


def _tickets(report: OfficeReport) -> Section:
    t = report.tickets
    figures = (
        f"Tiket dibuka: {number(t.opened)}",
        f"Dijawab petugas: {share_of(t.answered, t.opened)}",
        f"Median balasan pertama: {minutes(t.median_minutes)}",
        f"90% tiket yang dijawab sudah dibalas dalam: {minutes(t.p90_minutes)}",
        f"Baru diambil setelah lewat {minutes(report.remind_after_minutes)}"
        f" (batas pengingat), atau belum diambil sama sekali: {number(t.claimed_late)}",
        f"Sekarang masih menunggu diambil: {number(t.still_open_unclaimed)}",
    )
    rows = tuple((o.name, number(o.answered), minutes(o.median_minutes)) for o in t.officers)
    table = ShownTable(("Petugas", "Tiket dijawab", "Median balasan"), rows, frozenset({1, 2}))
    return Section(
        "tiket",
        "Tiket ke petugas",
        TICKETS_INTRO,
        figures,
        (table,) if rows else (),
        empty="Belum ada balasan petugas untuk tiket periode ini.",
    )


def _applicants(report: OfficeReport) -> Section:
    intro = (
        "Dari data kantor: bagian pemohon yang mendaftar lewat M-Paspor setiap bulan, di"
        " samping jumlah pertanyaan ke bot pada bulan yang sama.",
    )
    rows = tuple(
        (
            month(r.month.month),
            number(r.month.walk_in),
            number(r.month.m_paspor),
            percent(r.month.share),
            number(r.questions),
        )
        for r in report.applicants or ()
    )
    header = ("Bulan", "Datang langsung", "M-Paspor", "% M-Paspor", "Pertanyaan ke bot")
    table = ShownTable(header, rows, frozenset({1, 2, 3, 4}))
    alt = "Grafik bagian pemohon lewat M-Paspor dan pertanyaan ke bot per bulan"
    return Section("pemohon", "Pemohon lewat M-Paspor", intro, tables=(table,), chart_alt=alt)
