"""Write a report to a folder: the HTML page or Markdown document, and the CSV tables."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Literal

from bot.reporting import charts
from bot.reporting.figures import OfficeReport
from bot.reporting.markdown import render_markdown
from bot.reporting.page import render_html
from bot.reporting.tables import Table, tables

Format = Literal["html", "md", "csv"]


def write_report(report: OfficeReport, folder: Path, fmt: Format) -> list[Path]:
    """Write the files for `fmt` and return their paths, the page or document first."""
    folder.mkdir(parents=True, exist_ok=True)
    office = f"{report.office_id}_" if report.office_id else ""
    first, last = report.period.first_day.isoformat(), report.period.last_day.isoformat()
    prefix = f"laporan_{office}{first}_{last}"
    csv_paths = [_write_csv(folder / f"{prefix}_{t.name}.csv", t) for t in tables(report)]
    names = [path.name for path in csv_paths]
    if fmt == "html":
        page = render_html(report, draw_charts(report), names)
        return [_write_text(folder / f"{prefix}.html", page), *csv_paths]
    if fmt == "md":
        return [_write_text(folder / f"{prefix}.md", render_markdown(report, names)), *csv_paths]
    return csv_paths


def draw_charts(report: OfficeReport) -> dict[str, bytes]:
    """The PNG chart of each section that has one, by section key."""
    makers: Mapping[str, Callable[[OfficeReport], bytes | None]] = {
        "harian": charts.questions_chart,
        "entri": charts.entries_chart,
        "pemohon": charts.applicants_chart,
    }
    drawn = {key: make(report) for key, make in makers.items()}
    return {key: png for key, png in drawn.items() if png is not None}


def csv_text(table: Table) -> str:
    """A table as CSV text."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(table.header)
    writer.writerows(table.rows)
    return buffer.getvalue()


def _write_csv(path: Path, table: Table) -> Path:
    # With a byte-order mark Excel reads the file as UTF-8 (Indonesian names, “quotes”);
    # other programs skip it.
    return _write_text(path, csv_text(table), encoding="utf-8-sig")


def _write_text(path: Path, text: str, *, encoding: str = "utf-8") -> Path:
    # Written beside and renamed: a reader never sees half a file, and a failed run leaves
    # the previous report intact.
    partial = path.with_name(path.name + ".tmp")
    partial.write_text(text, encoding=encoding)
    partial.replace(path)
    return path
