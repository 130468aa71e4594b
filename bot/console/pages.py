"""The read-only pages: login, Ringkasan, Belum terjawab and the audit log."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from urllib.parse import urlencode

from bot.console.html import csrf_field, esc, notice, page, said, table
from bot.console.overview import by_channel
from bot.console.pages_offices import period_tabs
from bot.console.vocabulary import AuditEntry, Session
from bot.reporting import text
from bot.reporting.clusters import Cluster
from bot.reporting.figures import OfficeReport
from bot.reporting.page import chart_image


def login(token: str, *, error: str = "", name: str = "") -> str:
    """The login form (fields `username`, `password` and the hidden `csrf`)."""
    body = (
        f"{notice(error, kind='warn')}<form class=card method=post action=/admin/login>"
        f'<input type="hidden" name="csrf" value="{esc(token)}">'
        '<label for="username">Nama</label>'
        f'<input type="text" id="username" name="username" value="{esc(name)}" '
        'autocomplete="username" required autofocus>'
        '<label for="password">Kata sandi</label>'
        '<input type="password" id="password" name="password" '
        'autocomplete="current-password" required>'
        "<button type=submit>Masuk</button></form>"
    )
    return page("Masuk", body, session=None)


def summary(
    report: OfficeReport,
    days: int,
    session: Session,
    charts: Sequence[tuple[str, bytes]] = (),
    *,
    picker: str = "",
    office: str | None = None,
) -> str:
    """Ringkasan: the period's questions by channel and outcome, votes and tickets, and the
    report's charts of it; `office` is the filter kept in the period links."""
    drawn = "".join(chart_image(png, alt) for alt, png in charts)
    first, last = (text.day(d) for d in (report.period.first_day, report.period.last_day))
    body = (
        f"{picker}<p>{period_tabs('/admin/', days, office)}</p>"
        f"<p class=muted>{esc(first)} – {esc(last)}</p><div class=cols>"
        f"<div><h2>Hasil</h2>{_outcomes(report)}</div>"
        f"<div><h2>Tiket</h2>{_tickets(report)}</div></div>"
        f"<h2>Per saluran</h2>{_channels(report)}{_rewrite(report)}"
        + (f"<h2>Grafik</h2>{drawn}" if drawn else "")
    )
    return page("Ringkasan", body, session=session, here="/admin/")


def _outcomes(report: OfficeReport) -> str:
    answered, clarified, fallback, officers = report.totals()
    total = report.questions
    up = sum(e.helpful for e in report.entries)
    down = sum(e.unhelpful for e in report.entries)
    return table(
        ["", "jumlah"],
        [
            ["Pertanyaan", text.number(total)],
            ["Terjawab", text.share_of(answered, total)],
            ["“Maksud Anda…?”", text.share_of(clarified, total)],
            ["Tidak dikenali", text.share_of(fallback, total)],
            ["Ke petugas", text.share_of(officers, total)],
            ["👍 / 👎", f"{text.number(up)} / {text.number(down)}"],
        ],
        numeric=1,
    )


def _channels(report: OfficeReport) -> str:
    return table(
        ["Saluran", "Pertanyaan", "Terjawab", "Maksud Anda", "Tidak dikenali", "Ke petugas"],
        [
            [
                esc(text.channel(r.channel)),
                *map(str, (r.total, r.answered, r.clarified)),
                *map(str, (r.fallback, r.to_officers)),
            ]
            for r in by_channel(report)
        ],
        numeric=5,
    )


def _tickets(report: OfficeReport) -> str:
    tickets = report.tickets
    return table(
        ["", ""],
        [
            ["Dibuka", text.number(tickets.opened)],
            ["Dijawab", text.number(tickets.answered)],
            ["Masih terbuka, belum diambil", text.number(tickets.still_open_unclaimed)],
            ["Median balasan pertama", esc(text.minutes(tickets.median_minutes))],
            ["90% dijawab dalam", esc(text.minutes(tickets.p90_minutes))],
            ["Lewat batas pengingat", text.number(tickets.claimed_late)],
        ],
        numeric=1,
    )


def _rewrite(report: OfficeReport) -> str:
    worst = [e for e in report.entries if e.votes][:10]
    if not worst:
        return ""
    rows = [
        [
            f'<a href="/admin/entri/{esc(e.faq_id)}">{esc(e.title)}</a>',
            str(e.asked),
            f"{e.helpful} / {e.unhelpful}",
            esc(text.percent(e.unhelpful_share)),
        ]
        for e in worst
    ]
    return "<h2>Penilaian per entri (👎 terbanyak dulu)</h2>" + table(
        ["Entri", "Dijawab", "👍 / 👎", "👎"], rows, numeric=3
    )


def unanswered(
    clusters: Sequence[Cluster],
    titles: Mapping[str, str],
    days: int,
    session: Session,
    *,
    picker: str = "",
) -> str:
    """Belum terjawab: groups of alike unanswered questions, biggest first; adding them to
    faq.yaml is for admins of every office."""
    if not clusters:
        return page(
            "Belum terjawab",
            picker + "<p>Tidak ada pertanyaan yang belum terjawab.</p>",
            session=session,
            here="/admin/belum-terjawab",
        )
    cards = "".join(_cluster(c, titles, session) for c in clusters[:100])
    if session.can_edit_kb:
        cards += _entry_ids(titles)
    intro = picker + (
        f"<p class=muted>{days} hari terakhir, {len(clusters)} kelompok"
        " (teks sudah disamarkan).</p>"
    )
    return page("Belum terjawab", intro + cards, session=session, here="/admin/belum-terjawab")


def _cluster(found: Cluster, titles: Mapping[str, str], session: Session) -> str:
    examples = "".join(f"<li>{said(e)}</li>" for e in found.examples)
    near = ", ".join(
        f'<a href="/admin/entri/{esc(i)}">{esc(titles.get(i, i))}</a>' for i in found.nearest
    )
    actions = _cluster_actions(found, session) if session.can_edit_kb else ""
    return (
        f"<div class=card><strong>{said(found.example)}</strong> "
        f"<span class=muted>{found.size}× · terakhir {esc(_when(found.last_seen))}</span>"
        f"<ul>{examples}</ul><p>Paling dekat: {near or '–'}</p>{actions}</div>"
    )


def _cluster_actions(found: Cluster, session: Session) -> str:
    """Add the group's wordings to an entry (the closest one offered), or start a new one."""
    query = urlencode([("contoh", e) for e in found.examples])
    wordings = "\n".join(said(e) for e in found.examples)
    nearest = found.nearest[0] if found.nearest else ""
    return (
        "<details><summary>Tambahkan kata-kata ini ke entri…</summary>"
        f"<form method=post action=/admin/belum-terjawab/tambahkan>{csrf_field(session)}"
        "<label>Contoh pertanyaan (satu per baris; boleh diubah)"
        f"<textarea name=contoh rows=4>{wordings}</textarea></label>"
        f'<label>id entri<input type=text name=entri list=semua-entri value="{esc(nearest)}" '
        "required></label><button type=submit>Tambahkan</button></form></details>"
        f'<p><a href="/admin/entri-baru?{esc(query)}">Mulai entri baru dari kelompok ini</a></p>'
    )


def _entry_ids(titles: Mapping[str, str]) -> str:
    options = "".join(
        f'<option value="{esc(i)}">{esc(title)}</option>' for i, title in titles.items()
    )
    return f"<datalist id=semua-entri>{options}</datalist>"


def audit(rows: Sequence[AuditEntry], session: Session, *, message: str = "", undo: bool) -> str:
    """The audit log, newest first, with the undo button."""
    undo_form = ""
    if undo:
        undo_form = (
            f"<form method=post action=/admin/urungkan>{_csrf(session)}"
            "<button type=submit>Urungkan perubahan faq.yaml terakhir</button></form>"
        )
    cells = [
        [esc(_when(r.at)), esc(r.who), esc(r.action), esc(r.target), _change(r)] for r in rows
    ]
    body = (
        notice(message)
        + undo_form
        + table(["Waktu", "Siapa", "Apa", "Sasaran", "Perubahan"], cells)
    )
    return page("Audit", body, session=session, here="/admin/audit")


def _change(row: AuditEntry) -> str:
    parts = []
    if row.before:
        parts.append(f"<details><summary>Sebelum</summary><pre>{said(row.before)}</pre></details>")
    if row.after:
        parts.append(f"<details><summary>Sesudah</summary><pre>{said(row.after)}</pre></details>")
    return "".join(parts) or "–"


def _csrf(session: Session) -> str:
    return f'<input type="hidden" name="csrf" value="{esc(session.csrf)}">'


def _when(at: dt.datetime) -> str:
    return at.astimezone(dt.timezone(dt.timedelta(hours=7))).strftime("%d-%m-%Y %H:%M WIB")
