"""The Draf FAQ pages over HTTP: the queue's two views (drafts, learned wordings), a draft's
page with its edit form and preview, approving it as it stands or as edited, and rejecting it
with a reason."""

from __future__ import annotations

import datetime as dt

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bot.console import draft_form, faq_text, pages_drafts
from bot.console.draft_form import NEW, DraftForm
from bot.console.editing import CHANGED_MEANWHILE, Outcome
from bot.console.html import page
from bot.console.pages_drafts import DraftView, Queue
from bot.console.preview import preview
from bot.console.vocabulary import Session
from bot.console.web import Console, Form, forbidden, guarded, html, redirect, scope
from bot.suggestions.learner import SOURCE as LEARNED
from bot.suggestions.learning import Support
from bot.suggestions.vocabulary import FaqDraft

MESSAGES = {
    "disetujui": "Draf disetujui dan ditulis ke faq.yaml.",
    "ditolak": "Draf ditolak; tidak akan diusulkan lagi.",
    "diterima": "Kata-kata itu ditambahkan sebagai contoh pertanyaan entrinya.",
}
NOT_FOUND = "<p>Draf ini tidak ada atau sudah diputuskan.</p>"


def routes(console: Console) -> list[Route]:
    """Draf FAQ: the queue, a draft, and the decisions on it."""
    pages = _Pages(console)
    return [
        Route("/draf", guarded(console, pages.drafts), methods=["GET"]),
        Route("/draf/dipelajari", guarded(console, pages.learned), methods=["GET"]),
        Route("/draf/setujui", guarded(console, pages.approve, edit=True), methods=["POST"]),
        Route("/draf/simpan", guarded(console, pages.save, edit=True), methods=["POST"]),
        Route("/draf/tolak", guarded(console, pages.reject, edit=True), methods=["POST"]),
        Route("/draf/{id:int}", guarded(console, pages.draft), methods=["GET"]),
    ]


class _Pages:
    def __init__(self, console: Console) -> None:
        self.c = console

    async def drafts(self, request: Request, session: Session, form: Form) -> Response:
        titles = {e.id: e.title for e in self.c.knowledge().entries}
        return html(pages_drafts.drafts(await self._queue(request, session), titles, session))

    async def learned(self, request: Request, session: Session, form: Form) -> Response:
        titles = {e.id: e.title for e in self.c.knowledge().entries}
        return html(pages_drafts.learned(await self._queue(request, session), titles, session))

    async def _queue(self, request: Request, session: Session) -> Queue:
        """The drafts of the office in view and the national ones (every draft when no
        office is in view)."""
        learning, pending = await self.c.queue.pending()
        office = scope(self.c, request, session)
        pending = [d for d in pending if office is None or d.office_id in {office, None}]
        return Queue(
            [d for d in pending if d.source != LEARNED],
            [d for d in pending if d.source == LEARNED],
            learning.support,
            learning.summary(),
            MESSAGES.get(request.query_params.get("pesan", ""), ""),
        )

    async def draft(self, request: Request, session: Session, form: Form) -> Response:
        found, support = await self.c.queue.review(request.path_params["id"])
        if found is None or not session.may_see(found.office_id):
            return html(page("Draf", NOT_FOUND, session=session), 404)
        shown = self._prefilled(found, request.query_params.get("untuk"))
        return html(pages_drafts.draft(self._view(found, shown, support), session))

    def _prefilled(self, found: FaqDraft, wanted: str | None) -> DraftForm:
        """The form as first shown; `wanted` sends the draft elsewhere ("" a new entry)."""
        kb, text = self.c.knowledge(), self.c.editor.kb.read()
        target = kb.get((found.entry_id or NEW) if wanted is None else wanted)
        version = faq_text.entry_version(text, target.id) if target else ""
        first = found.questions[0] if found.questions else ""
        return draft_form.prefilled(
            found,
            target,
            version,
            category=self.c.queue.category_for(first),
            taken={e.id for e in kb.entries},
        )

    def _view(
        self,
        found: FaqDraft,
        form: DraftForm,
        support: Support | None,
        problems: Outcome | None = None,
    ) -> DraftView:
        kb = self.c.knowledge()
        base = kb.get(form.target) if form.target != NEW else None
        shown = draft_form.as_entry(form.values, base, today=self._today())
        return DraftView(
            found,
            form,
            preview(kb, shown, agent=self.c.settings.agent),
            {e.id: e.title for e in kb.entries},
            kb.categories,
            support,
            problems.errors if problems else {},
        )

    async def save(self, request: Request, session: Session, form: Form) -> Response:
        """Approve a draft as edited on its page (or only preview the edit)."""
        sent = draft_form.posted(form)
        found, support = await self.c.queue.review(sent.draft_id)
        if found is None or not session.may_act_on(found.office_id):
            return _refusal(session, found)
        if form.get("aksi") == "pratinjau":
            return html(pages_drafts.draft(self._view(found, sent, support), session))
        outcome = await self._approve(session, sent)
        if outcome.ok:
            return redirect(_back(found, "disetujui"))
        shown = self._view(found, sent, support, outcome)
        return html(pages_drafts.draft(shown, session), _status(outcome))

    async def _approve(self, session: Session, sent: DraftForm) -> Outcome:
        if sent.target == NEW:
            entry = draft_form.entry_fields(sent.values, today=self._today())
            return await self.c.queue.approve_new(session.name, sent.draft_id, entry)
        found = self.c.knowledge().get(sent.target)
        if found is None:
            return Outcome.refused(f"Entri '{sent.target}' tidak ada di faq.yaml.", "untuk")
        fields = draft_form.changed_fields(found, sent.values)
        return await self.c.queue.approve_edited(
            session.name, sent.draft_id, sent.target, sent.version, fields
        )

    async def approve(self, request: Request, session: Session, form: Form) -> Response:
        """Approve a draft as it stands: its wordings into its entry."""
        draft_id = _number(form.get("id"))
        found = await self.c.queue.find(draft_id)
        if found is None or not session.may_act_on(found.office_id):
            return _refusal(session, found)
        outcome = await self.c.queue.approve(session.name, draft_id)
        done = "diterima" if found and found.source == LEARNED else "disetujui"
        return await self._decided(session, found, outcome, done)

    async def reject(self, request: Request, session: Session, form: Form) -> Response:
        draft_id = _number(form.get("id"))
        found = await self.c.queue.find(draft_id)
        if found is None or not session.may_act_on(found.office_id):
            return _refusal(session, found)
        outcome = await self.c.queue.reject(session.name, draft_id, form.get("alasan", ""))
        return await self._decided(session, found, outcome, "ditolak")

    async def _decided(
        self, session: Session, found: FaqDraft | None, outcome: Outcome, done: str
    ) -> Response:
        if found is None:
            return html(page("Draf", NOT_FOUND, session=session), 404)
        if outcome.ok:
            return redirect(_back(found, done))
        shown = self._view(found, self._prefilled(found, None), None, outcome)
        return html(pages_drafts.draft(shown, session), _status(outcome))

    def _today(self) -> dt.date:
        return dt.datetime.now(self.c.settings.zone).date()


def _refusal(session: Session, found: FaqDraft | None) -> Response:
    """404 for a missing draft or another office's (its existence stays hidden), 403 for a
    national draft an office's admin reads but does not decide."""
    if found is None or not session.may_see(found.office_id):
        return html(page("Draf", NOT_FOUND, session=session), 404)
    return forbidden()


def _back(found: FaqDraft, done: str) -> str:
    """The queue view the draft was in, saying what happened."""
    view = "/admin/draf/dipelajari" if found.source == LEARNED else "/admin/draf"
    return f"{view}?pesan={done}"


def _status(outcome: Outcome) -> int:
    return 409 if CHANGED_MEANWHILE in outcome.errors.get("", ()) else 400


def _number(raw: str | None) -> int:
    return int(raw) if raw and raw.isdigit() else 0
