"""The knowledge-base pages: entries (search, edit with preview), drafts, a new entry."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from bot.console import pages_review
from bot.console.html import csrf_field, errors, esc, notice, page, said, table
from bot.console.preview import Preview
from bot.console.vocabulary import EntryUsage, Session
from bot.core.vocabulary import Reply
from bot.suggestions.review import listing
from bot.suggestions.vocabulary import FaqDraft
from knowledge.entries import Entry, KnowledgeBase

Errors = Mapping[str, Sequence[str]]


@dataclass(frozen=True, slots=True)
class EntryForm:
    """What the edit page shows: the values (saved or as typed), their version, messages."""

    entry: Entry
    version: str
    preview: Preview
    errors: Errors = field(default_factory=dict)
    message: str = ""
    usage: EntryUsage | None = None


def entries(kb: KnowledgeBase, query: str, session: Session) -> str:
    """Entries whose id, title or questions hold the query (all without one)."""
    found = _matching(kb, query)
    rows = [
        [
            f'<a href="/admin/entri/{esc(e.id)}">{esc(e.title)}</a>',
            esc(e.id),
            esc(kb.categories.get(e.category, e.category)),
            str(len(e.questions)),
        ]
        for e in found
    ]
    body = (
        _search(query)
        + f"<p class=muted>{len(found)} entri</p>"
        + table(["Judul", "id", "Kategori", "Contoh"], rows, numeric=1)
    )
    return page("Entri", body, session=session, here="/admin/entri")


def _matching(kb: KnowledgeBase, query: str) -> list[Entry]:
    wanted = query.casefold().strip()
    return [
        e
        for e in kb.entries
        if not wanted
        or wanted in f"{e.id} {e.title} {' '.join(e.questions)} {e.answer}".casefold()
    ]


def _search(query: str) -> str:
    return (
        "<form method=get action=/admin/entri><label for=q>Cari entri</label>"
        f'<input type=search id=q name=q value="{esc(query)}">'
        "<button type=submit>Cari</button></form>"
    )


def entry(form: EntryForm, session: Session) -> str:
    """An entry's edit form beside the preview of its replies."""
    e = form.entry
    editor = _editor(form, session) if session.can_edit else _read_only(e)
    body = (
        notice(form.message)
        + errors(form.errors.get("", ()))
        + f"<p class=muted>{esc(e.id)} · {esc(e.title)}</p>"
        + f"<div class=cols><div>{editor}</div><div>{_preview(form.preview)}</div></div>"
        + "<div class=cols><div>"
        + pages_review.review(e, form.version, session, form.errors)
        + f"</div><div>{pages_review.usage(form.usage)}</div></div>"
    )
    return page(e.title, body, session=session, here="/admin/entri")


def _editor(form: EntryForm, session: Session) -> str:
    e, problems = form.entry, form.errors
    questions = "\n".join(e.questions)
    return (
        f"<form method=post action=/admin/entri/simpan class=card>{csrf_field(session)}"
        f'<input type=hidden name=id value="{esc(e.id)}">'
        f'<input type=hidden name=versi value="{esc(form.version)}">'
        + _area("short", "Jawaban singkat (balasan pertama)", e.short, problems, rows=5)
        + _area("answer", "Jawaban lengkap", e.answer, problems, rows=12)
        + _area("questions", "Contoh pertanyaan (satu per baris)", questions, problems, rows=10)
        + "<button type=submit name=aksi value=pratinjau class=light>Pratinjau</button>"
        "<button type=submit name=aksi value=simpan>Simpan</button></form>"
    )


def _read_only(e: Entry) -> str:
    return (
        "<div class=card><p class=muted>Hanya admin yang bisa mengubah entri.</p>"
        "<h2>Contoh pertanyaan</h2><ul>"
        + "".join(f"<li>{esc(q)}</li>" for q in e.questions)
        + "</ul></div>"
    )


def _area(name: str, label: str, value: str, problems: Errors, *, rows: int) -> str:
    return (
        f'<label for="{name}">{esc(label)}</label>{errors(problems.get(name, ()))}'
        f'<textarea id="{name}" name="{name}" rows="{rows}">{esc(value)}</textarea>'
    )


def _preview(preview: Preview) -> str:
    limits = "".join(
        f"<li{' class=over' if limit.over else ''}>{esc(limit.label)}: {limit.length} / "
        f"{limit.limit} karakter{' — terlalu panjang' if limit.over else ''}</li>"
        for limit in preview.limits
    )
    details = ""
    if preview.details is not None:
        details = "<h2>Setelah 📖 Selengkapnya</h2>" + _bubble(preview.details)
    return (
        "<h2>Pratinjau balasan pertama</h2>"
        + _bubble(preview.first)
        + details
        + f"<h2>Panjang</h2><ul>{limits}</ul>"
    )


def _bubble(reply: Reply) -> str:
    keys = "".join(f"<span class=key>{esc(b.label)}</span>" for b in reply.buttons)
    return f"<div class=bubble>{esc(reply.text)}</div><div>{keys}</div>"


def drafts(
    pending: Sequence[FaqDraft], learned: str, session: Session, *, message: str = ""
) -> str:
    """The review queue, oldest first."""
    rows = [
        [
            f'<a href="/admin/draf/{d.id}">#{d.id}</a>',
            esc(d.entry_id or "entri baru"),
            said(d.questions[0] if d.questions else ""),
            esc(_origin(d)),
        ]
        for d in pending
    ]
    body = notice(message) + notice(learned)
    body += (
        table(["Draf", "Untuk", "Pertanyaan", "Asal"], rows)
        if rows
        else ("<p>Tidak ada draf yang menunggu.</p>")
    )
    return page("Draf FAQ", body, session=session, here="/admin/draf")


def _origin(draft: FaqDraft) -> str:
    line = listing([draft])  # the same wording as `kb drafts`
    return line[line.find("(") + 1 : line.find("):")] if "(" in line else draft.source


def draft(
    found: FaqDraft, target: Entry | None, session: Session, *, problems: Errors | None = None
) -> str:
    """A draft beside where it came from and the entry it would change."""
    problems = problems or {}
    source = "".join(f"<li>{said(q)}</li>" for q in found.questions)
    answer = (
        f"<h2>Jawaban petugas</h2><div class=bubble>{said(found.answer)}</div>"
        if found.answer
        else ""
    )
    side = "<p>Entri baru.</p>"
    if target is not None:
        side = (
            f"<h2>Entri {esc(target.title)}</h2>"
            f"<div class=bubble>{esc(target.short or target.answer)}</div>"
            f"<p class=muted>{len(target.questions)} contoh pertanyaan sekarang</p>"
        )
    body = errors(problems.get("", ())) + (
        f"<div class=cols><div class=card><h2>Draf #{found.id} ({esc(_origin(found))})</h2>"
        f"<ul>{source}</ul>{answer}</div><div class=card>{side}</div></div>"
    )
    if session.can_edit:
        body += _decide(found, session)
    return page(f"Draf #{found.id}", body, session=session, here="/admin/draf")


def _decide(found: FaqDraft, session: Session) -> str:
    if found.entry_id is not None:
        approve = (
            f"<form method=post action=/admin/draf/setujui>{csrf_field(session)}"
            f'<input type=hidden name=id value="{found.id}">'
            "<button type=submit>Setujui: tambahkan ke entri</button></form>"
        )
    else:
        approve = (
            f'<p><a href="/admin/entri-baru?draf={found.id}">Setujui sebagai entri baru…</a></p>'
        )
    reject = (
        f"<form method=post action=/admin/draf/tolak>{csrf_field(session)}"
        f'<input type=hidden name=id value="{found.id}">'
        "<label for=alasan>Alasan menolak</label><input type=text id=alasan name=alasan>"
        "<button type=submit class=light>Tolak</button></form>"
    )
    return f"<div class=card>{approve}{reject}</div>"


def new_entry(
    values: Mapping[str, str],
    categories: Mapping[str, str],
    session: Session,
    *,
    problems: Errors | None = None,
) -> str:
    """The form for a new entry (from a draft or a group of unanswered questions)."""
    problems = problems or {}
    questions = values.get("questions", "")
    fields = (
        f"<form method=post action=/admin/entri-baru class=card>{csrf_field(session)}"
        f'<input type=hidden name=draf value="{esc(values.get("draf", ""))}">'
        + _line("id", "id (huruf kecil-dan-tanda-hubung)", values, problems)
        + _line("title", "Judul (maks. 24 karakter, tampil di tombol)", values, problems)
        + _category(values, categories, problems)
        + _area(
            "questions",
            "Contoh pertanyaan (satu per baris, minimal 8)",
            questions,
            problems,
            rows=10,
        )
        + _area("short", "Jawaban singkat", values.get("short", ""), problems, rows=5)
        + _area("answer", "Jawaban lengkap", values.get("answer", ""), problems, rows=12)
        + "<button type=submit>Simpan entri baru</button></form>"
    )
    return page(
        "Entri baru", errors(problems.get("", ())) + fields, session=session, here="/admin/entri"
    )


def _category(values: Mapping[str, str], categories: Mapping[str, str], problems: Errors) -> str:
    options = "".join(
        f'<option value="{esc(k)}"{_selected(k == values.get("category"))}>{esc(v)}</option>'
        for k, v in categories.items()
    )
    return (
        f"<label for=category>Kategori</label>{errors(problems.get('category', ()))}"
        f"<select id=category name=category>{options}</select>"
    )


def _line(name: str, label: str, values: Mapping[str, str], problems: Errors) -> str:
    return (
        f'<label for="{name}">{esc(label)}</label>{errors(problems.get(name, ()))}'
        f'<input type=text id="{name}" name="{name}" value="{esc(values.get(name, ""))}">'
    )


def _selected(chosen: bool) -> str:
    return " selected" if chosen else ""
