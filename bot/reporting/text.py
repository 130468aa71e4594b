"""Numbers, shares, minutes and dates written the Indonesian way, for every report format."""

from __future__ import annotations

import datetime as dt

QUOTE_CHARS = 120
MONTHS = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)
SHORT_MONTHS = ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des")
WEEKDAYS = ("Sen", "Sel", "Rab", "Kam", "Jum", "Sab", "Min")


# How admins read the channels' names; a channel not listed shows its own name.
CHANNEL_NAMES = {"telegram": "Telegram", "whatsapp": "WhatsApp", "instagram": "Instagram"}


def channel(name: str) -> str:
    """ "WhatsApp" for "whatsapp"."""
    return CHANNEL_NAMES.get(name, name)


def number(value: int) -> str:
    """12.345: Indonesian groups thousands with a dot."""
    return f"{value:,}".replace(",", ".")


def percent(share: float | None) -> str:
    """A share as a whole percentage ("-" when there is none)."""
    return "-" if share is None else f"{round(100 * share)}%"


def share_of(count: int, total: int) -> str:
    """ "12 (40%)"; the percentage is "-" for an empty total."""
    return f"{number(count)} ({percent(count / total if total else None)})"


def minutes(value: float | None) -> str:
    """ "14 menit", "2,5 menit", or "-"; hours for long waits ("3,2 jam")."""
    if value is None:
        return "-"
    if value >= 120:
        return f"{value / 60:.1f} jam".replace(".", ",")
    # Whole minutes are precise enough from 10 up; below that a decimal comma keeps 2,5.
    shown = f"{value:.0f}" if value >= 10 else f"{value:.1f}".replace(".", ",")
    return f"{shown} menit"


def decimal(value: float | None, digits: int = 1) -> str:
    """A plain decimal for CSV cells (a dot, as programs read them); empty for none."""
    return "" if value is None else f"{value:.{digits}f}"


def quote(text: str, limit: int = QUOTE_CHARS) -> str:
    """“text”, shortened with an ellipsis when long."""
    short = text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
    return f"“{short}”"


def day(value: dt.date) -> str:
    """ "1 November 2026"."""
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def month(value: dt.date) -> str:
    """ "November 2026"."""
    return f"{MONTHS[value.month - 1]} {value.year}"


def short_day(value: dt.date, *, year: bool = False, weekday: bool = False) -> str:
    """ "2 Nov", "Sen 2 Nov", "2 Nov 2026"."""
    shown = f"{value.day} {SHORT_MONTHS[value.month - 1]}" + (f" {value.year}" if year else "")
    return f"{WEEKDAYS[value.weekday()]} {shown}" if weekday else shown


def day_span(first: dt.date, last: dt.date, *, year: bool = False) -> str:
    """ "3–29 Nov", "30 Nov – 2 Des", "30 Des 2026 – 2 Jan 2027"; one day as `short_day`."""
    if first == last:
        return short_day(first, year=year)
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.day}–{short_day(last, year=year)}"
    # Spaces around the dash once the two ends carry their own months, as in the title.
    across = year or first.year != last.year
    return f"{short_day(first, year=across)} – {short_day(last, year=across)}"


def rate(value: float | None) -> str:
    """ "3,5" (one decimal, a decimal comma), or "-" when there is none."""
    return "-" if value is None else f"{value:.1f}".replace(".", ",")
