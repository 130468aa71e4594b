"""The knowledge-base pages over HTTP: entries, saving with preview, a group's wordings added
to an entry, new entries; the Draf FAQ pages come from `web_drafts`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bot.console import draft_form, faq_text, pages_kb, web_drafts
from bot.console.editing import CHANGED_MEANWHILE, EntryChange, Outcome
from bot.console.html import errors, page
from bot.console.pages_kb import EntryForm
from bot.console.pages_review import USAGE_DAYS
from bot.console.preview import Preview, edited, preview
from bot.console.vocabulary import EntryUsage, Session
from bot.console.web import Console, Form, guarded, html, redirect
from bot.core.privacy import redact
from knowledge.entries import Entry

SAVED = "Tersimpan. Bot sudah memakai isi baru ini (lihat Audit untuk mengurungkan)."
MESSAGES = {
    "disimpan": SAVED,
    "ditinjau": "Ditandai sudah ditinjau hari ini.",
    "berlaku": "Masa berlaku tersimpan.",
    "ditambahkan": "Kata-kata kelompok itu ditambahkan sebagai contoh pertanyaan.",
}
NOT_FOUND = "<p>Tidak ditemukan.</p>"
NO_WORDINGS = "Tidak ada kata-kata untuk ditambahkan."
FROM_GROUP = (
    "Diisi dari kelompok pertanyaan yang belum terjawab (teks disamarkan); id dan kategori "
    "hanya usulan. Tambahkan cara bertanya lain, judul dan jawabannya, lalu simpan."
)
RECENT = 10  # recent questions shown on an entry's page


def routes(console: Console) -> list[Route]:
    """Entri, Entri baru, Belum terjawab's additions, and Draf FAQ (`web_drafts`)."""
    pages = _Pages(console)
    return [
        Route("/entri", guarded(console, pages.entries), methods=["GET"]),
        Route("/entri/simpan", guarded(console, pages.save, national=True), methods=["POST"]),
        Route("/entri/tinjau", guarded(console, pages.reviewed, national=True), methods=["POST"]),
        Route(
            "/entri/berlaku", guarded(console, pages.valid_until, national=True), methods=["POST"]
        ),
        Route("/entri/{id}", guarded(console, pages.entry), methods=["GET"]),
        Route(
            "/belum-terjawab/tambahkan",
            guarded(console, pages.add, national=True),
            methods=["POST"],
        ),
        Route("/entri-baru", guarded(console, pages.new_form, national=True), methods=["GET"]),
        Route("/entri-baru", guarded(console, pages.create, national=True), methods=["POST"]),
        *web_drafts.routes(console),
    ]


class _Pages:
    def __init__(self, console: Console) -> None:
        self.c = console

    async def entries(self, request: Request, session: Session, form: Form) -> Response:
        query = request.query_params.get("q", "")
        return html(pages_kb.entries(self.c.knowledge(), query, session))

    async def entry(self, request: Request, session: Session, form: Form) -> Response:
        entry_id = request.path_params["id"]
        text, kb = self.c.editor.kb.read(), self.c.knowledge()
        found = kb.get(entry_id)
        if found is None:
            return html(page("Entri", NOT_FOUND, session=session), 404)
        message = MESSAGES.get(request.query_params.get("pesan", ""), "")
        version = faq_text.entry_version(text, entry_id)
        usage = await self._usage(found, session)
        shown = EntryForm(found, version, self._preview(found), message=message, usage=usage)
        return html(pages_kb.entry(shown, session))

    async def reviewed(self, request: Request, session: Session, form: Form) -> Response:
        today = dt.datetime.now(self.c.settings.zone).date().isoformat()
        return await self._set(session, form, "tinjau-entri", {"reviewed": today}, "ditinjau")

    async def valid_until(self, request: Request, session: Session, form: Form) -> Response:
        fields: dict[str, faq_text.Value | None] = {
            "valid_until": form.get("valid_until", "").strip() or None
        }
        for name in ("reviewed_by", "checked"):
            if value := form.get(name, "").strip():
                fields[name] = value
        return await self._set(session, form, "ubah-berlaku", fields, "berlaku")

    async def _set(
        self,
        session: Session,
        form: Form,
        action: str,
        fields: Mapping[str, faq_text.Value | None],
        done: str,
    ) -> Response:
        entry_id = form.get("id", "")
        found = self.c.knowledge().get(entry_id)
        if found is None:
            return html(page("Entri", NOT_FOUND, session=session), 404)
        version = form.get("versi", "")
        outcome = await self.c.editor.save_fields(session.name, action, entry_id, version, fields)
        if outcome.ok:
            return redirect(f"/admin/entri/{entry_id}?pesan={done}")
        again = EntryForm(found, version, self._preview(found), errors=outcome.errors)
        return html(pages_kb.entry(again, session), _status(outcome))

    async def _usage(self, entry: Entry, session: Session) -> EntryUsage:
        """The entry's figures, of the account's own office for an office account."""
        now = dt.datetime.now(dt.UTC)
        since = now - dt.timedelta(days=USAGE_DAYS)
        return await self.c.usage.entry_usage(
            entry.id, since=since, until=now, limit=RECENT, office=session.office
        )

    async def save(self, request: Request, session: Session, form: Form) -> Response:
        entry_id = form.get("id", "")
        found = self.c.knowledge().get(entry_id)
        if found is None:
            return html(page("Entri", NOT_FOUND, session=session), 404)
        questions = tuple(form.get("questions", "").splitlines())
        change = EntryChange(
            entry_id,
            form.get("versi", ""),
            form.get("answer", ""),
            form.get("short", ""),
            questions,
        )
        shown = edited(found, answer=change.answer, short=change.short, questions=questions)
        if form.get("aksi") == "pratinjau":
            return html(
                pages_kb.entry(EntryForm(shown, change.version, self._preview(shown)), session)
            )
        outcome = await self.c.editor.save_entry(session.name, change)
        if outcome.ok:
            return redirect(f"/admin/entri/{entry_id}?pesan=disimpan")
        again = EntryForm(shown, change.version, self._preview(shown), errors=outcome.errors)
        return html(pages_kb.entry(again, session), _status(outcome))

    async def add(self, request: Request, session: Session, form: Form) -> Response:
        """A group's wordings (edited or not) as example questions of an existing entry."""
        entry_id = form.get("entri", "").strip()
        wordings = [redact(w).text.strip() for w in form.get("contoh", "").splitlines()]
        wordings = [w for w in wordings if w]
        outcome = Outcome.refused(NO_WORDINGS)
        if wordings:
            outcome = await self.c.editor.add_questions(session.name, entry_id, wordings)
        if outcome.ok:
            return redirect(f"/admin/entri/{entry_id}?pesan=ditambahkan")
        problems = [m for messages in outcome.errors.values() for m in messages]
        body = errors(problems) + '<p><a href="/admin/belum-terjawab">Kembali</a></p>'
        return html(page("Belum terjawab", body, session=session), _status(outcome))

    async def new_form(self, request: Request, session: Session, form: Form) -> Response:
        """The new-entry form, filled in from a group of unanswered questions (`contoh`,
        redacted again) or from a draft."""
        wordings = [redact(w).text for w in request.query_params.getlist("contoh")]
        values = {"questions": "\n".join(wordings)}
        draft_id = _number(request.query_params.get("draf"))
        if draft_id and (found := await self.c.queue.find(draft_id)) is not None:
            wordings = list(found.questions)
            values = {
                "draf": str(draft_id),
                "questions": "\n".join(wordings),
                "answer": found.answer or "",
            }
        kb = self.c.knowledge()
        if wordings:
            values["category"] = self.c.queue.category_for(wordings[0])
            values["id"] = draft_form.suggested_id(wordings[0], {e.id for e in kb.entries})
        intro = FROM_GROUP if request.query_params.getlist("contoh") else ""
        return html(pages_kb.new_entry(values, kb.categories, session, intro=intro))

    async def create(self, request: Request, session: Session, form: Form) -> Response:
        today = dt.datetime.now(self.c.settings.zone).date()
        entry = draft_form.entry_fields(form, today=today)
        draft_id = _number(form.get("draf"))
        if draft_id:
            outcome = await self.c.queue.approve_new(session.name, draft_id, entry)
        else:
            outcome = await self.c.editor.add_entry(session.name, entry)
        if outcome.ok:
            return redirect(f"/admin/entri/{entry['id']}?pesan=disimpan")
        kb = self.c.knowledge()
        return html(
            pages_kb.new_entry(form, kb.categories, session, problems=outcome.errors),
            _status(outcome),
        )

    def _preview(self, entry: Entry) -> Preview:
        return preview(self.c.knowledge(), entry, agent=self.c.settings.agent)


def _status(outcome: Outcome) -> int:
    return 409 if CHANGED_MEANWHILE in outcome.errors.get("", ()) else 400


def _number(raw: str | None) -> int:
    return int(raw) if raw and raw.isdigit() else 0
