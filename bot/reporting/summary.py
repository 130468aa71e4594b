"""The short report for chat (/laporan and the weekly digest): a few lines of plain text.

With a channel with posts (Instagram) it also names the posts whose comments asked the most,
with their topics: /laporan the first few, the digest the first one, in one line.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Collection, Mapping

from bot.reporting import text
from bot.reporting.collect import FullReportSource, collect
from bot.reporting.content_section import record_line
from bot.reporting.figures import OfficeReport
from bot.reporting.offices import ReportScope, comparison_lines
from bot.reporting.period import last_days
from bot.reporting.posts import SHOWN_TOPICS, topic_list
from bot.reporting.vocabulary import PostFigures, PostQuestions, PostSource, RecordSources
from bot.reporting.voices import voice_lines

TOP = 3
FULL_REPORT_HINT = "Laporan lengkap dengan grafik dan tabel: python -m bot report"


async def recent_report(
    source: FullReportSource,
    *,
    days: int,
    now: dt.datetime,
    zone: dt.tzinfo,
    remind_after: dt.timedelta,
    titles: Mapping[str, str],
    small_talk: Collection[str] = frozenset(),
    posts: PostSource | None = None,
    record: RecordSources | None = None,
    scope: ReportScope | None = None,
) -> OfficeReport:
    """The report of the last `days` local days, today included; `posts` (the channel with
    posts, when one runs) adds its per-post figures, `record` the published posts."""
    return await collect(
        source,
        last_days(days, now=now, zone=zone),
        titles=titles,
        small_talk=small_talk,
        now=now,
        remind_after=remind_after,
        posts=posts,
        record=record,
        scope=scope,
    )


def summary_text(report: OfficeReport, heading: str, *, posts_shown: int = TOP) -> str:
    """Headline figures, the posts that raised the most questions (at most `posts_shown`,
    when the report has a channel with posts), the answers to rewrite, the biggest
    unanswered groups, post ideas and the newest published post (with the content record)."""
    first, last = report.period.first_day, report.period.last_day
    office = f" — {report.office_name}" if report.office_name else ""
    lines = [f"📊 {heading}{office} ({text.day(first)} – {text.day(last)})", ""]
    lines += _figures(report) + comparison_lines(report.offices)
    lines += _post_lines(report, posts_shown)
    rewrite = [e for e in report.entries if e.needs_rewrite][:TOP]
    if rewrite:
        lines += ["", "Perlu ditulis ulang:"]
        lines += [
            f"• {e.title}: {text.percent(e.unhelpful_share)} 👎"
            f" dari {text.number(e.votes)} penilaian"
            for e in rewrite
        ]
    if report.clusters:
        lines += ["", "Belum terjawab terbanyak:"]
        lines += [
            f"• {text.quote(c.example, 80)} ({text.number(c.size)}×)"
            for c in report.clusters[:TOP]
        ]
    if report.voices is not None and (voices := voice_lines(report.voices)):
        lines += ["", *voices]
    if report.plan:
        lines += ["", "Ide konten:"]
        lines += [f"• {idea.topic}: {idea.reason}" for idea in report.plan[:TOP]]
    if latest := record_line(report.record, report.period.zone):
        lines += ["", latest]
    lines += ["", FULL_REPORT_HINT]
    return "\n".join(lines)


def _figures(report: OfficeReport) -> list[str]:
    answered, clarified, fallback, officers = report.totals()
    total, tickets = report.questions, report.tickets
    up = sum(e.helpful for e in report.entries)
    down = sum(e.unhelpful for e in report.entries)
    return [
        f"Pertanyaan: {text.number(total)}",
        f"• terjawab: {text.share_of(answered, total)}",
        f"• perlu pilihan: {text.share_of(clarified, total)}",
        f"• tidak dikenali: {text.share_of(fallback, total)}",
        f"• ke petugas: {text.share_of(officers, total)}",
        f"Penilaian: 👍 {text.number(up)} · 👎 {text.number(down)}",
        f"Tiket: {text.number(tickets.opened)} dibuka, {text.number(tickets.answered)} dijawab;"
        f" median balasan {text.minutes(tickets.median_minutes)},"
        f" 90% dalam {text.minutes(tickets.p90_minutes)}",
        f"Tiket lewat batas pengingat sebelum diambil: {text.number(tickets.claimed_late)}",
        *_channels(report),
    ]


def _channels(report: OfficeReport) -> list[str]:
    """Questions per channel, busiest first; a channel with posts adds its reply times."""
    per: Counter[str] = Counter()
    for row in report.days:
        per[row.channel] += row.questions
    busiest = sorted(per.items(), key=lambda item: (-item[1], item[0]))
    lines = []
    if busiest:
        shown = " · ".join(f"{text.channel(name)} {text.number(n)}" for name, n in busiest)
        lines.append(f"Per saluran: {shown}")
    if (posts := report.posts) is not None:
        lines.append(
            f"{posts.channel}: median balasan pertama di komentar"
            f" {text.minutes(posts.median_comment_reply)}, di DM"
            f" {text.minutes(posts.median_dm_reply)}"
        )
    return lines


def _post_lines(report: OfficeReport, shown: int) -> list[str]:
    """After a blank line, the posts that asked most; nothing without a channel with posts."""
    if report.posts is None:
        return []
    return ["", *_posts(report.posts, report.topic_titles, shown)]


def _posts(figures: PostFigures, titles: Mapping[str, str], shown: int) -> list[str]:
    """The posts whose comments asked the most, busiest first; one line when one is shown."""
    label = figures.channel
    asked = [post for post in figures.posts if post.questions][:shown]
    if not asked:
        return [f"Unggahan {label}: belum ada pertanyaan di komentar."]
    heading = f"Unggahan {label} dengan pertanyaan terbanyak"
    if len(asked) == 1:
        return [f"{heading}: {_post(asked[0], titles)}"]
    return [f"{heading}:", *(f"• {_post(post, titles)}" for post in asked)]


def _post(post: PostQuestions, titles: Mapping[str, str]) -> str:
    """ "17900…: 3 pertanyaan (1 belum jelas) — Biaya paspor (2), Paspor anak (1)"."""
    line = f"{post.post}: {text.number(post.questions)} pertanyaan"
    if post.unclear:
        line += f" ({text.number(post.unclear)} belum jelas)"
    if post.topics:
        line += f" — {topic_list(post.topics, titles, limit=SHOWN_TOPICS)}"
    return line
