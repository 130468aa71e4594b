"""Suara pemohon's filters and counts (pure): what the admin picked (the last 7 / 30 / 90 days,
a topic, a week, handled or not) as read from the query string or a form, and the counts per
topic and per week from the storage's tally. Weeks are the report's: Monday to Sunday, cut
at the period's ends (`bot.reporting.voices.weeks_of`)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from bot.console.vocabulary import VoiceFilter, VoiceTally
from bot.reporting.period import Period, last_days, midnight
from bot.reporting.voices import Week, weeks_of
from knowledge.complaints import COMPLAINT

PERIODS = (7, 30, 90)
DEFAULT_DAYS = 30
# "belum": not handled yet, "sudah": handled; anything else shows both.
STATUSES = {"belum": False, "sudah": True}
# A topic or an office is a short key ("antrean", "kotabumi"); anything else in the URL is
# ignored, not searched for.
_TOPIC = re.compile(r"[a-z0-9_-]{1,32}")


@dataclass(frozen=True, slots=True)
class Choice:
    """The admin's filters over `period` (its `weeks`): `week` indexes them (None: all),
    `topic`, `status` and `office` (the office filter of an account of every office, kept
    in every link) are "" for all."""

    days: int
    period: Period
    weeks: tuple[Week, ...]
    topic: str = ""
    week: int | None = None
    status: str = ""
    office: str = ""

    def but(self, **changes: Any) -> Choice:
        """This choice with `changes` (e.g. `topic=""`: every topic)."""
        return dataclasses.replace(self, **changes)

    def query(self) -> str:
        """The choice as a query string ("hari=30&topik=antrean"), without what is "all"."""
        pairs = [
            ("hari", str(self.days)),
            ("topik", self.topic),
            ("minggu", self.week_first()),
            ("status", self.status),
            ("kantor", self.office),
        ]
        return urlencode([(key, value) for key, value in pairs if value])

    def week_first(self) -> str:
        """The chosen week's first day in the period ("2026-11-02"), "" without one."""
        return self.weeks[self.week].first.isoformat() if self.week is not None else ""

    def voice_filter(self) -> VoiceFilter:
        """The messages the choice lets through, for the storage."""
        since, until = self.period.since, self.period.until
        if self.week is not None:
            week, zone = self.weeks[self.week], self.period.zone
            since = midnight(week.first, zone)
            until = midnight(week.last + dt.timedelta(days=1), zone)
        return VoiceFilter(since, until, self.topic or None, STATUSES.get(self.status))

    def lets_through(self, tally: VoiceTally) -> bool:
        """Whether a tally row is counted among the listed messages."""
        return (
            self.week in (None, tally.bucket)
            and self.topic in ("", tally.topic)
            and STATUSES.get(self.status, tally.handled) == tally.handled
        )


def choose(params: Mapping[str, str], *, now: dt.datetime, zone: dt.tzinfo) -> Choice:
    """The choice in a query string or form; what is not understood is left out."""
    raw = params.get("hari", "")
    days = int(raw) if raw.isdigit() and int(raw) in PERIODS else DEFAULT_DAYS
    period = last_days(days, now=now, zone=zone)
    weeks = tuple(weeks_of(period))
    firsts = [w.first.isoformat() for w in weeks]
    picked = params.get("minggu", "")
    topic = params.get("topik", "")
    return Choice(
        days,
        period,
        weeks,
        topic=topic if _TOPIC.fullmatch(topic) else "",
        week=firsts.index(picked) if picked in firsts else None,
        status=params.get("status", "") if params.get("status") in STATUSES else "",
        office=office if _TOPIC.fullmatch(office := params.get("kantor", "")) else "",
    )


@dataclass(frozen=True, slots=True)
class Count:
    """Complaints and suggestions, and how many of them are not handled yet."""

    complaints: int = 0
    suggestions: int = 0
    open: int = 0

    def plus(self, tally: VoiceTally) -> Count:
        """This count with a tally row added."""
        complaint = tally.kind == COMPLAINT
        return Count(
            self.complaints + (tally.count if complaint else 0),
            self.suggestions + (0 if complaint else tally.count),
            self.open + (0 if tally.handled else tally.count),
        )

    def __add__(self, other: Count) -> Count:
        return Count(
            self.complaints + other.complaints,
            self.suggestions + other.suggestions,
            self.open + other.open,
        )

    @property
    def total(self) -> int:
        return self.complaints + self.suggestions


def total(tallies: Iterable[VoiceTally]) -> Count:
    """All the rows added up."""
    found = Count()
    for tally in tallies:
        found = found.plus(tally)
    return found


def by_topic(tallies: Sequence[VoiceTally], choice: Choice) -> dict[str, Count]:
    """Each topic's count in the chosen week (all weeks without one), most heard first."""
    counts: dict[str, Count] = {}
    for tally in tallies:
        if choice.week in (None, tally.bucket):
            counts[tally.topic] = counts.get(tally.topic, Count()).plus(tally)
    # As the report ranks its topics (`voice_figures`).
    order = sorted(counts, key=lambda t: (-counts[t].total, -counts[t].complaints, t))
    return {topic: counts[topic] for topic in order}


def by_week(tallies: Sequence[VoiceTally], choice: Choice) -> list[Count]:
    """Each week's count of the chosen topic (all topics without one), weeks in order."""
    counts = [Count() for _ in choice.weeks]
    for tally in tallies:
        if choice.topic in ("", tally.topic):
            counts[tally.bucket] = counts[tally.bucket].plus(tally)
    return counts
