"""The console's HTML: one layout, small helpers, one stylesheet. Every text is escaped
here (`esc`), and texts people wrote pass through the redaction once more before they are
shown (`said`): the log keeps them redacted already, this is the second lock."""

from __future__ import annotations

import html
from collections.abc import Iterable

from bot.console.vocabulary import Session
from bot.core.privacy import redact

NAV = (
    ("/admin/", "Ringkasan"),
    ("/admin/belum-terjawab", "Belum terjawab"),
    ("/admin/suara", "Suara pemohon"),
    ("/admin/draf", "Draf FAQ"),
    ("/admin/entri", "Entri"),
    ("/admin/siaran", "Siaran"),
    ("/admin/gangguan", "Gangguan"),
    ("/admin/audit", "Audit"),
)
STYLE = """
*{box-sizing:border-box}
body{margin:0;font:16px/1.45 system-ui,"DejaVu Sans",sans-serif;color:#1d2a36;background:#f3f6f9}
header{background:#16426b;color:#fff;padding:.6rem 1rem;display:flex;flex-wrap:wrap;gap:.4rem 1rem;
align-items:center}
header a{color:#fff;text-decoration:none;padding:.2rem .1rem}
header a.on{border-bottom:2px solid #ffd34d}
header form{margin-left:auto}
main{max-width:70rem;margin:0 auto;padding:1rem}
h1{font-size:1.4rem;margin:.2rem 0 1rem}
h2{font-size:1.1rem;margin:1.2rem 0 .5rem}
table{border-collapse:collapse;width:100%;background:#fff;margin-bottom:1rem}
.wide{overflow-x:auto}
th,td{border-bottom:1px solid #dde4ea;padding:.4rem .5rem;text-align:left;vertical-align:top}
td.n,th.n{text-align:right;white-space:nowrap}
.card{background:#fff;border:1px solid #dde4ea;border-radius:8px;padding:.8rem 1rem;
margin-bottom:1rem}
.cols{display:grid;grid-template-columns:repeat(auto-fit,minmax(18rem,1fr));gap:1rem}
.bubble{white-space:pre-wrap;background:#fff;border:1px solid #cfd9e2;border-radius:10px;
padding:.6rem .8rem;overflow-wrap:anywhere}
.key{display:inline-block;border:1px solid #9fb4c7;border-radius:6px;padding:.1rem .5rem;
margin:.2rem .2rem 0 0;color:#22558a;font-size:.9rem}
label{display:block;font-weight:600;margin:.8rem 0 .2rem}
input[type=text],input[type=password],input[type=search],textarea,select{width:100%;font:inherit;padding:.45rem;
border:1px solid #9fb4c7;border-radius:6px;background:#fff}
textarea{min-height:8rem}
button{font:inherit;padding:.45rem 1rem;border-radius:6px;border:1px solid #16426b;
background:#16426b;color:#fff;cursor:pointer;margin:.6rem .4rem 0 0}
button.light{background:#fff;color:#16426b}
.error{color:#a1141a;font-weight:600;margin:.2rem 0}
.ok{background:#e5f5e5;border:1px solid #8cc98c;padding:.5rem .8rem;border-radius:6px}
.warn{background:#fff4e0;border:1px solid #e6b35c;padding:.5rem .8rem;border-radius:6px}
.muted{color:#5b6b7a;font-size:.9rem}
.over{color:#a1141a;font-weight:600}
header .who{color:#cfe;font-size:.9rem}
pre{white-space:pre-wrap;overflow-wrap:anywhere;font-size:.85rem;background:#f7f9fb;padding:.5rem}
@media (max-width:40rem){main{padding:.6rem}th,td{padding:.3rem}header form{margin-left:0}}
"""


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
            if href != "/admin/audit" or session.can_edit
        )
        header += (
            f"{links}<form method=post action=/admin/keluar>{csrf_field(session)}"
            f"<span class=who>{esc(session.name)} ({esc(session.role)})</span> "
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
