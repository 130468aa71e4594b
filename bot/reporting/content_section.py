"""The report's "Rencana konten" section: the record of what was posted (when, what it reached,
what changed around it) next to what is planned next; and the chat summary's line on it.

Pure: formatting only. The words say "before" and "after", never "because of".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from bot.reporting import text
from bot.reporting.figures import Idea, OfficeReport
from bot.reporting.record import MIN_DAYS, ContentRecord, PostRecord, Window, latest_by_entry
from bot.reporting.shown import Section, ShownTable

SHOWN_POSTS = 10
PLAN_NOTE = (
    "Calon topik untuk unggahan Instagram berikutnya: topik yang paling sering ditanyakan"
    " dan jawabannya paling sering dinilai 👎 atau tidak dikenali bot, serta kelompok"
    " pertanyaan yang belum ada jawabannya."
)
RECORD_INTRO = (
    "Catatan unggahan yang sudah terbit lewat Tanya Paspor: apa yang diunggah, apa yang"
    " dicapainya, dan apa yang berubah sesudahnya; lalu rencana berikutnya."
)
EMPTY_RECORD = "Belum ada unggahan yang terbit lewat Tanya Paspor sampai akhir periode ini."
POSTED_NOTE = (
    "Jangkauan, disimpan, dibagikan dan komentar menurut statistik Instagram (“-”: belum"
    " dibaca). Pertanyaan di komentar: komentar yang bertanya, menurut catatan bot."
)
NOT_CAUSE = (
    "Ini hanya perbandingan sebelum dan sesudah, bukan bukti bahwa unggahan itu penyebabnya:"
    " musim liburan, aturan baru atau gangguan sistem juga mengubah jumlah pertanyaan."
)
POSTED_HEADER = (
    "Diunggah",
    "Topik",
    "Jangkauan",
    "Disimpan",
    "Dibagikan",
    "Komentar",
    "Pertanyaan di komentar",
    "Tautan",
)
FIELDS = ("answered", "unanswered", "unhelpful")  # of `Counts`, in the tables' order
CHANGE_HEADER = ("Topik", "Diunggah", "Sebelum", "Sesudah", "Dijawab", "Belum terjawab*", "👎")


def content_section(report: OfficeReport) -> Section:
    """The section: the record (when the root handed the published posts in), then the plan."""
    record, zone = report.record, report.period.zone
    plan = _plan_table(report.plan, record, zone)
    planned = (plan,) if plan.rows else ()
    if record is None:  # as before the record existed: the plan alone
        return _section((PLAN_NOTE,), (), planned)
    if not record.posts:
        return _section((RECORD_INTRO,), (EMPTY_RECORD,), planned)
    tables = (_posted_table(record, zone), _change_table(record, zone), *planned)
    return _section((RECORD_INTRO,), _figures(record, zone), tables)


def _section(
    intro: tuple[str, ...], figures: tuple[str, ...], tables: tuple[ShownTable, ...]
) -> Section:
    return Section(
        "rencana-konten",
        "Rencana konten",
        intro,
        figures,
        tables,
        empty="Belum cukup pertanyaan untuk menyusun rencana konten.",
    )


def _change_notes(weeks: int) -> tuple[str, ...]:
    return (
        "Untuk topik setiap unggahan (entri FAQ-nya): pertanyaan yang dijawab dengan entri itu,"
        " pertanyaan yang belum terjawab* dengan entri itu sebagai yang terdekat, dan penilaian"
        f" 👎 atas jawabannya, {weeks} minggu sebelum dan {weeks} minggu sesudah unggahan."
        " Angkanya per minggu (jumlahnya dalam kurung), supaya rentang yang tidak sama panjang"
        " tetap adil dibandingkan.",
        NOT_CAUSE,
        "* dijawab dengan pilihan (“Maksud Anda…?”) atau tidak dikenali bot.",
    )


def _figures(record: ContentRecord, zone: dt.tzinfo) -> tuple[str, ...]:
    newest = record.posts[0].published_at.astimezone(zone)
    lines = [
        f"Unggahan yang sudah terbit sampai akhir periode: {text.number(record.published)}"
        f" (terbaru {text.day(newest.date())})",
    ]
    if any(post.before.clipped or post.after.clipped for post in record.posts):
        lines.append(
            f"“dipotong”: datanya kurang dari {record.weeks} minggu, karena catatan pertanyaan"
            " baru dimulai atau periode laporan sudah berakhir."
        )
    if record.capped:
        lines.append(f"Yang dihitung: {text.number(len(record.posts))} unggahan terbaru.")
    if len(record.posts) > SHOWN_POSTS:
        lines.append(
            f"Di sini {text.number(SHOWN_POSTS)} unggahan terbaru; selebihnya ada di file CSV"
            " konten_unggahan."
        )
    return tuple(lines)


def _posted_table(record: ContentRecord, zone: dt.tzinfo) -> ShownTable:
    rows = tuple(
        (
            _when(post.published_at, zone),
            post.title,
            *(_maybe(n) for n in (post.reach, post.saves, post.shares, post.comments)),
            _comment_questions(post),
            post.permalink or "-",
        )
        for post in record.posts[:SHOWN_POSTS]
    )
    return ShownTable(
        POSTED_HEADER,
        rows,
        frozenset({2, 3, 4, 5, 6}),
        nowrap=frozenset({0}),
        caption="Yang sudah diunggah",
        notes=(POSTED_NOTE,),
        links=frozenset({7}),
    )


def _change_table(record: ContentRecord, zone: dt.tzinfo) -> ShownTable:
    rows = tuple(
        (
            post.title,
            _when(post.published_at, zone),
            window_label(post.before),
            window_label(post.after),
            *(change(post, field) for field in FIELDS),
        )
        for post in record.posts[:SHOWN_POSTS]
    )
    return ShownTable(
        CHANGE_HEADER,
        rows,
        frozenset({4, 5, 6}),
        nowrap=frozenset({1}),
        caption="Sebelum → sesudah unggahan, per minggu",
        notes=_change_notes(record.weeks),
    )


def _plan_table(
    plan: tuple[Idea, ...], record: ContentRecord | None, zone: dt.tzinfo
) -> ShownTable:
    header: tuple[str, ...] = ("No", "Topik", "Pertanyaan", "Alasan")
    rows = [
        (str(rank), idea.topic, text.number(idea.questions), idea.reason)
        for rank, idea in enumerate(plan, start=1)
    ]
    if record is None:
        return ShownTable(header, tuple(rows), frozenset({0, 2}))
    # Next to each idea, when its topic was last posted: a topic posted last week can wait.
    latest = latest_by_entry(record)
    last = [_last_posted(idea, latest, zone) for idea in plan]
    extended = tuple((*row, when) for row, when in zip(rows, last, strict=True))
    header += ("Terakhir diunggah",)
    caption = "Rencana berikutnya"
    return ShownTable(header, extended, frozenset({0, 2}), caption=caption, notes=(PLAN_NOTE,))


def _last_posted(idea: Idea, latest: Mapping[str, dt.datetime], zone: dt.tzinfo) -> str:
    if idea.faq_id is None:
        return "-"
    at = latest.get(idea.faq_id)
    return "belum pernah" if at is None else text.day(at.astimezone(zone).date())


def window_label(window: Window) -> str:
    """ "14 hari", "1,6 hari (dipotong)", "kurang dari sehari", "tidak ada data"."""
    if window.days < MIN_DAYS:  # too short for a rate (see `Window.per_week`)
        return "kurang dari sehari" if window.days > 0 else "tidak ada data"
    return _days(window) + (" (dipotong)" if window.clipped else "")


def _days(window: Window) -> str:
    return text.rate(window.days).removesuffix(",0") + " hari"


def change(post: PostRecord, field: str) -> str:
    """ "3,5 → 7,0 (7 → 5)": per week before and after, the counts in brackets."""
    if post.before.days == 0 and post.after.days == 0:
        return "-"  # no data either side
    sides = (post.before, post.counts_before), (post.after, post.counts_after)
    rates, counts = [], []
    for window, found in sides:
        count: int = getattr(found, field)
        rates.append(text.rate(window.per_week(count)))
        # A window without data has no count either: a 0 there would read as "none asked".
        counts.append(text.number(count) if window.days > 0 else "-")
    return f"{rates[0]} → {rates[1]} ({counts[0]} → {counts[1]})"


def _comment_questions(post: PostRecord) -> str:
    if post.asked is None:
        return "-"
    unclear = f" ({text.number(post.asked.unclear)} belum jelas)" if post.asked.unclear else ""
    return text.number(post.asked.questions) + unclear


def _maybe(value: int | None) -> str:
    return "-" if value is None else text.number(value)


def _when(moment: dt.datetime, zone: dt.tzinfo) -> str:
    local = moment.astimezone(zone)
    return f"{text.short_day(local.date(), year=True)} {local:%H.%M}"


def record_line(record: ContentRecord | None, zone: dt.tzinfo) -> str | None:
    """The newest post and its topic before → after, in one line (the weekly digest's);
    None without posts."""
    if record is None or not record.posts:
        return None
    post = record.posts[0]
    reach = f", jangkauan {text.number(post.reach)}" if post.reach is not None else ""
    short = f" (sesudahnya baru {_days(post.after)})" if post.after.clipped else ""
    figures = ", ".join(
        f"{name} {change(post, field)}"
        for name, field in (("dijawab", "answered"), ("belum terjawab", "unanswered"))
    )
    day = text.short_day(post.published_at.astimezone(zone).date())
    return (
        f"Unggahan terakhir: {post.title} ({day}){reach}. Pertanyaan topik ini per minggu,"
        f" sebelum → sesudah: {figures}{short}."
    )
