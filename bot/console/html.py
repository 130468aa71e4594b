"""The console's HTML: one layout and small helpers, in the stylesheet it shares with the HTML
report (`bot.reporting.style`). Every text is escaped here (`esc`), and texts people wrote
pass through the redaction once more before they are shown (`said`): the log keeps them
redacted already, this is the second lock."""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable

from bot.console.vocabulary import Session
from bot.core.privacy import redact
from bot.reporting.style import STYLE

NAV = (
    ("/admin/", "Ringkasan"),
    ("/admin/belum-terjawab", "Belum terjawab"),
    ("/admin/suara", "Suara pemohon"),
    ("/admin/draf", "Draf FAQ"),
    ("/admin/entri", "Entri"),
    ("/admin/siaran", "Siaran"),
    ("/admin/gangguan", "Gangguan"),
    ("/admin/konten", "Konten"),
    ("/admin/kantor", "Kantor"),
    ("/admin/audit", "Audit"),
)
# Only an admin of every office reads the audit log; only an account of every office compares.
_NAV_FOR: dict[str, Callable[[Session], bool]] = {
    "/admin/audit": lambda session: session.can_edit_kb,
    "/admin/kantor": lambda session: session.every_office,
}


def esc(text: object) -> str:
    """Text for HTML (quotes too: it may sit in an attribute)."""
    return html.escape(str(text), quote=True)


def said(text: str) -> str:
    """A text an applicant or officer wrote, redacted again and escaped."""
    return esc(redact(text).text)


def csrf_field(session: Session) -> str:
    """The hidden field every form of a signed-in page carries."""
    return f'<input type="hidden" name="csrf" value="{esc(session.csrf)}">'


def page(title: str, body: str, *, session: Session | None, here: str = "") -> str:
    """A whole page: the header with the menu (when signed in) and `body`."""
    header = "<header><strong>Tanya Paspor</strong>"
    if session is not None:
        links = "".join(
            f'<a href="{href}"{" class=on" if href == here else ""}>{esc(label)}</a>'
            for href, label in NAV
            if href not in _NAV_FOR or _NAV_FOR[href](session)
        )
        office = f", {session.office}" if session.office else ""
        header += (
            f"{links}<form method=post action=/admin/keluar>{csrf_field(session)}"
            f"<span class=who>{esc(session.name)} ({esc(session.role + office)})</span> "
            '<button class=light type=submit style="margin:0">Keluar</button></form>'
        )
    header += "</header>"
    return (
        '<!doctype html><html lang="id"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{esc(title)} · Konsol Tanya Paspor</title><style>{STYLE}</style></head>"
        f"<body>{header}<main><h1>{esc(title)}</h1>{body}</main></body></html>"
    )


def table(head: Iterable[str], rows: Iterable[Iterable[str]], *, numeric: int = 0) -> str:
    """A table of ready-made (escaped) cells; the last `numeric` columns right-aligned."""
    head = list(head)
    first = len(head) - numeric
    cells = "".join(f"<th{' class=n' if i >= first else ''}>{h}</th>" for i, h in enumerate(head))
    body = "".join(
        "<tr>"
        + "".join(f"<td{' class=n' if i >= first else ''}>{c}</td>" for i, c in enumerate(row))
        + "</tr>"
        for row in rows
    )
    # A wide table scrolls on its own on a phone instead of widening the whole page.
    table = f"<table><thead><tr>{cells}</tr></thead><tbody>{body}</tbody></table>"
    return f"<div class=wide>{table}</div>"


def errors(messages: Iterable[str]) -> str:
    """Messages shown next to a field."""
    return "".join(f'<p class="error">{esc(m)}</p>' for m in messages)


def notice(text: str, *, kind: str = "ok") -> str:
    """A box saying what just happened."""
    return f'<p class="{kind}">{esc(text)}</p>' if text else ""
