"""The figures of the Ringkasan and Belum terjawab pages, read with the report's own queries
and grouping (`bot.reporting`): nothing here counts anything itself."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from bot.console.roles import UnansweredSource
from bot.reporting.charts import entries_chart, questions_chart
from bot.reporting.clusters import Cluster, cluster
from bot.reporting.collect import MAX_UNANSWERED, FullReportSource
from bot.reporting.figures import OfficeReport
from bot.reporting.period import last_days
from bot.reporting.summary import recent_report

PERIODS = (1, 7, 30)  # today, 7 days, 30 days
DAILY_ALT = "Grafik pertanyaan per hari menurut saluran dan hasil jawaban"
VOTES_ALT = "Grafik 👍 dan 👎 per entri yang paling sering ditanyakan"


@dataclass(frozen=True, slots=True)
class ChannelRow:
    """A channel's applicant messages in the period, by outcome."""

    channel: str
    answered: int
    clarified: int
    fallback: int
    to_officers: int

    @property
    def total(self) -> int:
        """All its messages."""
        return self.answered + self.clarified + self.fallback + self.to_officers


async def summary(
    source: FullReportSource,
    *,
    days: int,
    now: dt.datetime,
    zone: dt.tzinfo,
    remind_after: dt.timedelta,
    titles: Mapping[str, str],
) -> OfficeReport:
    """The report of the last `days` days, as `/laporan` reads it."""
    return await recent_report(
        source, days=days, now=now, zone=zone, remind_after=remind_after, titles=titles
    )


def by_channel(report: OfficeReport) -> list[ChannelRow]:
    """Each channel's totals over the period, busiest first."""
    rows: dict[str, list[int]] = {}
    for day in report.days:
        row = rows.setdefault(day.channel, [0, 0, 0, 0])
        for index, value in enumerate(
            (day.answered, day.clarified, day.fallback, day.to_officers)
        ):
            row[index] += value
    found = [ChannelRow(name, *values) for name, values in rows.items()]
    return sorted(found, key=lambda row: (-row.total, row.channel))


def charts(report: OfficeReport) -> list[tuple[str, bytes]]:
    """The report's daily and 👍/👎 charts for the period (alt text, PNG); none without
    questions. CPU work: call it off the event loop."""
    if not report.questions:
        return []
    found = [(DAILY_ALT, questions_chart(report))]
    votes = entries_chart(report)
    if votes is not None:
        found.append((VOTES_ALT, votes))
    return found


async def unanswered(
    source: UnansweredSource, *, days: int, now: dt.datetime, zone: dt.tzinfo
) -> list[Cluster]:
    """The unanswered questions of the last `days` days grouped, biggest group first."""
    period = last_days(days, now=now, zone=zone)
    rows = await source.unanswered(since=period.since, until=period.until, limit=MAX_UNANSWERED)
    return await asyncio.to_thread(cluster, rows)  # CPU work, off the event loop
