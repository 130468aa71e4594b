"""Office hours, for when reminders may be sent to officers."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from bot.errors import ConfigError

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
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
