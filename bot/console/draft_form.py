"""A draft as its review form holds it: the entry it would make or change (prefilled from the
draft and from the target entry as faq.yaml has it), read back from the posted form, and the
fields faq.yaml gets on approval — for an existing entry only those that changed, so every
other field keeps its lines and layout."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass

from bot.console.faq_text import Value
from bot.core.privacy import redact
from bot.suggestions.vocabulary import FaqDraft
from knowledge.entries import SHORT_MAX, Entry

NEW = ""  # the target of a draft that becomes a new entry
TEXTS = ("id", "title", "category", "short", "answer")
LISTS = ("questions", "related")
ID_WORDS = 5  # a suggested id: the first words of the first question
ID_CHARS = 40
_WORD = re.compile(r"[a-z0-9]+")
_SEPARATORS = re.compile(r"[\s,]+")


@dataclass(frozen=True, slots=True)
class DraftForm:
    """The review form of one draft: where it goes, the target's version as shown, and each
    field's text as shown (lists one item a line; `related` ids separated by commas)."""

    draft_id: int
    target: str  # the entry the draft changes; NEW for a new entry
    version: str  # the target entry's version when the form was shown ("" for a new one)
    values: Mapping[str, str]


def prefilled(
    draft: FaqDraft,
    target: Entry | None,
    version: str,
    *,
    category: str,
    taken: Collection[str],
) -> DraftForm:
    """The form as first shown: the target entry with the draft's wordings added, or a new
    entry from the draft (the officer's answer, a suggested id and category)."""
    # Stored redacted already; redacted again, as everything people wrote that is shown.
    wordings = [redact(q).text for q in draft.questions]
    if target is not None:
        have = {q.casefold() for q in target.questions}
        questions = [*target.questions, *(q for q in wordings if q.casefold() not in have)]
        return DraftForm(draft.id, target.id, version, _values(target, questions))
    answer = redact(draft.answer or "").text.strip()
    values = {
        "id": suggested_id(wordings[0] if wordings else "", taken),
        "title": "",
        "category": category,
        "questions": "\n".join(wordings),
        # An answer short enough is its own short answer; a longer one needs a person's cut.
        "short": answer if len(answer) <= SHORT_MAX else "",
        "answer": answer,
        "related": "",
    }
    return DraftForm(draft.id, NEW, "", values)


def _values(entry: Entry, questions: list[str]) -> dict[str, str]:
    return {
        "id": entry.id,
        "title": entry.title,
        "category": entry.category,
        "questions": "\n".join(questions),
        "short": entry.short,
        "answer": entry.answer,
        "related": ", ".join(entry.related),
    }


def posted(form: Mapping[str, str]) -> DraftForm:
    """The form as the admin sent it."""
    raw = form.get("draf", "")
    values = {name: form.get(name, "") for name in (*TEXTS, *LISTS)}
    return DraftForm(
        int(raw) if raw.isdigit() else 0,
        form.get("untuk", NEW).strip(),
        form.get("versi", ""),
        values,
    )


def entry_fields(values: Mapping[str, str], *, today: dt.date) -> dict[str, Value]:
    """A new entry's fields in faq.yaml's order."""
    return {
        "id": values.get("id", "").strip(),
        "category": values.get("category", "").strip(),
        "title": values.get("title", "").strip(),
        "questions": questions(values.get("questions", "")),
        "short": values.get("short", ""),
        "answer": values.get("answer", ""),
        "related": related(values.get("related", "")),
        "sources": [],
        "reviewed": today.isoformat(),
    }


def changed_fields(entry: Entry, values: Mapping[str, str]) -> dict[str, Value]:
    """The fields of `entry` the form changes (its id stays: other entries and the log use
    it)."""
    changed: dict[str, Value] = {}
    for name in ("title", "category", "short", "answer"):
        if _text(values.get(name, "")) != _text(getattr(entry, name)):
            changed[name] = values.get(name, "")
    asked, linked = questions(values.get("questions", "")), related(values.get("related", ""))
    if asked != list(entry.questions):
        changed["questions"] = asked
    if linked != list(entry.related):
        changed["related"] = linked
    return changed


def as_entry(values: Mapping[str, str], base: Entry | None, *, today: dt.date) -> Entry:
    """The entry as the form would make it, for the preview."""
    shown = Entry(
        id=values.get("id", "").strip() or "entri-baru",
        category=values.get("category", "").strip(),
        title=values.get("title", "").strip(),
        questions=tuple(questions(values.get("questions", ""))),
        answer=_text(values.get("answer", "")),
        related=tuple(related(values.get("related", ""))),
        short=_text(values.get("short", "")),
        reviewed=today,
    )
    if base is None:
        return shown
    return dataclasses.replace(
        base,
        category=shown.category,
        title=shown.title,
        questions=shown.questions,
        answer=shown.answer,
        related=shown.related,
        short=shown.short,
    )


def questions(text: str) -> list[str]:
    """Example questions, one a line."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def related(text: str) -> list[str]:
    """Related entry ids, separated by commas, spaces or lines."""
    return [part for part in _SEPARATORS.split(text.strip()) if part]


def suggested_id(question: str, taken: Collection[str]) -> str:
    """An id from the question's first words, not taken yet; the admin may change it."""
    words = _WORD.findall(question.casefold())[:ID_WORDS]
    base = "-".join(words)[:ID_CHARS].strip("-") or "entri-baru"
    found, number = base, 1
    while found in taken:
        number += 1
        found = f"{base}-{number}"
    return found


def _text(value: str) -> str:
    """A text as faq.yaml keeps it: line ends unified, lines and the whole stripped."""
    lines = value.replace("\r\n", "\n").strip().split("\n")
    return "\n".join(line.rstrip() for line in lines)
