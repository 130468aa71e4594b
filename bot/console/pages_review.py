"""The parts of an entry's page about its use and its review: 👍/👎 and recent questions
(redacted), "tandai sudah ditinjau" and `valid_until` with who checked it against what."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from bot.console import fields
from bot.console.html import csrf_field, errors, esc, said, table
from bot.console.vocabulary import EntryUsage, Session
from bot.reporting import text
from knowledge.entries import Entry

Errors = Mapping[str, Sequence[str]]
USAGE_DAYS = 30


def usage(found: EntryUsage | None) -> str:
    """The entry's answers of the last 30 days, their votes, and the newest questions."""
    if found is None:
        return ""
    votes = table(
        ["", ""],
        [
            ["Dijawab dengan entri ini", text.number(found.asked)],
            ["👍 / 👎", f"{text.number(found.helpful)} / {text.number(found.unhelpful)}"],
        ],
        numeric=1,
    )
    asked = "".join(
        f"<li>{said(question)} <span class=muted>{esc(_when(at))}</span></li>"
        for at, question in found.recent
    )
    recent = f"<ul>{asked}</ul>" if asked else "<p class=muted>Belum ada.</p>"
    return (
        f"<div class=card><h2>{USAGE_DAYS} hari terakhir</h2>{votes}"
        f"<h2>Pertanyaan terbaru (disamarkan)</h2>{recent}</div>"
    )


def review(entry: Entry, version: str, session: Session, problems: Errors) -> str:
    """When the entry was reviewed and until when it holds; admins get the two forms."""
    status = (
        f"<p>Ditinjau: {esc(entry.reviewed or '–')} · "
        f"Berlaku sampai: {esc(entry.valid_until or '–')}</p>"
    )
    forms = _forms(entry, version, session, problems) if session.can_edit_kb else ""
    return f"<div class=card><h2>Tinjauan</h2>{status}{forms}</div>"


def _forms(entry: Entry, version: str, session: Session, problems: Errors) -> str:
    hidden = (
        f'{csrf_field(session)}<input type=hidden name=id value="{esc(entry.id)}">'
        f'<input type=hidden name=versi value="{esc(version)}">'
    )
    reviewed = (
        f"<form method=post action=/admin/entri/tinjau>{hidden}"
        f"{errors(problems.get('reviewed', ()))}"
        "<button type=submit class=light>Tandai sudah ditinjau (hari ini)</button></form>"
    )
    until = entry.valid_until
    return (
        f"{reviewed}<form method=post action=/admin/entri/berlaku>{hidden}"
        + _input(
            "valid_until", "Berlaku sampai (kosong: tanpa batas)", until, problems, kind="date"
        )
        + _input("reviewed_by", "Diperiksa oleh", entry.reviewed_by, problems)
        + _input("checked", "Diperiksa terhadap apa", entry.checked, problems)
        + "<button type=submit>Simpan masa berlaku</button></form>"
    )


def _input(name: str, label: str, value: object, problems: Errors, *, kind: str = "text") -> str:
    return fields.line(name, label, "" if value is None else str(value), problems, kind=kind)


def _when(at: dt.datetime) -> str:
    return at.astimezone(dt.timezone(dt.timedelta(hours=7))).strftime("%d-%m-%Y %H:%M")
