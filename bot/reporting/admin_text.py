"""The admins' reports: /statistik, /teratas and /belum_terjawab.

Pure: figures come in (from a `ReportSource`), plain Indonesian text goes out.
No SQL and no transport here, so the texts are tested without a database or Telegram.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Mapping, Sequence

from bot.reporting.clusters import EXAMPLE_CHARS, MAX_UNANSWERED, PERIOD_DAYS, Cluster, cluster
from bot.reporting.vocabulary import Activity, EntryCount, ReportSource


def render_statistics(today: Activity, week: Activity) -> str:
    """The /statistik text: today and the last 7 days side by side."""
    return "\n\n".join(
        ["Statistik Tanya Paspor", _period("Hari ini", today), _period("7 hari terakhir", week)]
    )


def _period(title: str, activity: Activity) -> str:
    total = activity.questions
    return "\n".join(
        [
            f"{title}:",
            f"Pertanyaan: {_number(total)}",
            f"- terjawab: {_share(activity.answered, total)}",
            f"- perlu pilihan: {_share(activity.clarified, total)}",
            f"- tidak dikenali: {_share(activity.fallback, total)}",
            f"- ke petugas: {_share(activity.to_officers, total)}",
            f"Umpan balik: 👍 {_number(activity.helpful)} · 👎 {_number(activity.unhelpful)}",
            f"Tiket: {_number(activity.tickets_opened)} dibuka,"
            f" {_number(activity.tickets_answered)} dijawab petugas",
            f"Median balasan pertama petugas: {_minutes(activity.median_first_reply)}",
        ]
    )


def render_top(
    entries: Sequence[EntryCount], titles: Mapping[str, str], *, days: int = PERIOD_DAYS
) -> str:
    """The /teratas text: the most answered entries with their feedback."""
    if not entries:
        return f"Belum ada pertanyaan yang terjawab dalam {days} hari terakhir."
    lines = [f"Entri yang paling sering dijawab ({days} hari terakhir):"]
    for rank, entry in enumerate(entries, start=1):
        title = titles.get(entry.faq_id)
        name = f"{title} ({entry.faq_id})" if title else entry.faq_id
        lines.append(
            f"{rank}. {name}: {_number(entry.asked)} kali · 📖 {_number(entry.details)}"
            f" · 👍 {_number(entry.helpful)} · 👎 {_number(entry.unhelpful)}"
        )
    return "\n".join(lines)


def render_unanswered(
    clusters: Sequence[Cluster], *, limit: int = 10, days: int = PERIOD_DAYS
) -> str:
    """The /belum_terjawab text: the biggest groups of unanswered questions."""
    if not clusters:
        return f"Tidak ada pertanyaan yang belum terjawab dalam {days} hari terakhir."
    total = sum(group.size for group in clusters)
    lines = [
        f"Pertanyaan belum terjawab ({days} hari terakhir): {_number(total)} pertanyaan"
        f" dalam {_number(len(clusters))} kelompok.",
        f"{min(limit, len(clusters))} kelompok terbesar:",
    ]
    for rank, group in enumerate(clusters[:limit], start=1):
        lines.append(f"\n{rank}. {_number(group.size)}× {_quote(group.example)}")
        others = group.examples[1:]
        if others:
            lines.append("   contoh lain: " + "; ".join(_quote(text) for text in others))
        if group.nearest:
            lines.append("   entri terdekat: " + ", ".join(group.nearest))
    return "\n".join(lines)


def _quote(text: str) -> str:
    short = text if len(text) <= EXAMPLE_CHARS else text[: EXAMPLE_CHARS - 1].rstrip() + "…"
    return f"“{short}”"


def _number(value: int) -> str:
    return f"{value:,}".replace(",", ".")  # Indonesian groups thousands with a dot


def _share(count: int, total: int) -> str:
    percent = f"{round(100 * count / total)}%" if total else "-"
    return f"{_number(count)} ({percent})"


def _minutes(value: float | None) -> str:
    if value is None:
        return "-"
    # Whole minutes are precise enough from 10 up; below that a decimal comma keeps 2,5.
    shown = f"{value:.0f}" if value >= 10 else f"{value:.1f}".replace(".", ",")
    return f"{shown} menit"


async def statistics_text(source: ReportSource, *, now: dt.datetime, zone: dt.tzinfo) -> str:
    """/statistik: today is since local midnight in `zone`, the week the last 7 days."""
    midnight = now.astimezone(zone).replace(hour=0, minute=0, second=0, microsecond=0)
    today = await source.activity(since=midnight, until=now)
    week = await source.activity(since=now - dt.timedelta(days=7), until=now)
    return render_statistics(today, week)


async def top_text(source: ReportSource, titles: Mapping[str, str], *, now: dt.datetime) -> str:
    """/teratas: the most answered entries of the last 30 days."""
    since = now - dt.timedelta(days=PERIOD_DAYS)
    return render_top(await source.top_entries(since=since, until=now), titles)


async def unanswered_text(source: ReportSource, *, now: dt.datetime) -> str:
    """/belum_terjawab: the biggest groups of unanswered questions of the last 30 days."""
    since = now - dt.timedelta(days=PERIOD_DAYS)
    rows = await source.unanswered(since=since, until=now, limit=MAX_UNANSWERED)
    # Clustering thousands of rows takes a moment of CPU; off the event loop it does not
    # stall the bot's other chats (rapidfuzz releases the GIL in cdist).
    clusters = await asyncio.to_thread(cluster, rows)
    text = render_unanswered(clusters)
    if len(rows) == MAX_UNANSWERED:
        text += f"\n\n(Hanya {_number(MAX_UNANSWERED)} pertanyaan terbaru yang dikelompokkan.)"
    return text
