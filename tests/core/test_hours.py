"""OFFICE_HOURS as people write it: a day range (wrapping over the weekend too) or one day,
minutes kept, anything else refused with the expected shape named."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from bot.core.errors import ConfigError
from bot.core.hours import OfficeHours


@pytest.mark.parametrize(
    ("spec", "days"),
    [
        ("mon-fri 08:00-16:00", {0, 1, 2, 3, 4}),
        ("tue-thu 08:00-16:00", {1, 2, 3}),
        ("fri-mon 08:00-16:00", {4, 5, 6, 0}),
        ("sun-tue 08:00-16:00", {6, 0, 1}),
        ("Sat 08:00-16:00", {5}),
        ("SAT  08:00-16:00", {5}),
    ],
)
def test_the_days(spec: str, days: set[int]) -> None:
    assert OfficeHours.parse(spec).days == days


def test_the_hours_keep_their_minutes_and_the_zone() -> None:
    hours = OfficeHours.parse("mon-fri 07:30-15:45", zone="Asia/Makassar")
    assert (hours.start, hours.end) == (dt.time(7, 30), dt.time(15, 45))
    assert hours.zone == ZoneInfo("Asia/Makassar")
    assert OfficeHours.parse("mon 8:05-9:10").zone == ZoneInfo("Asia/Jakarta")


@pytest.mark.parametrize(
    "spec", ["", "mon-fri", "xyz-fri 08:00-16:00", "mon-xyz 08:00-16:00", "xyz 08:00-16:00"]
)
def test_anything_else_is_refused(spec: str) -> None:
    with pytest.raises(ConfigError, match="OFFICE_HOURS must look like 'mon-fri 08:00-16:00'"):
        OfficeHours.parse(spec)
