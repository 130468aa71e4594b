"""The report's period: whole local days in the office's time zone, and their UTC bounds."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from bot.reporting.errors import ReportInputError

DEFAULT_DAYS = 30
# Daily buckets are compared row by row in SQL; a few years is still quick, a typo such as
# 2206-01-01 would not be.
MAX_DAYS = 3 * 366


@dataclass(frozen=True, slots=True)
class Period:
    """From the start of `first_day` to the end of `last_day`, local time in `zone`."""

    first_day: dt.date
    last_day: dt.date
    zone: dt.tzinfo

    @property
    def since(self) -> dt.datetime:
        """The first instant, in UTC."""
        return midnight(self.first_day, self.zone)

    @property
    def until(self) -> dt.datetime:
        """The instant after the last one (the period is half-open), in UTC."""
        return midnight(self.last_day + dt.timedelta(days=1), self.zone)

    def days(self) -> list[dt.date]:
        """Every day of the period, in order."""
        count = (self.last_day - self.first_day).days + 1
        return [self.first_day + dt.timedelta(days=n) for n in range(count)]

    def day_bounds(self) -> list[dt.datetime]:
        """Local midnights from the first day to the day after the last, in UTC."""
        return [midnight(day, self.zone) for day in self.days()] + [self.until]

    def label(self) -> str:
        """ "2026-11-01 – 2026-11-30"."""
        return f"{self.first_day.isoformat()} – {self.last_day.isoformat()}"


def midnight(day: dt.date, zone: dt.tzinfo) -> dt.datetime:
    """The start of `day` in `zone`, as a UTC instant (DST-safe: zoneinfo picks the offset)."""
    return dt.datetime.combine(day, dt.time(), tzinfo=zone).astimezone(dt.UTC)


def last_days(count: int, *, now: dt.datetime, zone: dt.tzinfo) -> Period:
    """The `count` local days ending today."""
    today = now.astimezone(zone).date()
    return Period(today - dt.timedelta(days=count - 1), today, zone)


def parse_period(
    since: str | None, until: str | None, *, now: dt.datetime, zone: dt.tzinfo
) -> Period:
    """The period from --since/--until (YYYY-MM-DD); by default the last 30 days."""
    last = _date(until, "--until") if until else now.astimezone(zone).date()
    first = _date(since, "--since") if since else last - dt.timedelta(days=DEFAULT_DAYS - 1)
    if first > last:
        raise ReportInputError(
            f"--since ({first.isoformat()}) jatuh setelah --until ({last.isoformat()})."
        )
    if (last - first).days + 1 > MAX_DAYS:
        raise ReportInputError(f"Periode terlalu panjang: paling lama {MAX_DAYS} hari.")
    return Period(first, last, zone)


def iso_day(text: str) -> dt.date:
    """A YYYY-MM-DD date, or ValueError (fromisoformat alone also takes 20261101 and week
    dates; the commands' help promises YYYY-MM-DD only)."""
    if len(text.strip()) != 10:
        raise ValueError(text)
    return dt.date.fromisoformat(text.strip())


def _date(text: str, option: str) -> dt.date:
    try:
        return iso_day(text)
    except ValueError:
        raise ReportInputError(
            f"Tanggal {option} tidak valid: {text!r}. Gunakan format YYYY-MM-DD,"
            " misalnya 2026-11-01."
        ) from None


def month_bounds(months: Sequence[dt.date], zone: dt.tzinfo) -> list[dt.datetime]:
    """Bounds of consecutive calendar months starting with `months[0]` through the last one."""
    first, last = min(months), max(months)
    bounds: list[dt.datetime] = []
    current = first.replace(day=1)
    while current <= last:
        bounds.append(midnight(current, zone))
        current = next_month(current)
    bounds.append(midnight(current, zone))
    return bounds


def next_month(day: dt.date) -> dt.date:
    """The first day of the month after `day`'s."""
    return dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)
