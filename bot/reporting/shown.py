"""A report section as the HTML and Markdown pages show it: heading, lines, figures, tables."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ShownTable:
    """Rows as shown on the page; `numeric` columns align right, `flag_column` is red,
    `nowrap` columns (dates) are not broken over lines on a narrow screen; a `caption`
    names the table when a section has several, with `notes` to read before it; `links`
    columns hold web addresses (the HTML page makes them links).

    A row shorter than the header is a note: its last cell spans the remaining columns (the
    daily table's "tidak ada pertanyaan")."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    numeric: frozenset[int] = frozenset()
    flag_column: int | None = None
    nowrap: frozenset[int] = frozenset()
    caption: str = ""
    notes: tuple[str, ...] = ()
    links: frozenset[int] = frozenset()


@dataclass(frozen=True, slots=True)
class Section:
    """One section: `key` names its chart and its anchor."""

    key: str
    heading: str
    intro: tuple[str, ...]
    figures: tuple[str, ...] = ()
    tables: tuple[ShownTable, ...] = ()
    chart_alt: str = ""
    empty: str = ""
