"""The report as Markdown (`--format md`): the same sections as the HTML page, without charts."""

from __future__ import annotations

from collections.abc import Sequence

from bot.reporting import sections
from bot.reporting.figures import OfficeReport


def render_markdown(report: OfficeReport, csv_names: Sequence[str]) -> str:
    """The whole document."""
    lines = [
        f"# {_inline(sections.title(report))}",
        "",
        _inline(sections.subtitle(report)),
        "",
        f"_{_inline(sections.PRIVACY_NOTE)}_",
    ]
    for section in sections.build(report):
        lines += ["", f"## {_inline(section.heading)}", ""]
        lines += [_inline(line) + "\n" for line in section.intro]
        lines += [f"- {_inline(line)}" for line in section.figures]
        if section.figures:
            lines.append("")
        for table in section.tables:
            lines += [f"### {_inline(table.caption)}", ""] if table.caption else []
            lines += [_inline(note) + "\n" for note in table.notes]
            lines += _table(table.header, table.rows, table.numeric)
        if section.empty and not section.tables:
            lines.append(f"_{_inline(section.empty)}_")
    if csv_names:
        lines += ["", "## Tabel lengkap (CSV)", ""]
        lines += [f"- `{name}`" for name in csv_names]
    return "\n".join(lines).rstrip() + "\n"


def _table(
    header: Sequence[str], rows: Sequence[Sequence[str]], numeric: frozenset[int]
) -> list[str]:
    align = ["---:" if index in numeric else "---" for index in range(len(header))]
    out = [_row(header), _row(align, escape=False)]
    # Markdown has no spanning cell: a note row (shorter than the header) gets empty cells.
    out += [_row([*row, *[""] * (len(header) - len(row))]) for row in rows]
    out.append("")
    return out


def _row(cells: Sequence[str], *, escape: bool = True) -> str:
    shown = [_cell(cell) if escape else cell for cell in cells]
    return "| " + " | ".join(shown) + " |"


def _cell(text: str) -> str:
    # A pipe would end the cell and a newline the row.
    return _inline(text).replace("|", "\\|")


def _inline(text: str) -> str:
    """Text from the database cannot start markup: no HTML tags, no line breaks."""
    flat = " ".join(text.split())
    for char in ("\\", "`", "*", "_", "[", "]", "<", ">"):
        flat = flat.replace(char, "\\" + char)
    return flat
