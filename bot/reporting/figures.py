"""The report as data: what every section shows, computed from the queries' results.

Pure: no database, no files, no plotting. `collect` fills it; the renderers only format it.
"""

from __future__ import annotations

import datetime as dt
import math
import statistics
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from bot.reporting.applicants import ApplicantMonth
from bot.reporting.clusters import Cluster
from bot.reporting.offices import OfficeRow
from bot.reporting.period import Period
from bot.reporting.record import ContentRecord
from bot.reporting.vocabulary import BucketCount, EntryCount, PostFigures, TicketTimes
from bot.reporting.voices import VoiceFigures

# Below this many votes a share of 👎 says little (one 👎 of one would be 100%).
MIN_VOTES = 3
REWRITE_SHARE = 0.3


@dataclass(frozen=True, slots=True)
class Day:
    """One channel's applicant messages on one local day, by outcome."""

    day: dt.date
    channel: str
    answered: int = 0
    clarified: int = 0
    fallback: int = 0
    to_officers: int = 0  # handed to the officers (added to a ticket, or asking for a person)

    @property
    def questions(self) -> int:
        """Every applicant message: all four outcomes together."""
        return self.answered + self.clarified + self.fallback + self.to_officers


@dataclass(frozen=True, slots=True)
class EntryFigures:
    """One entry: answers given, the feedback on them, and unanswered questions near it."""

    faq_id: str
    title: str
    asked: int
    helpful: int
    unhelpful: int
    clarified: int = 0  # clarifications where this entry was ranked first
    fallback: int = 0  # fallbacks where this entry was ranked first
    details: int = 0  # 📖 Selengkapnya taps under its short answer

    @property
    def details_share(self) -> float | None:
        """Taps on 📖 Selengkapnya per answer given; None when it was never given. Near 1,
        the short answer misses what people need."""
        return self.details / self.asked if self.asked else None

    @property
    def votes(self) -> int:
        """👍 and 👎 together."""
        return self.helpful + self.unhelpful

    @property
    def unhelpful_share(self) -> float | None:
        """The share of 👎 among the votes; None below `MIN_VOTES`."""
        return self.unhelpful / self.votes if self.votes >= MIN_VOTES else None

    @property
    def needs_rewrite(self) -> bool:
        """Enough votes, and too many of them 👎."""
        share = self.unhelpful_share
        return share is not None and share >= REWRITE_SHARE

    @property
    def questions(self) -> int:
        """Every question about this topic: answered, or unanswered with it ranked first."""
        return self.asked + self.clarified + self.fallback


@dataclass(frozen=True, slots=True)
class Officer:
    """One officer's first replies to tickets opened in the period."""

    name: str
    answered: int
    median_minutes: float


@dataclass(frozen=True, slots=True)
class Tickets:
    """Tickets opened in the period and how fast officers took and answered them."""

    opened: int
    answered: int
    median_minutes: float | None
    p90_minutes: float | None
    claimed_late: int  # taken (or still not taken) later than the reminder time
    still_open_unclaimed: int
    officers: tuple[Officer, ...]


@dataclass(frozen=True, slots=True)
class Idea:
    """A candidate topic for the next social-media post, with why it was picked."""

    topic: str
    questions: int
    reason: str
    faq_id: str | None = None  # the entry it is about; None for questions no entry answers


@dataclass(frozen=True, slots=True)
class ApplicantRow:
    """A month of the office's applicant counts next to the bot's questions that month."""

    month: ApplicantMonth
    questions: int


@dataclass(frozen=True, slots=True)
class OfficeReport:
    """Everything one report shows."""

    period: Period
    generated_at: dt.datetime
    days: tuple[Day, ...]
    entries: tuple[EntryFigures, ...]  # worst first, see `worst_first`
    clusters: tuple[Cluster, ...]
    unanswered_total: int
    unanswered_capped: bool  # only the newest questions were grouped
    tickets: Tickets
    plan: tuple[Idea, ...]
    applicants: tuple[ApplicantRow, ...] | None = None
    remind_after_minutes: float = 30.0
    posts: PostFigures | None = None  # only when a channel with posts (Instagram) is run
    topic_titles: Mapping[str, str] = field(default_factory=dict)  # entry titles, for posts
    voices: VoiceFigures | None = None  # complaints and suggestions ("Suara pemohon")
    record: ContentRecord | None = None  # the published posts, when the root hands them in
    office_id: str | None = None  # the one office reported on; None: every office combined
    office_name: str | None = None
    offices: tuple[OfficeRow, ...] = ()  # the comparison, in a combined report of 2+ offices

    @property
    def questions(self) -> int:
        """All applicant messages of the period."""
        return sum(day.questions for day in self.days)

    def totals(self) -> tuple[int, int, int, int]:
        """(answered, clarified, fallback, to the officers) over the whole period."""
        return (
            sum(d.answered for d in self.days),
            sum(d.clarified for d in self.days),
            sum(d.fallback for d in self.days),
            sum(d.to_officers for d in self.days),
        )

    def per_day(self) -> list[Day]:
        """Every day of the period with all channels added up (days without questions too)."""
        merged = {day: Day(day, "semua") for day in self.period.days()}
        for row in self.days:
            old = merged[row.day]
            merged[row.day] = Day(
                row.day,
                "semua",
                old.answered + row.answered,
                old.clarified + row.clarified,
                old.fallback + row.fallback,
                old.to_officers + row.to_officers,
            )
        return list(merged.values())


def days_from(counts: Iterable[BucketCount], days: Sequence[dt.date]) -> tuple[Day, ...]:
    """Bucket counts (bucket i = days[i]) as one row per day and channel, in order."""
    cells: dict[tuple[int, str], dict[str, int]] = defaultdict(dict)
    for count in counts:
        cells[(count.bucket, count.channel)][count.action] = count.count
    return tuple(
        Day(
            days[bucket],
            channel,
            actions.get("answer", 0),
            actions.get("clarify", 0),
            actions.get("fallback", 0),
            actions.get("to_officer", 0),
        )
        for (bucket, channel), actions in sorted(cells.items())
    )


def entries_from(
    counts: Iterable[EntryCount],
    near: Mapping[str, tuple[int, int]],
    titles: Mapping[str, str],
) -> tuple[EntryFigures, ...]:
    """Every entry that was answered or ranked first, worst first."""
    answered = {count.faq_id: count for count in counts}
    entries = []
    for faq_id in answered.keys() | near.keys():
        count = answered.get(faq_id)
        clarified, fallback = near.get(faq_id, (0, 0))
        asked, up, down = (count.asked, count.helpful, count.unhelpful) if count else (0, 0, 0)
        title = titles.get(faq_id, faq_id)
        details = count.details if count else 0
        entries.append(EntryFigures(faq_id, title, asked, up, down, clarified, fallback, details))
    return tuple(worst_first(entries))


def worst_first(entries: Iterable[EntryFigures]) -> list[EntryFigures]:
    """Highest share of 👎 first (entries with too few votes after), then most asked."""
    return sorted(
        entries, key=lambda e: (-(e.unhelpful_share or -1.0), -e.unhelpful, -e.asked, e.faq_id)
    )


def percentile(values: Sequence[float], share: float) -> float | None:
    """Linear-interpolated percentile (as numpy's default); None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = share * (len(ordered) - 1)
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def tickets_from(
    rows: Sequence[TicketTimes], *, now: dt.datetime, remind_after: dt.timedelta
) -> Tickets:
    """Reply times, late claims and per-officer figures of the tickets opened in a period."""
    minutes = [_minutes(r.created_at, r.first_reply_at) for r in rows if r.first_reply_at]
    # Waiting for an owner ends with the claim, else with closing, else it still goes on.
    late = sum(
        1 for r in rows if (r.claimed_at or r.closed_at or now) - r.created_at > remind_after
    )
    by_officer: dict[str, list[float]] = defaultdict(list)
    for row in rows:
        if row.first_reply_at is not None:
            by_officer[row.officer or "?"].append(_minutes(row.created_at, row.first_reply_at))
    officers = sorted(
        (
            Officer(name, len(times), statistics.median(times))
            for name, times in by_officer.items()
        ),
        key=lambda o: (-o.answered, o.median_minutes, o.name),
    )
    return Tickets(
        opened=len(rows),
        answered=len(minutes),
        median_minutes=percentile(minutes, 0.5),
        p90_minutes=percentile(minutes, 0.9),
        claimed_late=late,
        still_open_unclaimed=sum(1 for r in rows if r.claimed_at is None and r.closed_at is None),
        officers=tuple(officers),
    )


def _minutes(start: dt.datetime, end: dt.datetime | None) -> float:
    assert end is not None
    return (end - start).total_seconds() / 60
