"""Suara pemohon: the complaints and suggestions people wrote (redacted), by topic and week as
the report counts them (`bot.reporting.voices`), and the office's handling of each."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from bot.console.html import csrf_field, esc, notice, page, said, table
from bot.console.vocabulary import HeardVoice, Session
from bot.reporting.shown import ShownTable
from bot.reporting.voices import KINDS, VoiceFigures, voice_section
from knowledge.complaints import TOPICS

PERIODS = (7, 30, 90)
HERE = "/admin/suara"


def voices(
    figures: VoiceFigures,
    heard: Sequence[HeardVoice],
    titles: Mapping[str, str],
    days: int,
    session: Session,
    *,
    message: str = "",
    warning: str = "",
) -> str:
    """Counts per topic and week, then each message newest first with its handling."""
    section = voice_section(figures, dict(titles))
    counts = "".join(f"<p>{esc(line)}</p>" for line in section.figures)
    weekly = _shown(section.tables[0]) if section.tables else f"<p>{esc(section.empty)}</p>"
    cards = "".join(_voice(v, titles, days, session) for v in heard)
    body = (
        notice(message)
        + notice(warning, kind="warn")
        + f"<p>{_tabs(days)}</p>{counts}<h2>Per topik dan minggu</h2>{weekly}"
        + f"<h2>Pesan terbaru</h2><p class=muted>{len(heard)} pesan (teks sudah disamarkan).</p>"
        + cards
    )
    return page("Suara pemohon", body, session=session, here=HERE)


def _tabs(days: int) -> str:
    return " · ".join(
        f"<strong>{d} hari</strong>" if d == days else f'<a href="{HERE}?hari={d}">{d} hari</a>'
        for d in PERIODS
    )


def _shown(shown: ShownTable) -> str:
    rows = [[esc(cell) for cell in row] for row in shown.rows]
    return table([esc(h) for h in shown.header], rows, numeric=len(shown.header) - 1)


def _voice(voice: HeardVoice, titles: Mapping[str, str], days: int, session: Session) -> str:
    entry = titles.get(voice.faq_id, voice.faq_id) if voice.faq_id else ""
    about = f" · entri {esc(entry)}" if entry else ""
    head = (
        f"<span class=muted>#{voice.id} · {esc(_when(voice.created_at))} · "
        f"{esc(TOPICS.get(voice.topic, voice.topic))} · {esc(KINDS.get(voice.kind, voice.kind))}"
        f"{about}</span>"
    )
    return (
        f"<div class=card>{head}<div class=bubble>{said(voice.text_redacted)}</div>"
        f"{_handling(voice)}{_handle_form(voice, days, session)}</div>"
    )


def _handling(voice: HeardVoice) -> str:
    if voice.handled_at is None:
        return "<p class=warn>Belum ditangani.</p>"
    return (
        f"<p class=ok>Ditangani {esc(_when(voice.handled_at))} oleh {esc(voice.handled_by)}: "
        f"{said(voice.note or '')}</p>"
    )


def _handle_form(voice: HeardVoice, days: int, session: Session) -> str:
    if not session.can_edit:
        return ""
    label = "Ubah catatan" if voice.handled_at else "Tandai sudah ditangani"
    field = f"catatan-{voice.id}"
    return (
        f"<form method=post action={HERE}/tangani>{csrf_field(session)}"
        f'<input type=hidden name=id value="{voice.id}">'
        f'<input type=hidden name=hari value="{days}">'
        f'<label for="{field}">Apa yang dilakukan kantor</label>'
        f'<input type=text id="{field}" name=catatan maxlength=1000 required '
        f'value="{said(voice.note or "")}">'
        f"<button type=submit>{esc(label)}</button></form>"
    )


def _when(at: dt.datetime) -> str:
    return at.astimezone(dt.timezone(dt.timedelta(hours=7))).strftime("%d-%m-%Y %H:%M WIB")
