"""The Draf FAQ pages: the review queue in two views — drafts (officers' "Jadikan FAQ",
groups of questions) and the wordings learned from people's "Maksud Anda…?" choices — and one
draft's page: what produced it beside the entry it becomes, editable, with the replies'
preview; approve, or reject with a reason."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from bot.console import fields
from bot.console.draft_form import LISTS, NEW, TEXTS, DraftForm
from bot.console.html import csrf_field, errors, esc, notice, page, said, table
from bot.console.pages_kb import entry_fields, replies
from bot.console.preview import Preview
from bot.console.vocabulary import Session
from bot.suggestions.learning import Support
from bot.suggestions.vocabulary import FaqDraft

Errors = Mapping[str, Sequence[str]]
HERE = "/admin/draf"
LEARNED = "/admin/draf/dipelajari"
WIB = dt.timezone(dt.timedelta(hours=7))
# Laid out here, not in the shared stylesheet: cards keep their width when there are few, and
# a draft's form sits beside its source and preview (below the source on a phone, before the
# long preview).
CARDS = (
    'style="display:grid;gap:0 1rem;'
    'grid-template-columns:repeat(auto-fill,minmax(min(20rem,100%),1fr))"'
)
BESIDE = (
    'style="display:grid;gap:0 1rem;align-items:start;grid-template-rows:auto 1fr;'
    'grid-template-columns:repeat(auto-fit,minmax(min(24rem,100%),1fr))"'
)


@dataclass(frozen=True, slots=True)
class Queue:
    """The pending drafts in the two views, the learned ones' support, the round's line."""

    drafts: Sequence[FaqDraft]
    learned: Sequence[FaqDraft]
    support: Mapping[int, Support]
    summary: str
    message: str = ""


@dataclass(frozen=True, slots=True)
class DraftView:
    """One draft's page: the draft, its form as shown, the preview of the entry it makes."""

    draft: FaqDraft
    form: DraftForm
    preview: Preview
    titles: Mapping[str, str]  # every entry's title by id
    categories: Mapping[str, str]
    support: Support | None = None
    errors: Errors = field(default_factory=dict)


def drafts(queue: Queue, titles: Mapping[str, str], session: Session) -> str:
    """The drafts other than learned wordings (officers', groups of questions), oldest first."""
    rows = [
        [
            f'<a href="/admin/draf/{d.id}">#{d.id}</a>',
            esc(titles.get(d.entry_id, d.entry_id) if d.entry_id else "entri baru"),
            said(d.questions[0] if d.questions else ""),
            esc(_origin(d)),
        ]
        for d in queue.drafts
    ]
    body = _tabs(queue, HERE) + notice(queue.message) + notice(queue.summary)
    body += (
        table(["Draf", "Untuk", "Pertanyaan", "Asal"], rows)
        if rows
        else "<p>Tidak ada draf yang menunggu.</p>"
    )
    return page("Draf FAQ", body, session=session, here=HERE)


def learned(queue: Queue, titles: Mapping[str, str], session: Session) -> str:
    """The wordings people's choices taught, each with its entry and the people behind it."""
    intro = (
        '<p class=muted>Kata-kata yang dipilih pemohon lewat "Maksud Anda…?" untuk sebuah '
        "entri. <em>Terima</em> menambahkannya sebagai contoh pertanyaan entri itu; yang "
        "ditolak tidak diusulkan lagi.</p>"
    )
    cards = "".join(_learned(d, queue.support.get(d.id), titles, session) for d in queue.learned)
    shown = f"<div {CARDS}>{cards}</div>" if cards else "<p>Tidak ada yang menunggu.</p>"
    body = _tabs(queue, LEARNED) + notice(queue.message) + notice(queue.summary) + intro + shown
    return page("Draf FAQ", body, session=session, here=HERE)


def _tabs(queue: Queue, here: str) -> str:
    views = (
        (HERE, f"Draf ({len(queue.drafts)})"),
        (LEARNED, f"Kata-kata dipelajari ({len(queue.learned)})"),
    )
    return (
        "<p>"
        + " · ".join(
            f"<strong>{esc(label)}</strong>"
            if href == here
            else f'<a href="{href}">{esc(label)}</a>'
            for href, label in views
        )
        + "</p>"
    )


def _learned(
    d: FaqDraft, support: Support | None, titles: Mapping[str, str], session: Session
) -> str:
    entry_id = d.entry_id or ""
    counts = esc(d.created_by or "")
    if support is not None:
        counts = f"Dikonfirmasi {support.people} pemohon · 👎 {support.against}"
    actions = _learned_actions(d, session) if session.may_act_on(d.office_id) else ""
    wording = said(d.questions[0] if d.questions else "")
    return (
        f'<div class=card><p style="margin-top:0"><strong>“{wording}”</strong><br>→ '
        f'<a href="/admin/entri/{esc(entry_id)}">{esc(titles.get(entry_id, entry_id))}</a></p>'
        f"<p class=muted>{counts} · diusulkan "
        f'<span style="white-space:nowrap">{esc(_day(d.created_at))}</span></p>{actions}</div>'
    )


def _learned_actions(d: FaqDraft, session: Session) -> str:
    hidden = f'{csrf_field(session)}<input type=hidden name=id value="{d.id}">'
    return (
        f'<form method=post action=/admin/draf/setujui style="display:inline">{hidden}'
        "<button type=submit>Terima</button></form> "
        f'<a href="/admin/draf/{d.id}">Ubah dulu…</a>'
        f"<details><summary>Tolak…</summary><form method=post action=/admin/draf/tolak>{hidden}"
        f'<label for="alasan-{d.id}">Alasan menolak</label>'
        f'<input type=text id="alasan-{d.id}" name=alasan required>'
        "<button type=submit class=light>Tolak</button></form></details>"
    )


def _origin(draft: FaqDraft) -> str:
    if draft.source == "ticket":
        ticket = f"tiket #{draft.ticket_id}" if draft.ticket_id else "tiket"
        return f"{ticket}, {draft.created_by or 'petugas'}"
    if draft.source == "log":
        return draft.created_by or "pilihan pemohon"
    return draft.created_by or "kelompok pertanyaan"  # what `kb suggest` saw in the log


def draft(view: DraftView, session: Session) -> str:
    """A draft: where it came from and the preview beside the entry it becomes."""
    editable = session.may_act_on(view.draft.office_id)
    right = _edit(view, session) + _reject(view, session) if editable else _proposal(view, session)
    placed = {*TEXTS, *LISTS, "alasan", "untuk"}
    general = [m for name, found in view.errors.items() if name not in placed for m in found]
    body = (
        errors(general)
        + f"<div {BESIDE}>{_source(view)}"
        + f'<div style="grid-row:span 2">{right}</div>'
        + f"<div class=card>{replies(view.preview)}</div></div>"
    )
    return page(f"Draf #{view.draft.id}", body, session=session, here=HERE)


def _source(view: DraftView) -> str:
    d = view.draft
    asked = "".join(f"<div class=bubble>{said(q)}</div>" for q in d.questions)
    answer = f"<div class=bubble>{said(d.answer)}</div>" if d.answer else ""
    when = esc(_day(d.created_at))
    if d.source == "ticket":
        ticket = f" #{d.ticket_id}" if d.ticket_id else ""
        return (
            f"<div class=card><h2>Asal: tiket{ticket}</h2><p class=muted>Dijadikan FAQ oleh "
            f"{esc(d.created_by or 'petugas')} · {when}</p><h2>Pertanyaan pemohon</h2>{asked}"
            f"<h2>Jawaban petugas</h2>{answer or '<p class=muted>–</p>'}</div>"
        )
    if d.source == "log":
        target = esc(view.titles.get(d.entry_id or "", d.entry_id or ""))
        counts = esc(d.created_by or "")
        if view.support is not None:
            counts = f"Dikonfirmasi {view.support.people} pemohon · 👎 {view.support.against}"
        return (
            "<div class=card><h2>Asal: pilihan pemohon</h2><p>Kata-kata ini dipilih untuk "
            f'entri <strong>{target}</strong> lewat "Maksud Anda…?":</p>{asked}'
            f"<p>{counts}</p><p class=muted>Diusulkan {when}</p></div>"
        )
    why = f"<p>{esc(d.created_by)}</p>" if d.created_by else ""  # what the log showed
    return (
        f"<div class=card><h2>Asal: kelompok pertanyaan</h2>{why}<p class=muted>Diusulkan "
        f"{when}</p><h2>Pertanyaan</h2>{asked}{'<h2>Jawaban</h2>' + answer if answer else ''}"
        "</div>"
    )


def _edit(view: DraftView, session: Session) -> str:
    form, problems = view.form, view.errors
    heading, ident, hint = _target(view)
    hidden = "".join(
        f'<input type=hidden name={name} value="{esc(value)}">'
        for name, value in (
            ("draf", form.draft_id),
            ("untuk", form.target),
            ("versi", form.version),
        )
    )
    return (
        f"<form method=post action=/admin/draf/simpan class=card>{csrf_field(session)}{hidden}"
        + heading
        + errors(problems.get("untuk", ()))
        + ident
        + entry_fields(form.values, view.categories, problems, hint=hint)
        + "<button type=submit name=aksi value=pratinjau class=light>Pratinjau</button>"
        "<button type=submit name=aksi value=setujui>Setujui dan simpan</button></form>"
        + _retarget(view)
    )


def _target(view: DraftView) -> tuple[str, str, str]:
    """The form's heading, its id (typed for a new entry) and the hint on the questions."""
    form = view.form
    if form.target == NEW:
        ident = fields.line(
            "id", "id", form.values["id"], view.errors, hint="huruf kecil-dan-tanda-hubung"
        )
        return "<h2>Menjadi entri baru</h2>", ident, "satu per baris; saran: minimal 8"
    title = esc(view.titles.get(form.target, form.target))
    return (
        f"<h2>Mengubah entri {title}</h2>",
        f"<p class=muted>id: {esc(form.target)}</p>",
        "satu per baris; kata-kata dari draf di akhir",
    )


def _retarget(view: DraftView) -> str:
    """Send the draft to another entry, or make a new one of it (the form is filled again)."""
    targets = {NEW: "— entri baru —", **view.titles}
    return (
        f'<form method=get action="/admin/draf/{view.draft.id}" class=card>'
        + fields.choice("untuk", "Tujuan draf ini", targets, view.form.target, {})
        + "<button type=submit class=light>Ganti tujuan</button></form>"
    )


def _reject(view: DraftView, session: Session) -> str:
    return (
        f"<form method=post action=/admin/draf/tolak class=card>{csrf_field(session)}"
        f'<input type=hidden name=id value="{view.draft.id}">'
        + fields.line(
            "alasan", "Alasan menolak", "", view.errors, hint="wajib; tidak diusulkan lagi"
        )
        + "<button type=submit class=light>Tolak draf</button></form>"
    )


def _proposal(view: DraftView, session: Session) -> str:
    """What a petugas, or an office's admin before a national draft, sees instead of the
    form."""
    why = "Hanya admin yang bisa memutuskan draf."
    if session.can_edit:
        why = "Draf nasional (bukan dari satu kantor): hanya admin semua kantor yang memutuskan."
    target = view.form.target
    where = esc(view.titles.get(target, target)) if target != NEW else "entri baru"
    asked = "".join(f"<li>{said(q)}</li>" for q in view.draft.questions)
    return (
        f"<div class=card><p class=muted>{why}</p>"
        f"<h2>Usulan untuk {where}</h2><ul>{asked}</ul></div>"
    )


def _day(at: dt.datetime) -> str:
    return at.astimezone(WIB).strftime("%d-%m-%Y")
