"""The weekly digest: the last 7 days' summary, sent to the admin chat at `DIGEST_AT`; with a
channel with posts (Instagram), one line names the post whose comments asked the most; with
published posts, one line gives the newest one's topic before and after it; with post ideas,
one line gives the command that makes the week's content kit.

Every worker's background round asks whether it is due; the round is claimed in the database
(`schedules`, one conditional UPDATE), so with several workers exactly one sends it. A missed
time (all workers were down) is sent once at the next round, not once per missed week.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Protocol

from bot.core.hours import WeeklyTime
from bot.reporting.command import OfficeReportSource, scope_of
from bot.reporting.settings import ReportSettings
from bot.reporting.summary import recent_report, summary_text
from bot.reporting.vocabulary import PostSource, RecordSources
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
# The week's posts are made from the same figures (`bot.content`); the digest only says how.
CONTENT_HINT = (
    "Konten Instagram minggu ini (gambar, caption, story): python -m bot content --week"
    " --out konten"
)
POSTS_SHOWN = 1  # the digest is a glance: the one post that raised the most questions

Tell = Callable[[str], Awaitable[None]]


class ScheduleClaims(Protocol):
    """The schedule lease; `bot.storage.schedule_lease.ScheduleLease` is the real one."""

    async def claim(
        self, name: str, *, now: dt.datetime, next_run: dt.datetime, first_run: dt.datetime
    ) -> bool: ...

    async def retry_at(self, name: str, *, booked: dt.datetime, at: dt.datetime) -> bool: ...


class DigestSource(OfficeReportSource, Protocol):
    """The report queries plus the lease; `ReportQueries` is both."""

    @property
    def schedules(self) -> ScheduleClaims: ...


async def send_digest_if_due(
    source: DigestSource,
    tell: Tell | None,
    settings: ReportSettings,
    kb: KnowledgeBase,
    *,
    now: dt.datetime | None = None,
    posts: PostSource | None = None,
    record: RecordSources | None = None,
) -> bool:
    """Send the digest through `tell` if its time has come and no other worker took it;
    `posts` is the channel with posts this process runs (Instagram), if any; `record` reads
    the office's published posts. It covers every office, with the comparison between them.

    Without `tell` (no admin chat runs in this process) nothing is claimed, so a worker
    that can send it does. A failed send books a retry and re-raises.
    """
    digest = Digest(source, settings, kb, now or dt.datetime.now(dt.UTC), posts, record)
    return await digest.send(tell, None)


async def send_office_digests_if_due(
    source: DigestSource,
    tells: Mapping[str, Tell],
    settings: ReportSettings,
    kb: KnowledgeBase,
    *,
    now: dt.datetime | None = None,
) -> list[str]:
    """Each office with office admins gets its own office's digest through its `tells`
    entry (each admin privately), claimed per office as the combined one is; returns the
    offices sent. A failed office books its retry and does not stop the others."""
    digest = Digest(source, settings, kb, now or dt.datetime.now(dt.UTC), None, None)
    sent = []
    for office, tell in sorted(tells.items()):
        try:
            if await digest.send(tell, office):
                sent.append(office)
        except Exception:
            logger.exception("the weekly digest of an office was not sent; retried later")
    return sent


@dataclass(frozen=True, slots=True)
class Digest:
    """One round's digest: what it reads, and when."""

    source: DigestSource
    settings: ReportSettings
    kb: KnowledgeBase
    now: dt.datetime
    posts: PostSource | None
    record: RecordSources | None

    async def send(self, tell: Tell | None, office: str | None) -> bool:
        """Claim `office`'s digest (None: the combined one) and send it through `tell`."""
        if tell is None:
            return False
        now, settings = self.now, self.settings
        upcoming = WeeklyTime.parse(settings.digest_at).next_after(now, settings.zone)
        name = SCHEDULE if office is None else f"{SCHEDULE}:{office}"
        schedules = self.source.schedules
        if not await schedules.claim(name, now=now, next_run=upcoming, first_run=upcoming):
            return False
        try:
            await tell(await self.text(office))
        except Exception:
            await schedules.retry_at(name, booked=upcoming, at=now + RETRY_AFTER)
            raise
        logger.info("weekly digest %s sent; next one at %s", name, upcoming.isoformat())
        return True

    async def text(self, office: str | None) -> str:
        """The summary of the `DAYS_COVERED` days before now, as the admins get it."""
        kb, source, settings = self.kb, self.source, self.settings
        report = await recent_report(
            source.for_office(office),
            days=DAYS_COVERED,
            now=self.now,
            zone=settings.zone,
            remind_after=settings.remind_after,
            titles={entry.id: entry.title for entry in kb.entries},
            small_talk={entry.id for entry in kb.entries if entry.category == CHAT},
            posts=self.posts,
            record=self.record,
            scope=scope_of(settings.offices, source, office),
        )
        postable = any(idea.faq_id for idea in report.plan)  # an entry to make a post from
        hints = (CONTENT_HINT, CHART_HINT) if postable else (CHART_HINT,)
        return "\n".join((summary_text(report, HEADING, posts_shown=POSTS_SHOWN), *hints))
