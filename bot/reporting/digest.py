"""The weekly digest: the last 7 days' summary, sent to the admin chat at `DIGEST_AT`.

Every worker's background round asks whether it is due; the round is claimed in the database
(`schedules`, one conditional UPDATE), so with several workers exactly one sends it. A missed
time (all workers were down) is sent once at the next round, not once per missed week.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Protocol

from bot.config import Settings
from bot.errors import ConfigError
from bot.hours import DAYS
from bot.reporting.collect import FullReportSource
from bot.reporting.summary import recent_report, summary_text
from knowledge.entries import KnowledgeBase
from knowledge.policy import CHAT

logger = logging.getLogger(__name__)

SCHEDULE = "weekly_digest"
DAYS_COVERED = 7
# After a failed send (Telegram down, chat gone) the digest is tried again this much later,
# not at the next minute's round: a lasting failure then logs 4 errors an hour, not 60.
RETRY_AFTER = dt.timedelta(minutes=15)
HEADING = "Ringkasan mingguan Tanya Paspor"
CHART_HINT = "Grafik 7 hari terakhir: ketik /laporan"
_SPEC = re.compile(r"^([a-z]{3})[a-z]*\s+(\d{1,2})[:.](\d{2})$")

Tell = Callable[[str], Awaitable[None]]


class Lease(Protocol):
    """The schedule lease; `bot.storage.schedule_lease.ScheduleLease` is the real one."""

    async def claim(
        self, name: str, *, now: dt.datetime, next_run: dt.datetime, first_run: dt.datetime
    ) -> bool: ...

    async def retry_at(self, name: str, *, booked: dt.datetime, at: dt.datetime) -> bool: ...


class DigestSource(FullReportSource, Protocol):
    """The report queries plus the lease; `ReportQueries` is both."""

    @property
    def schedules(self) -> Lease: ...


@dataclass(frozen=True, slots=True)
class WeeklyTime:
    """A day of the week (0 = Monday) and a local time."""

    weekday: int
    at: dt.time

    @classmethod
    def parse(cls, spec: str) -> WeeklyTime:
        """Read "mon 08:00" (English day name, 24-hour clock)."""
        found = _SPEC.match(" ".join(spec.casefold().split()))
        if found is None or found.group(1) not in DAYS:
            raise ConfigError(f"DIGEST_AT must look like 'mon 08:00', got {spec!r}")
        hour, minute = int(found.group(2)), int(found.group(3))
        if hour > 23 or minute > 59:
            raise ConfigError(f"DIGEST_AT has no such time: {spec!r}")
        return cls(DAYS.index(found.group(1)), dt.time(hour, minute))

    def next_after(self, moment: dt.datetime, zone: dt.tzinfo) -> dt.datetime:
        """The first such local time strictly after `moment`, in UTC."""
        local = moment.astimezone(zone)
        ahead = (self.weekday - local.weekday()) % 7
        for weeks in (0, 1):
            day = local.date() + dt.timedelta(days=ahead + 7 * weeks)
            candidate = dt.datetime.combine(day, self.at, tzinfo=zone).astimezone(dt.UTC)
            if candidate > moment:
                return candidate
        raise AssertionError("unreachable: a week later is always after `moment`")


async def send_if_due(
    source: DigestSource,
    tell: Tell | None,
    settings: Settings,
    kb: KnowledgeBase,
    *,
    now: dt.datetime | None = None,
) -> bool:
    """Send the digest through `tell` if its time has come and no other worker took it.

    Without `tell` (no admin chat runs in this process) nothing is claimed, so a worker
    that can send it does. A failed send books a retry and re-raises.
    """
    if tell is None:
        return False
    now = now or dt.datetime.now(dt.UTC)
    zone = settings.office_hours.zone
    upcoming = WeeklyTime.parse(settings.digest_at).next_after(now, zone)
    schedules = source.schedules
    if not await schedules.claim(SCHEDULE, now=now, next_run=upcoming, first_run=upcoming):
        return False
    try:
        report = await recent_report(
            source,
            days=DAYS_COVERED,
            now=now,
            zone=zone,
            remind_after=dt.timedelta(minutes=settings.remind_after_minutes),
            titles={entry.id: entry.title for entry in kb.entries},
            small_talk={entry.id for entry in kb.entries if entry.category == CHAT},
        )
        await tell(f"{summary_text(report, HEADING)}\n{CHART_HINT}")
    except Exception:
        await schedules.retry_at(SCHEDULE, booked=upcoming, at=now + RETRY_AFTER)
        raise
    logger.info("weekly digest sent; next one at %s", upcoming.isoformat())
    return True
