"""Gather a report's figures from the queries (the only async part of the report)."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from typing import Protocol

from bot.reporting.applicants import ApplicantMonth
from bot.reporting.clusters import Cluster, cluster
from bot.reporting.figures import (
    ApplicantRow,
    EntryFigures,
    OfficeReport,
    days_from,
    entries_from,
    tickets_from,
)
from bot.reporting.offices import ReportScope, compare
from bot.reporting.period import Period, month_bounds
from bot.reporting.plan import content_plan
from bot.reporting.record import ContentRecord, content_record
from bot.reporting.vocabulary import (
    BucketCount,
    PostSource,
    RecordSources,
    ReportSource,
    TicketTimes,
    VoiceCount,
    VoiceExample,
)
from bot.reporting.voices import EXAMPLE_ROWS, VoiceFigures, voice_figures, week_bounds, weeks_of

# Every answered entry fits (a knowledge base has tens to hundreds of entries).
ENTRY_LIMIT = 10_000
# A month of 100,000 questions has some 20,000 unanswered; grouping this many stays within
# seconds, and beyond it the newest are a fair sample.
MAX_UNANSWERED = 40_000


class FullReportSource(ReportSource, Protocol):
    """The queries a full report reads; `ReportQueries` is the real one."""

    async def counts_by_bucket(self, bounds: Sequence[dt.datetime]) -> list[BucketCount]: ...

    async def unanswered_by_entry(
        self, *, since: dt.datetime, until: dt.datetime
    ) -> dict[str, tuple[int, int]]: ...

    async def ticket_times(
        self, *, since: dt.datetime, until: dt.datetime
    ) -> list[TicketTimes]: ...

    async def voice_counts(self, bounds: Sequence[dt.datetime]) -> list[VoiceCount]: ...

    async def voice_examples(
        self, *, since: dt.datetime, until: dt.datetime, limit: int
    ) -> list[VoiceExample]: ...


async def collect(
    source: FullReportSource,
    period: Period,
    *,
    titles: Mapping[str, str],
    small_talk: Collection[str] = frozenset(),
    now: dt.datetime,
    remind_after: dt.timedelta,
    applicants: Sequence[ApplicantMonth] | None = None,
    posts: PostSource | None = None,
    record: RecordSources | None = None,
    scope: ReportScope | None = None,
) -> OfficeReport:
    """Read every figure of `period` and put the report together; `small_talk` entries
    (greetings, thanks) are left out of the content plan; `posts` adds the per-post section,
    `record` the published posts and what changed around them (the content record); `scope`
    names the office `source` is kept to, or adds the comparison between offices."""
    scope = scope or ReportScope()
    days = days_from(await source.counts_by_bucket(period.day_bounds()), period.days())
    entries = await _entries(source, period, titles)
    clusters, unanswered = await _clusters(source, period)
    times = await source.ticket_times(since=period.since, until=period.until)
    return OfficeReport(
        period=period,
        generated_at=now,
        days=days,
        entries=entries,
        clusters=clusters,
        unanswered_total=unanswered,
        unanswered_capped=unanswered == MAX_UNANSWERED,
        tickets=tickets_from(times, now=now, remind_after=remind_after),
        plan=content_plan(entries, clusters, skip=small_talk),
        applicants=await _applicants(source, applicants, period.zone) if applicants else None,
        remind_after_minutes=remind_after.total_seconds() / 60,
        posts=await posts.post_figures(since=period.since, until=period.until) if posts else None,
        topic_titles=titles,
        voices=await voices_of(source, period),
        record=await _record(record, period, now, titles, posts) if record else None,
        office_id=scope.office,
        office_name=scope.name(scope.office) if scope.office else None,
        offices=await compare(scope, since=period.since, until=period.until),
    )


async def _record(
    sources: RecordSources,
    period: Period,
    now: dt.datetime,
    titles: Mapping[str, str],
    posts: PostSource | None,
) -> ContentRecord:
    """The posts published up to the period's end; nothing after it (or after now) counts."""
    until = min(period.until, now)
    return await content_record(sources, until=until, titles=titles, posts=posts)


async def _entries(
    source: FullReportSource, period: Period, titles: Mapping[str, str]
) -> tuple[EntryFigures, ...]:
    """Every entry answered or ranked first in the period (see `entries_from`)."""
    since, until = period.since, period.until
    answered = await source.top_entries(since=since, until=until, limit=ENTRY_LIMIT)
    near = await source.unanswered_by_entry(since=since, until=until)
    return entries_from(answered, near, titles)


async def voices_of(source: FullReportSource, period: Period) -> VoiceFigures:
    """Complaints and suggestions per topic and week, with the newest as examples."""
    weeks = weeks_of(period)
    counts = await source.voice_counts(week_bounds(weeks, period.zone))
    since, until = period.since, period.until
    examples = await source.voice_examples(since=since, until=until, limit=EXAMPLE_ROWS)
    return voice_figures(weeks, counts, examples)


async def _clusters(source: FullReportSource, period: Period) -> tuple[tuple[Cluster, ...], int]:
    """The unanswered questions grouped, and how many were read (at most MAX_UNANSWERED)."""
    rows = await source.unanswered(since=period.since, until=period.until, limit=MAX_UNANSWERED)
    # Grouping is CPU work: off the event loop, a running bot keeps answering meanwhile.
    return tuple(await asyncio.to_thread(cluster, rows)), len(rows)


async def _applicants(
    source: FullReportSource, months: Sequence[ApplicantMonth], zone: dt.tzinfo
) -> tuple[ApplicantRow, ...]:
    """Each month of the file next to the bot's questions in that local month."""
    bounds = month_bounds([m.month for m in months], zone)
    per_bucket: Counter[int] = Counter()
    for count in await source.counts_by_bucket(bounds):
        per_bucket[count.bucket] += count.count
    first = min(m.month for m in months)
    return tuple(
        ApplicantRow(m, per_bucket[(m.month.year - first.year) * 12 + m.month.month - first.month])
        for m in months
    )
