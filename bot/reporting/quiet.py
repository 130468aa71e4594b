"""Days without questions, said once: each run of them is one row of the daily table and one
slot of the daily charts ("3–29 Nov: tidak ada pertanyaan (27 hari)"), so a quiet month with
one busy day reads as three rows, not thirty rows of zeros.

Every run collapses, a single empty day between two busy ones too: it takes one row either
way, and "tidak ada pertanyaan" is quicker to read than a row of zeros and dashes. Only the
page and the charts collapse; `harian.csv` never had rows for days without questions.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from bot.reporting.figures import Day
from bot.reporting.period import Period
from bot.reporting.text import day_span, short_day

NOTHING = "tidak ada pertanyaan"


@dataclass(frozen=True, slots=True)
class Quiet:
    """Consecutive days, `first` to `last`, without a single question."""

    first: dt.date
    last: dt.date

    @property
    def days(self) -> int:
        """How many days the run has."""
        return (self.last - self.first).days + 1

    def text(self) -> str:
        """ "tidak ada pertanyaan (27 hari)"; a single day without the count."""
        return NOTHING if self.days == 1 else f"{NOTHING} ({self.days} hari)"


def stretches(days: Sequence[Day]) -> list[Day | Quiet]:
    """`days` in order with each run of days without questions (even of one day) as a `Quiet`;
    an empty period is one `Quiet`."""
    found: list[Day | Quiet] = []
    for day in days:
        last = found[-1] if found else None
        if day.questions:
            found.append(day)
        elif isinstance(last, Quiet) and last.last + dt.timedelta(days=1) == day.day:
            found[-1] = Quiet(last.first, day.day)
        else:
            found.append(Quiet(day.day, day.day))
    return found


def label(stretch: Day | Quiet, *, year: bool = False, weekday: bool = False) -> str:
    """ "Min 15 Nov" for a day (`weekday`), "1–14 Nov" for a quiet run."""
    if isinstance(stretch, Quiet):
        return day_span(stretch.first, stretch.last, year=year)
    return short_day(stretch.day, year=year, weekday=weekday)


def needs_year(period: Period) -> bool:
    """Whether a day of `period` needs its year: only when the period crosses a new year (the
    title names the year otherwise)."""
    return period.first_day.year != period.last_day.year
