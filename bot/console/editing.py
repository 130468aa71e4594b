"""Changing the knowledge base from the console: an entry's answer, short answer and example
questions, example questions from a draft, a new entry, and undo. Every change is checked as
`kb check` does (refused with each problem next to its field), written only if the entry is
still as the admin saw it ("diubah orang lain" otherwise), audited, and then loaded.
"""

from __future__ import annotations

import asyncio
import difflib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from bot.console import faq_text
from bot.console.kb_file import KbConflict, KbFile
from bot.console.vocabulary import Audit
from knowledge.errors import Problem

CHANGED_MEANWHILE = "Entri ini diubah orang lain sejak Anda membukanya. Muat ulang halaman."
FILE_CHANGED = "faq.yaml diubah di luar konsol sejak perubahan terakhir: tidak bisa diurungkan."
NOTHING_TO_UNDO = "Tidak ada perubahan yang bisa diurungkan."
GENERAL = ""  # problems not tied to one field of the form


@dataclass(frozen=True, slots=True)
class EntryChange:
    """What the edit form sends: the fields and the version the admin started from."""

    entry_id: str
    version: str
    answer: str
    short: str
    questions: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Outcome:
    """Saved, or the messages to show (by field; `GENERAL` for the rest)."""

    errors: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """Whether the change is in faq.yaml."""
        return not self.errors

    @classmethod
    def refused(cls, message: str, where: str = GENERAL) -> Outcome:
        """A change refused for one reason."""
        return cls({where: (message,)})


class Editor:
    """Writes to faq.yaml for the console; `loaded` is called after each write."""

    def __init__(self, kb: KbFile, audit: Audit, *, loaded: Callable[[], None]) -> None:
        self.kb = kb
        self._audit = audit
        self._loaded = loaded

    async def save_entry(self, who: str, change: EntryChange) -> Outcome:
        """Write an entry's edited fields, unless someone changed the entry meanwhile."""
        questions = [q.strip() for q in change.questions if q.strip()]
        fields = {"answer": change.answer, "short": change.short, "questions": questions}
        return await self.save_fields(who, "ubah-entri", change.entry_id, change.version, fields)

    async def save_fields(
        self,
        who: str,
        action: str,
        entry_id: str,
        version: str,
        fields: Mapping[str, faq_text.Value | None],
    ) -> Outcome:
        """Set (None: remove) some of an entry's fields, unless it changed since `version`."""

        def edit(text: str) -> str:
            if faq_text.entry_version(text, entry_id) != version:
                raise KbConflict
            return faq_text.set_fields(text, entry_id, fields)

        return await self._change(who, action, entry_id, edit)

    async def add_questions(self, who: str, entry_id: str, questions: Sequence[str]) -> Outcome:
        """Append example questions the entry does not have yet."""

        def edit(text: str) -> str:
            have = {q.casefold() for q in faq_text.questions(text, entry_id)}
            new = [q for q in questions if q.strip() and q.casefold() not in have]
            return faq_text.add_questions(text, entry_id, new)

        return await self._change(who, "tambah-pertanyaan", entry_id, edit)

    async def add_entry(self, who: str, entry: Mapping[str, faq_text.Value]) -> Outcome:
        """Append a new entry."""
        entry_id = str(entry["id"])

        def edit(text: str) -> str:
            return faq_text.add_entry(text, entry)

        return await self._change(who, "entri-baru", entry_id, edit)

    async def undo(self, who: str) -> Outcome:
        """Put back the version before the last change made here."""
        try:
            before, after = await asyncio.to_thread(self._undo)
        except KbConflict:
            return Outcome.refused(FILE_CHANGED)
        except LookupError:
            return Outcome.refused(NOTHING_TO_UNDO)
        change = "".join(
            difflib.unified_diff(
                before.splitlines(keepends=True), after.splitlines(keepends=True), n=1
            )
        )
        await self._audit.record(who, "urungkan", "faq.yaml", before=None, after=change)
        self._loaded()
        return Outcome()

    def _undo(self) -> tuple[str, str]:
        with self.kb.locked():
            return self.kb.undo()

    async def _change(
        self, who: str, action: str, entry_id: str, edit: Callable[[str], str]
    ) -> Outcome:
        try:
            done = await asyncio.to_thread(self._write, entry_id, edit)
        except KbConflict:
            return Outcome.refused(CHANGED_MEANWHILE)
        except faq_text.EntryMissing:
            return Outcome.refused(f"Entri '{entry_id}' tidak ada di faq.yaml.")
        if isinstance(done, Outcome):
            return done
        before, after = done
        await self._audit.record(who, action, entry_id, before=before, after=after)
        self._loaded()
        return Outcome()

    def _write(self, entry_id: str, edit: Callable[[str], str]) -> tuple[str, str] | Outcome:
        with self.kb.locked():
            text = self.kb.read()
            new = edit(text)
            written = self.kb.write(new, previous=text)
        if not written.ok:
            return _refused(written.problems, entry_id)
        return _source(text, entry_id), _source(new, entry_id)


def _refused(problems: Sequence[Problem], entry_id: str) -> Outcome:
    """`kb check`'s problems by field of the edited entry. Another entry's problems go on
    top, named; they are left out when the edited entry has its own, since they only follow
    from it (an entry refused for its title makes every `related` naming it unknown)."""
    own = [p for p in problems if p.entry_id in (entry_id, None)]
    errors: dict[str, list[str]] = {}
    for problem in own or problems:
        if problem.entry_id in (entry_id, None):
            errors.setdefault(problem.field or GENERAL, []).append(problem.message)
        else:
            errors.setdefault(GENERAL, []).append(f"Entri '{problem.entry_id}': {problem.message}")
    return Outcome({k: tuple(v) for k, v in errors.items()})


def _source(text: str, entry_id: str) -> str:
    try:
        return faq_text.entry_source(text, entry_id)
    except faq_text.EntryMissing:
        return ""
