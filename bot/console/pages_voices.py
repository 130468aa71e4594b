"""Suara pemohon: the complaints and suggestions people wrote (redacted), filtered by topic,
week and handling (`voice_filter`), counted per topic and per week as the report counts them
(`bot.reporting.voices`), and the office's handling of each."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from urllib.parse import parse_qsl

from bot.console.html import csrf_field, esc, notice, page, said, table
from bot.console.vocabulary import HeardVoice, Session, VoiceTally
from bot.console.voice_filter import PERIODS, Choice, Count, by_topic, by_week, total
from bot.reporting.text import day_span, number
from bot.reporting.vocabulary import VoiceCount
from bot.reporting.voices import KINDS, voice_figures, voice_section
from knowledge.complaints import TOPICS

HERE = "/admin/suara"
STATUS_NAMES = {"": "Semua", "belum": "Belum ditangani", "sudah": "Sudah ditangani"}
COUNT_HEAD = ("Keluhan", "Saran", "Belum ditangani")


def voices(
    choice: Choice,
    tallies: Sequence[VoiceTally],
    heard: Sequence[HeardVoice],
    titles: Mapping[str, str],
    session: Session,
    *,
    message: str = "",
    warning: str = "",
    picker: str = "",
) -> str:
    """The totals, the filters, counts per topic and per week, then the chosen messages."""
    body = (
        picker
        + notice(message)
        + notice(warning, kind="warn")
        + f"<p>{_tabs(choice)}</p>{_totals(choice, tallies)}{_filters(choice, tallies)}"
        + f"<div class=cols>{_topics(choice, tallies)}{_weeks(choice, tallies)}</div>"
        + _listed(choice, tallies, len(heard))
        + "".join(_voice(v, titles, choice, session) for v in heard)
    )
    return page("Suara pemohon", body, session=session, here=HERE)


def _tabs(choice: Choice) -> str:
    # Another period has other weeks: the week is dropped, topic and handling are kept.
    return " · ".join(
        f"<strong>{d} hari</strong>"
        if d == choice.days
        else _link(f"{d} hari", choice.but(days=d, week=None))
        for d in PERIODS
    )


def _link(text: str, choice: Choice) -> str:
    return f'<a href="{HERE}?{esc(choice.query())}">{esc(text)}</a>'


def _totals(choice: Choice, tallies: Sequence[VoiceTally]) -> str:
    """The period's totals and its top complaint, in the report's words."""
    counts = [VoiceCount(t.bucket, t.topic, t.kind, t.count) for t in tallies]
    lines = list(voice_section(voice_figures(choice.weeks, counts, ()), {}).figures)
    lines[0] += f" · Belum ditangani: {number(total(tallies).open)}"
    return "".join(f"<p>{esc(line)}</p>" for line in lines)


def _filters(choice: Choice, tallies: Sequence[VoiceTally]) -> str:
    """The filter form (GET): topic, week and handling as drop-down lists."""
    topics = [("", "Semua topik")]
    topics += [(t, _topic(t)) for t in by_topic(tallies, choice.but(week=None))]
    if choice.topic and choice.topic not in dict(topics):
        topics.append((choice.topic, _topic(choice.topic)))
    weeks = [("", "Semua minggu")]
    weeks += [(w.first.isoformat(), _week(choice, i)) for i, w in enumerate(choice.weeks)]
    fields = (
        _select("topik", "Topik", topics, choice.topic),
        _select("minggu", "Minggu", weeks, choice.week_first()),
        _select("status", "Penanganan", list(STATUS_NAMES.items()), choice.status),
    )
    return (
        f"<form method=get action={HERE} class=card>"
        f'<input type=hidden name=hari value="{choice.days}">{_office_field(choice)}'
        f"<div class=cols>{''.join(fields)}"
        f"</div><button type=submit>Tampilkan</button> "
        f"{_link('Hapus saringan', choice.but(topic='', week=None, status=''))}</form>"
    )


def _office_field(choice: Choice) -> str:
    """The office filter rides along with the other filters."""
    return f'<input type=hidden name=kantor value="{esc(choice.office)}">' if choice.office else ""


def _select(name: str, label: str, options: Sequence[tuple[str, str]], current: str) -> str:
    shown = "".join(
        f'<option value="{esc(value)}"{" selected" if value == current else ""}>'
        f"{esc(text)}</option>"
        for value, text in options
    )
    return (
        f'<div><label for="{name}">{label}</label>'
        f'<select id="{name}" name="{name}">{shown}</select></div>'
    )


def _topics(choice: Choice, tallies: Sequence[VoiceTally]) -> str:
    """Per topic, in the chosen week; each topic picks itself."""
    counts = by_topic(tallies, choice)
    rows = [
        _row("Semua topik", not choice.topic, choice.but(topic=""), sum(counts.values(), Count()))
    ]
    rows += [
        _row(_topic(topic), topic == choice.topic, choice.but(topic=topic), count)
        for topic, count in counts.items()
    ]
    where = (
        f" <span class=muted>minggu {esc(_week(choice, choice.week))}</span>"
        if choice.week is not None
        else ""
    )
    return f"<div><h2>Per topik{where}</h2>{table(['Topik', *COUNT_HEAD], rows, numeric=3)}</div>"


def _weeks(choice: Choice, tallies: Sequence[VoiceTally]) -> str:
    """Per week, of the chosen topic; each week picks itself."""
    counts = by_week(tallies, choice)
    rows = [_row("Semua minggu", choice.week is None, choice.but(week=None), sum(counts, Count()))]
    rows += [
        _row(_week(choice, i), i == choice.week, choice.but(week=i), count)
        for i, count in enumerate(counts)
    ]
    where = f" <span class=muted>{esc(_topic(choice.topic))}</span>" if choice.topic else ""
    return (
        f"<div><h2>Per minggu{where}</h2>{table(['Minggu', *COUNT_HEAD], rows, numeric=3)}</div>"
    )


def _row(label: str, chosen: bool, choice: Choice, count: Count) -> list[str]:
    """A count row; its label picks `choice`, or is bold when already picked."""
    name = f"<strong>{esc(label)}</strong>" if chosen else _link(label, choice)
    return [name, number(count.complaints), number(count.suggestions), number(count.open)]


def _topic(topic: str) -> str:
    return TOPICS.get(topic, topic)


def _week(choice: Choice, index: int) -> str:
    """ "2–8 Nov", or "30 Nov – 6 Des"."""
    week = choice.weeks[index]
    return day_span(week.first, week.last)


def _listed(choice: Choice, tallies: Sequence[VoiceTally], shown: int) -> str:
    """How many messages the filters let through, and which filters those are."""
    matching = sum(t.count for t in tallies if choice.lets_through(t))
    picked = [_topic(choice.topic)] if choice.topic else []
    picked += [f"minggu {_week(choice, choice.week)}"] if choice.week is not None else []
    picked += [STATUS_NAMES[choice.status].lower()] if choice.status else []
    which = f" ({', '.join(picked)})" if picked else ""
    if not matching:
        return f"<h2>Pesan</h2><p class=muted>Tidak ada pesan{esc(which)}.</p>"
    newest = f", {number(shown)} terbaru ditampilkan" if shown < matching else ""
    line = f"{number(matching)} pesan{which}{newest}; teks sudah disamarkan."
    return f"<h2>Pesan</h2><p class=muted>{esc(line)}</p>"


def _voice(voice: HeardVoice, titles: Mapping[str, str], choice: Choice, session: Session) -> str:
    entry = titles.get(voice.faq_id, voice.faq_id) if voice.faq_id else ""
    about = f" · entri {esc(entry)}" if entry else ""
    head = (
        f"<span class=muted>#{voice.id} · {esc(_when(voice.created_at))} · "
        f"{esc(_topic(voice.topic))} · {esc(KINDS.get(voice.kind, voice.kind))}"
        f"{about}</span>"
    )
    return (
        f"<div class=card>{head}<div class=bubble>{said(voice.text_redacted)}</div>"
        f"{_handling(voice)}{_handle_form(voice, choice, session)}</div>"
    )


def _handling(voice: HeardVoice) -> str:
    if voice.handled_at is None:
        return "<p class=warn>Belum ditangani.</p>"
    return (
        f"<p class=ok>Ditangani {esc(_when(voice.handled_at))} oleh {esc(voice.handled_by)}: "
        f"{said(voice.note or '')}</p>"
    )


def _handle_form(voice: HeardVoice, choice: Choice, session: Session) -> str:
    if not session.can_edit:
        return ""
    label = "Ubah catatan" if voice.handled_at else "Tandai sudah ditangani"
    field = f"catatan-{voice.id}"
    # The filters ride along, so the page comes back as it was after saving.
    kept = "".join(
        f'<input type=hidden name="{esc(k)}" value="{esc(v)}">'
        for k, v in parse_qsl(choice.query())
    )
    return (
        f"<form method=post action={HERE}/tangani>{csrf_field(session)}"
        f'<input type=hidden name=id value="{voice.id}">{kept}'
        f'<label for="{field}">Apa yang dilakukan kantor</label>'
        f'<input type=text id="{field}" name=catatan maxlength=1000 required '
        f'value="{said(voice.note or "")}">'
        f"<button type=submit>{esc(label)}</button></form>"
    )


def _when(at: dt.datetime) -> str:
    return at.astimezone(dt.timezone(dt.timedelta(hours=7))).strftime("%d-%m-%Y %H:%M WIB")
