"""The content record as a CSV file (`konten_unggahan`): one row per published post, the
newest first, with the counts and the weekly rates before and after it, and the windows'
edges, so a spreadsheet can check every figure the page shows."""

from __future__ import annotations

import datetime as dt

from bot.reporting.content_section import FIELDS
from bot.reporting.record import ContentRecord, PostRecord
from bot.reporting.text import decimal

RECORD_HEADER = (
    "diunggah",
    "entri_id",
    "judul",
    "media_id",
    "tautan",
    "jangkauan",
    "disimpan",
    "dibagikan",
    "komentar",
    "pertanyaan_komentar",
    "belum_jelas_komentar",
    "minggu_dibandingkan",
    "sebelum_mulai",
    "sebelum_hari",
    "sesudah_akhir",
    "sesudah_hari",
    *(
        f"{name}_{side}"
        for name in ("dijawab", "belum_terjawab", "jempol_bawah")
        for side in ("sebelum", "sesudah", "per_minggu_sebelum", "per_minggu_sesudah")
    ),
)


def record_rows(record: ContentRecord, zone: dt.tzinfo) -> tuple[tuple[str, ...], ...]:
    """Every post of the record as the CSV file has it (the newest first); empty cells where
    a figure is unknown (insights not read, no channel logging comments, no data)."""
    return tuple(_record_row(post, record.weeks, zone) for post in record.posts)


def _record_row(post: PostRecord, weeks: int, zone: dt.tzinfo) -> tuple[str, ...]:
    def iso(moment: dt.datetime) -> str:
        return moment.astimezone(zone).isoformat(timespec="minutes")

    asked = (None, None) if post.asked is None else (post.asked.questions, post.asked.unclear)
    return (
        iso(post.published_at),
        post.entry_id,
        post.title,
        post.media_id or "",
        post.permalink or "",
        *(_cell(value) for value in (post.reach, post.saves, post.shares, post.comments)),
        *(_cell(value) for value in asked),
        str(weeks),
        iso(post.before.start),
        decimal(post.before.days),
        iso(post.after.end),
        decimal(post.after.days),
        *(cell for field in FIELDS for cell in _counts(post, field)),
    )


def _counts(post: PostRecord, field: str) -> tuple[str, str, str, str]:
    before: int = getattr(post.counts_before, field)
    after: int = getattr(post.counts_after, field)
    return (
        str(before),
        str(after),
        decimal(post.before.per_week(before), 2),
        decimal(post.after.per_week(after), 2),
    )


def _cell(value: int | None) -> str:
    return "" if value is None else str(value)
