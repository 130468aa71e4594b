"""The knowledge-base pages: entries (search, edit with preview) and a new entry (from a
group of unanswered questions or from nothing)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from bot.console import fields, pages_review
from bot.console.html import csrf_field, errors, esc, notice, page, table
from bot.console.preview import Preview
from bot.console.vocabulary import EntryUsage, Session
from bot.core.vocabulary import Reply
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
    editor = _editor(form, session) if session.can_edit_kb else _read_only(e, session)
    body = (
        notice(form.message)
        + errors(form.errors.get("", ()))
        + f"<p class=muted>{esc(e.id)} · {esc(e.title)}</p>"
        + f"<div class=cols><div>{editor}</div><div>{replies(form.preview)}</div></div>"
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
        + fields.area("short", "Jawaban singkat (balasan pertama)", e.short, problems, rows=5)
        + fields.area("answer", "Jawaban lengkap", e.answer, problems, rows=12)
        + fields.area(
            "questions", "Contoh pertanyaan (satu per baris)", questions, problems, rows=10
        )
        + "<button type=submit name=aksi value=pratinjau class=light>Pratinjau</button>"
        "<button type=submit name=aksi value=simpan>Simpan</button></form>"
    )


def _read_only(e: Entry, session: Session) -> str:
    why = (
        "Entri berlaku untuk semua kantor: hanya admin semua kantor yang bisa mengubahnya."
        " Usulkan perubahan lewat Draf FAQ."
        if session.can_edit
        else "Hanya admin yang bisa mengubah entri."
    )
    return (
        f"<div class=card><p class=muted>{why}</p>"
        "<h2>Contoh pertanyaan</h2><ul>"
        + "".join(f"<li>{esc(q)}</li>" for q in e.questions)
        + "</ul></div>"
    )


def replies(preview: Preview) -> str:
    """The replies as the bot will send them, and their lengths against the limits."""
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


def new_entry(
    values: Mapping[str, str],
    categories: Mapping[str, str],
    session: Session,
    *,
    problems: Errors | None = None,
    intro: str = "",
) -> str:
    """The form for a new entry (from a group of unanswered questions, or from nothing)."""
    problems = problems or {}
    ident = values.get("id", "")
    form = (
        f"<form method=post action=/admin/entri-baru class=card>{csrf_field(session)}"
        f'<input type=hidden name=draf value="{esc(values.get("draf", ""))}">'
        + fields.line("id", "id", ident, problems, hint="huruf kecil-dan-tanda-hubung")
        + entry_fields(values, categories, problems, hint="satu per baris; saran: minimal 8")
        + "<button type=submit>Simpan entri baru</button></form>"
    )
    lead = f"<p class=muted>{esc(intro)}</p>" if intro else ""
    body = lead + errors(problems.get("", ())) + form
    return page("Entri baru", body, session=session, here="/admin/entri")


def entry_fields(
    values: Mapping[str, str], categories: Mapping[str, str], problems: Errors, *, hint: str
) -> str:
    """An entry's fields as a new entry or a draft's form shows them (`hint` on questions),
    each text area tall enough to show its text whole (a draft's wordings come last)."""
    asked, short, answer = (values.get(n, "") for n in ("questions", "short", "answer"))
    return (
        fields.line(
            "title",
            "Judul",
            values.get("title", ""),
            problems,
            hint="maks. 24 karakter, tampil di tombol",
        )
        + fields.choice("category", "Kategori", categories, values.get("category", ""), problems)
        + fields.area(
            "questions", "Contoh pertanyaan", asked, problems, rows=_rows(asked, 8, 30), hint=hint
        )
        + fields.area("short", "Jawaban singkat", short, problems, rows=_rows(short, 4, 10))
        + fields.area("answer", "Jawaban lengkap", answer, problems, rows=_rows(answer, 8, 24))
        + fields.line(
            "related",
            "Entri terkait",
            values.get("related", ""),
            problems,
            hint="id, pisahkan koma",
        )
    )


def _rows(text: str, low: int, high: int) -> int:
    """Lines the text takes in a narrow text area (a phone's), within `low`..`high`."""
    needed = sum(1 + len(line) // 40 for line in text.splitlines()) + 1
    return max(low, min(high, needed))
