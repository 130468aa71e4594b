"""The report as one self-contained HTML page: inline CSS, charts as embedded PNG images.

Nothing is loaded from the network (no fonts, scripts or stylesheets), so the file can be
mailed or opened offline. Every text from the database is escaped.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable, Mapping, Sequence
from html import escape

from bot.reporting import sections
from bot.reporting.figures import OfficeReport

STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0;
       color: #1a1a1a; background: #f6f7f9; line-height: 1.45; }
main { max-width: 1040px; margin: 0 auto; padding: 24px; }
section { background: #fff; border-radius: 8px; padding: 8px 24px 20px; margin: 16px 0;
          box-shadow: 0 1px 3px rgba(0,0,0,.08); }
h1 { margin: 8px 0 0; font-size: 1.7em; }
h2 { border-bottom: 2px solid #1565c0; padding-bottom: 4px; }
p.note, p.meta { color: #555; }
img { max-width: 100%; height: auto; display: block; margin: 12px 0; }
table { border-collapse: collapse; width: 100%; font-size: .92em; }
th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid #e3e6ea;
         vertical-align: top; }
th { background: #eef3fb; }
td.n { text-align: right; white-space: nowrap; }
.flag { color: #b71c1c; font-weight: 600; }
ul.figures li { margin: 2px 0; }
"""


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
        f"<body><main><h1>{escape(sections.title(report))}</h1>"
        f'<p class="meta">{escape(sections.subtitle(report))}</p>'
        f'<p class="note">{escape(sections.PRIVACY_NOTE)}</p>'
    )


def _section(section: sections.Section, chart: bytes | None) -> str:
    parts = [f'<section id="{section.key}"><h2>{escape(section.heading)}</h2>']
    parts += [f"<p>{escape(line)}</p>" for line in section.intro]
    if section.figures:
        items = "".join(f"<li>{escape(line)}</li>" for line in section.figures)
        parts.append(f'<ul class="figures">{items}</ul>')
    if chart is not None:
        encoded = base64.b64encode(chart).decode("ascii")
        alt = escape(section.chart_alt or section.heading)
        parts.append(f'<img alt="{alt}" src="data:image/png;base64,{encoded}">')
    for table in section.tables:
        parts.append(_table(table.header, table.rows, table.numeric, table.flag_column))
    if section.empty and not section.tables:
        parts.append(f'<p class="note">{escape(section.empty)}</p>')
    parts.append("</section>")
    return "".join(parts)


def _table(
    header: Sequence[str],
    rows: Iterable[Sequence[str]],
    numeric: frozenset[int],
    flag_column: int | None,
) -> str:
    head = "".join(f"<th>{escape(cell)}</th>" for cell in header)
    body = []
    for row in rows:
        cells = []
        for index, cell in enumerate(row):
            kind = ' class="n"' if index in numeric else ""
            if index == flag_column and cell:
                kind = ' class="flag"'
            cells.append(f"<td{kind}>{escape(cell)}</td>")
        body.append(f"<tr>{''.join(cells)}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _files(csv_names: Sequence[str]) -> str:
    if not csv_names:
        return ""
    items = "".join(f"<li>{escape(name)}</li>" for name in csv_names)
    return (
        "<section><h2>Tabel lengkap (CSV)</h2>"
        "<p>Semua angka di atas, lengkap, ada di file CSV di folder yang sama:</p>"
        f"<ul>{items}</ul></section>"
    )
