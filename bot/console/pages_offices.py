"""The pages of many offices: the office filter of an account of every office (kept in the
URL as `kantor`) and Kantor, one row per office."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from bot.console.html import esc, page, table
from bot.console.vocabulary import OfficeFigures, Session
from bot.reporting import text

PERIOD_NAMES = {1: "Hari ini", 7: "7 hari", 30: "30 hari"}
NO_OFFICE = "Tanpa kantor"  # questions logged before an office was known
EMPTY = "<p>Belum ada kantor yang dikonfigurasi (offices.yaml): satu kantor saja dilayani.</p>"


def picker(names: Mapping[str, str], office: str | None, session: Session, path: str) -> str:
    """The office filter for an account of every office; an office account's office named."""
    if not names:
        return ""
    if not session.every_office:
        return f"<p class=muted>Data {esc(names.get(session.office or '', session.office))}.</p>"
    options = [f'<option value=""{_on(office is None)}>Semua kantor</option>']
    options += [
        f'<option value="{esc(key)}"{_on(key == office)}>{esc(name)}</option>'
        for key, name in names.items()
    ]
    return (
        f'<form method=get action="{esc(path)}" class=filter><label for=kantor>Kantor</label> '
        f"<select id=kantor name=kantor>{''.join(options)}</select> "
        "<button type=submit>Tampilkan</button></form>"
    )


def comparison(
    rows: Sequence[OfficeFigures], names: Mapping[str, str], days: int, session: Session
) -> str:
    """Kantor: every office side by side (an account of every office only)."""
    if not names:
        body = EMPTY
    elif not session.every_office:
        body = "<p>Perbandingan kantor hanya untuk akun semua kantor.</p>"
    else:
        found = {r.office: r for r in rows}
        listed = [found.pop(key, _zero(key)) for key in names] + list(found.values())
        body = f"<p>{period_tabs('/admin/kantor', days, None)}</p>{_table(listed, names)}"
    return page("Kantor", body, session=session, here="/admin/kantor")


def _table(rows: Sequence[OfficeFigures], names: Mapping[str, str]) -> str:
    cells = [
        [
            esc(names.get(r.office, r.office) if r.office else NO_OFFICE),
            text.number(r.questions),
            esc(text.percent(r.answered / r.questions if r.questions else None)),
            text.number(r.unanswered),
            text.number(r.tickets),
            f"{text.number(r.helpful)} / {text.number(r.unhelpful)}",
        ]
        for r in rows
    ]
    head = ["Kantor", "Pertanyaan", "Terjawab", "Belum terjawab", "Tiket", "👍 / 👎"]
    return table(head, cells, numeric=5)


def period_tabs(path: str, days: int, office: str | None) -> str:
    """Links to the page's periods, the office filter kept."""
    extra = f"&kantor={esc(office)}" if office else ""
    return " · ".join(
        f"<strong>{esc(name)}</strong>"
        if d == days
        else f'<a href="{path}?hari={d}{extra}">{esc(name)}</a>'
        for d, name in PERIOD_NAMES.items()
    )


def _zero(office: str) -> OfficeFigures:
    return OfficeFigures(office, 0, 0, 0, 0, 0, 0)


def _on(chosen: bool) -> str:
    return " selected" if chosen else ""
