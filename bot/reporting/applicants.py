"""The office's applicant counts (`--applicants FILE.csv`): month, walk_in, m_paspor."""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from bot.reporting.errors import ReportInputError

COLUMNS = ("month", "walk_in", "m_paspor")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
MAX_MONTHS = 120


@dataclass(frozen=True, slots=True)
class ApplicantMonth:
    """How many applicants came in person and how many through M-Paspor in one month."""

    month: dt.date  # the first day of the month
    walk_in: int
    m_paspor: int

    @property
    def share(self) -> float | None:
        """The share applying through M-Paspor; None when the month had no applicants."""
        total = self.walk_in + self.m_paspor
        return self.m_paspor / total if total else None


def read_applicants(path: Path) -> list[ApplicantMonth]:
    """The months of the file, oldest first; a bad file raises `ReportInputError`."""
    try:
        # utf-8-sig: spreadsheets often save CSV with a byte-order mark.
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ReportInputError(f"File pemohon {path} tidak bisa dibaca: {exc}") from exc
    rows = list(csv.reader(text.splitlines()))
    if not rows:
        raise ReportInputError(f"File pemohon {path} kosong.")
    columns = _columns(rows[0], path)
    months = [
        _month(row, columns, path, line)
        for line, row in enumerate(rows[1:], start=2)
        if any(cell.strip() for cell in row)
    ]
    return _checked(months, path)


def _columns(header: list[str], path: Path) -> dict[str, int]:
    names = [cell.strip().casefold() for cell in header]
    missing = [name for name in COLUMNS if name not in names]
    if missing:
        raise ReportInputError(
            f"{path}: baris 1 harus memuat kolom {', '.join(COLUMNS)};"
            f" tidak ada: {', '.join(missing)}."
        )
    return {name: names.index(name) for name in COLUMNS}


def _month(row: list[str], columns: dict[str, int], path: Path, line: int) -> ApplicantMonth:
    cells = {
        name: row[index].strip() if index < len(row) else "" for name, index in columns.items()
    }
    found = _MONTH.match(cells["month"])
    if not found or not 1 <= int(found.group(2)) <= 12:
        raise ReportInputError(
            f"{path}: baris {line}: bulan {cells['month']!r} tidak valid (format YYYY-MM)."
        )
    month = dt.date(int(found.group(1)), int(found.group(2)), 1)
    return ApplicantMonth(
        month, _count(cells, "walk_in", path, line), _count(cells, "m_paspor", path, line)
    )


def _count(cells: dict[str, str], name: str, path: Path, line: int) -> int:
    value = cells[name]
    # Digits only: "1.234" could be a thousand or a typo, so it is refused, not guessed.
    if not (value.isascii() and value.isdigit()):
        raise ReportInputError(
            f"{path}: baris {line}: {name} harus bilangan bulat 0 atau lebih,"
            f" bukan {cells[name]!r}."
        )
    return int(value)


def _checked(months: list[ApplicantMonth], path: Path) -> list[ApplicantMonth]:
    if not months:
        raise ReportInputError(f"{path}: tidak ada baris data di bawah judul kolom.")
    counts = Counter(m.month for m in months)
    doubled = sorted(month for month, count in counts.items() if count > 1)
    if doubled:
        raise ReportInputError(f"{path}: bulan {doubled[0]:%Y-%m} muncul lebih dari sekali.")
    ordered = sorted(months, key=lambda m: m.month)
    span = (ordered[-1].month.year - ordered[0].month.year) * 12
    if span + ordered[-1].month.month - ordered[0].month.month >= MAX_MONTHS:
        raise ReportInputError(f"{path}: paling banyak {MAX_MONTHS} bulan.")
    return ordered
