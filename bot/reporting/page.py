"""The report as one self-contained HTML page: inline CSS, charts as embedded PNG images.

Nothing is loaded from the network (no fonts, scripts or stylesheets), so the file can be
mailed or opened offline. Every text from the database is escaped. The stylesheet and the
class names are the admin console's, so the report looks like the console's pages.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping, Sequence
from html import escape

from bot.reporting import sections
from bot.reporting.figures import OfficeReport
from bot.reporting.shown import ShownTable
from bot.reporting.style import STYLE


def render_html(
    report: OfficeReport, charts: Mapping[str, bytes], csv_names: Sequence[str]
) -> str:
    """The whole page; `charts` maps a section key to its PNG ("harian", "entri", "pemohon")."""
    parts = [
        _head(report),
        *(_section(s, charts.get(s.key)) for s in sections.build(report)),
        _files(csv_names),
        "</main></body></html>",
    ]
    return "\n".join(part for part in parts if part)


def _head(report: OfficeReport) -> str:
    return (
        '<!DOCTYPE html>\n<html lang="id"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(sections.title(report))}</title><style>{STYLE}</style></head>"
        "<body><header><strong>Tanya Paspor</strong><span>Laporan</span></header>"
        f"<main><h1>{escape(sections.title(report))}</h1>"
        f'<p class="muted">{escape(sections.subtitle(report))}</p>'
        f'<p class="muted">{escape(sections.PRIVACY_NOTE)}</p>'
    )


def _section(section: sections.Section, chart: bytes | None) -> str:
    parts = [f'<section class="card" id="{section.key}"><h2>{escape(section.heading)}</h2>']
    parts += [f"<p>{escape(line)}</p>" for line in section.intro]
    if section.figures:
        items = "".join(f"<li>{escape(line)}</li>" for line in section.figures)
        parts.append(f'<ul class="figures">{items}</ul>')
    if chart is not None:
        parts.append(chart_image(chart, section.chart_alt or section.heading))
    parts += [_table(table) for table in section.tables]
    if section.empty and not section.tables:
        parts.append(f'<p class="muted">{escape(section.empty)}</p>')
    parts.append("</section>")
    return "".join(parts)


def chart_image(png: bytes, alt: str) -> str:
    """A chart inline (the console's pages show the report's charts the same way)."""
    encoded = base64.b64encode(png).decode("ascii")
    # On a phone the chart keeps a readable size and scrolls sideways, as tables do.
    image = f'<img class="chart" alt="{escape(alt)}" src="data:image/png;base64,{encoded}">'
    return f'<div class="wide">{image}</div>'


def _table(table: ShownTable) -> str:
    head = "".join(
        f"<th{_kind(table, index)}>{escape(cell)}</th>" for index, cell in enumerate(table.header)
    )
    body = "".join(_row(table, row) for row in table.rows)
    caption = f"<h3>{escape(table.caption)}</h3>" if table.caption else ""
    caption += "".join(f"<p>{escape(note)}</p>" for note in table.notes)
    # A wide table scrolls on its own on a phone instead of widening the whole page.
    return (
        f'{caption}<div class="wide"><table><thead><tr>{head}</tr></thead>'
        f"<tbody>{body}</tbody></table></div>"
    )


def _row(table: ShownTable, row: Sequence[str]) -> str:
    width = len(table.header)
    if len(row) < width:  # a note: its last cell spans the rest (see `ShownTable`)
        cells = [f"<td{_kind(table, i)}>{escape(cell)}</td>" for i, cell in enumerate(row[:-1])]
        cells.append(f'<td colspan="{width - len(row) + 1}">{escape(row[-1])}</td>')
        return f'<tr class="quiet">{"".join(cells)}</tr>'
    cells = [
        f"<td{_kind(table, index, flagged=bool(cell))}>{_cell(table, index, cell)}</td>"
        for index, cell in enumerate(row)
    ]
    return f"<tr>{''.join(cells)}</tr>"


def _cell(table: ShownTable, index: int, cell: str) -> str:
    """The cell's text; a web address in a `links` column as a link, shown without its
    scheme (shorter) and allowed to wrap, so it does not squeeze the other columns."""
    if index not in table.links or not cell.startswith("https://"):
        return escape(cell)
    shown = cell.removeprefix("https://").removeprefix("www.")
    return f'<a class="link" href="{escape(cell)}">{escape(shown)}</a>'


def _kind(table: ShownTable, index: int, *, flagged: bool = False) -> str:
    """The cell's class attribute: red flag, right-aligned number, or kept on one line."""
    if flagged and index == table.flag_column:
        return ' class="over"'
    if index in table.numeric:
        return ' class="n"'
    return ' class="nowrap"' if index in table.nowrap else ""


def _files(csv_names: Sequence[str]) -> str:
    if not csv_names:
        return ""
    items = "".join(f"<li>{escape(name)}</li>" for name in csv_names)
    return (
        '<section class="card"><h2>Tabel lengkap (CSV)</h2>'
        "<p>Semua angka di atas, lengkap, ada di file CSV di folder yang sama:</p>"
        f"<ul>{items}</ul></section>"
    )
