"""Office hours, for when reminders may be sent to officers."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from bot.core.errors import ConfigError

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_WEEKLY = re.compile(r"^([a-z]{3})[a-z]*\s+(\d{1,2})[:.](\d{2})$")
_SPEC = re.compile(r"^([a-z]{3})(?:-([a-z]{3}))?\s+(\d{1,2}):(\d{2})-(\d{1,2}):(\d{2})$")


@dataclass(frozen=True, slots=True)
class OfficeHours:
    """Working days and hours in one time zone, e.g. "mon-fri 08:00-16:00" in Asia/Jakarta."""

    days: frozenset[int]
    start: dt.time
    end: dt.time
    zone: ZoneInfo

    @classmethod
    def parse(cls, spec: str, zone: str = "Asia/Jakarta") -> OfficeHours:
        """Read "mon-fri 08:00-16:00" (day names in English, 24-hour clock)."""
        match = _SPEC.match(" ".join(spec.casefold().split()))
        if not match or match.group(1) not in DAYS or (match.group(2) or "mon") not in DAYS:
            raise ConfigError(f"OFFICE_HOURS must look like 'mon-fri 08:00-16:00', got {spec!r}")
        first = DAYS.index(match.group(1))
        last = DAYS.index(match.group(2) or match.group(1))
        days = frozenset(d % 7 for d in range(first, last + 1 if last >= first else last + 8))
        start = dt.time(int(match.group(3)), int(match.group(4)))
        end = dt.time(int(match.group(5)), int(match.group(6)))
        return cls(days, start, end, ZoneInfo(zone))

    def is_open(self, moment: dt.datetime) -> bool:
        """Whether `moment` (timezone-aware) falls inside the hours."""
        local = moment.astimezone(self.zone)
        return local.weekday() in self.days and self.start <= local.time() < self.end


@dataclass(frozen=True, slots=True)
class WeeklyTime:
    """A day of the week (0 = Monday) and a local time."""

    weekday: int
    at: dt.time

    @classmethod
    def parse(cls, spec: str) -> WeeklyTime:
        """Read "mon 08:00" (English day name, 24-hour clock)."""
        found = _WEEKLY.match(" ".join(spec.casefold().split()))
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
