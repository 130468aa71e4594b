"""Reports per office and combined (issue 21): which office a report is about, and the
comparison between offices a regional or national admin reads in the combined report.

Pure apart from `compare`, which reads one `ComparisonSource`. A report for one office is made
from queries kept to that office (`ReportQueries.for_office`); this module only names it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol

from bot.reporting import text
from bot.reporting.shown import Section, ShownTable
from bot.reporting.vocabulary import Activity
from knowledge.offices import office_named

NO_OFFICE = "tanpa kantor"
COMPARISON_INTRO = (
    "Satu baris per kantor. Pertanyaan tanpa kantor (dari sebelum kantor diatur, atau pemohon"
    " belum memilih kantor) punya baris sendiri. Pertanyaan belum terjawab dan ide konten"
    " satu kantor: python -m bot report --office ID, atau /laporan NAMA-KANTOR di Telegram.",
)
COMPARISON_HEADER = (
    "Kantor",
    "Pertanyaan",
    "Dijawab bot",
    "Tidak dikenali",
    "Tiket",
    "Median balasan petugas",
    "👍",
    "👎",
)


class ComparisonSource(Protocol):
    """Every office's activity at once; `ReportQueries.offices` is the real one."""

    async def comparison(
        self, *, since: dt.datetime, until: dt.datetime
    ) -> Mapping[str | None, Activity]: ...


@dataclass(frozen=True, slots=True)
class ReportScope:
    """Which office a report is about (`office` None: every office combined), the offices'
    names, and for the combined report the comparison's source."""

    office: str | None = None
    names: Mapping[str, str] = field(default_factory=dict)
    comparison: ComparisonSource | None = None

    def name(self, office: str | None) -> str:
        """How the report names an office: its short name, else its id."""
        return NO_OFFICE if office is None else self.names.get(office, office)


@dataclass(frozen=True, slots=True)
class OfficeRow:
    """One office's line in the comparison."""

    office: str | None
    name: str
    activity: Activity


async def compare(
    scope: ReportScope, *, since: dt.datetime, until: dt.datetime
) -> tuple[OfficeRow, ...]:
    """The comparison's rows, busiest office first and "tanpa kantor" last; none for a report
    about one office, or when the data has a single office (nothing to compare)."""
    if scope.office is not None or scope.comparison is None:
        return ()
    found = await scope.comparison.comparison(since=since, until=until)
    if len(found) < 2:
        return ()
    rows = [OfficeRow(office, scope.name(office), act) for office, act in found.items()]
    return tuple(sorted(rows, key=lambda r: (r.office is None, -r.activity.questions, r.name)))


def find_office(names: Mapping[str, str], wanted: str) -> str | None:
    """The id of the office `wanted` names (see `knowledge.offices.office_named`)."""
    return office_named(names, wanted)


def comparison_section(rows: tuple[OfficeRow, ...]) -> Section:
    """The combined report's table of offices (HTML and Markdown)."""
    shown = tuple(_cells(row) for row in rows)
    table = ShownTable(COMPARISON_HEADER, shown, frozenset(range(1, len(COMPARISON_HEADER))))
    return Section("kantor", "Perbandingan antarkantor", COMPARISON_INTRO, tables=(table,))


def comparison_lines(rows: tuple[OfficeRow, ...], *, heading: str = "Per kantor:") -> list[str]:
    """The same, in a few chat lines (/laporan and the digest for admins of every office)."""
    if not rows:
        return []
    lines = ["", heading]
    for row in rows:
        a = row.activity
        lines.append(
            f"• {row.name}: {text.number(a.questions)} pertanyaan,"
            f" dijawab bot {text.percent(_share(a.answered, a.questions))},"
            f" tidak dikenali {text.number(a.fallback)}, tiket {text.number(a.tickets_opened)},"
            f" median balasan {text.minutes(a.median_first_reply)},"
            f" 👍 {text.number(a.helpful)} · 👎 {text.number(a.unhelpful)}"
        )
    return lines


def _cells(row: OfficeRow) -> tuple[str, ...]:
    a = row.activity
    return (
        row.name,
        text.number(a.questions),
        text.percent(_share(a.answered, a.questions)),
        text.number(a.fallback),
        text.number(a.tickets_opened),
        text.minutes(a.median_first_reply),
        text.number(a.helpful),
        text.number(a.unhelpful),
    )


def _share(count: int, total: int) -> float | None:
    return count / total if total else None
