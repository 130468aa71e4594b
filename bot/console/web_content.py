"""Konten over HTTP (admins change, petugas read): the week's kit made on request, a post's
words saved (drawn again first; refused words are shown with their problems and nothing is
kept), a post approved for a date and time (handed to the publishing desk with the drawn
JPEGs), and a publication cancelled before it is out. Every change is in the audit log."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bot.console import pages_content, pages_content_review, pages_offices
from bot.console.content_drawing import Drawn
from bot.console.content_form import DATE, TIME, Problems, texts_from, when_from, words_text
from bot.console.html import page
from bot.console.pages_content import KONTEN, KitPage, OfficePlan, when
from bot.console.pages_content_review import ReviewPage
from bot.console.vocabulary import DraftKit, DraftPost, Session
from bot.console.web import Console, Form, guarded, html, redirect, scope
from bot.content.command import NO_POSTS
from bot.content.errors import ContentError
from bot.content.vocabulary import PostText
from bot.publishing.texts import STATE_LABELS
from bot.publishing.vocabulary import Publication, State

MADE, EDITED, APPROVED, CANCELLED = (
    "buat-konten",
    "ubah-konten",
    "setujui-konten",
    "batal-unggahan",
)
MESSAGES = {
    "dibuat": "Konten minggu ini dibuat. Tinjau setiap unggahan, ubah bila perlu, lalu setujui.",
    "dibatalkan": "Unggahan dibatalkan; tidak akan terbit.",
    "disimpan": "Tersimpan; gambar dibuat ulang dari kata-kata baru.",
    "sama": "Tidak ada kata yang berubah.",
    "dijadwalkan": "Disetujui dan dijadwalkan. Unggahan terbit sendiri pada waktunya.",
}
GONE = "Unggahan ini tidak ada lagi: konten minggu ini mungkin sudah dibuat ulang."
LOCKED = "Sudah disetujui: batalkan dulu untuk mengubah kata-katanya."
EDITED_MEANWHILE = (
    "Kata-kata unggahan ini diubah admin lain sementara itu; gambar di atas memuat kata-kata "
    "mereka, formulir memuat ketikan Anda. Periksa lagi, lalu simpan."
)
NOT_FOUND = "Unggahan #{id} tidak ditemukan."
TOO_LATE = "Unggahan #{id} tidak bisa dibatalkan lagi: {state}."
# Ids stop below this: a bigger number names nothing and would overflow an integer column.
DIGITS = 9
LARGEST = 10**DIGITS


def routes(console: Console) -> list[Route]:
    """Konten, a post's review page, and their actions."""
    pages = _Konten(console)
    return [
        Route("/konten", guarded(console, pages.show), methods=["GET"]),
        Route("/konten/buat", guarded(console, pages.make, national=True), methods=["POST"]),
        Route("/konten/simpan", guarded(console, pages.save, national=True), methods=["POST"]),
        Route("/konten/setujui", guarded(console, pages.approve, national=True), methods=["POST"]),
        Route("/konten/batal", guarded(console, pages.cancel, national=True), methods=["POST"]),
        Route("/konten/{kit:int}/{pos:int}", guarded(console, pages.review), methods=["GET"]),
    ]


class _Konten:
    def __init__(self, console: Console) -> None:
        self.c = console
        self.studio = console.studio

    async def show(self, request: Request, session: Session, form: Form) -> Response:
        """Konten, with the plan of topics of one office (an office account's own, or the
        filter's)."""
        message = MESSAGES.get(request.query_params.get("pesan", ""), "")
        office, names = scope(self.c, request, session), self.c.offices.names()
        plan = None
        if office is not None:
            choice = await self.studio.plan(office)
            plan = OfficePlan(names.get(office, office), choice)
        picker = pages_offices.picker(names, office, session, KONTEN)
        return await self._page(session, message=message, plan=plan, picker=picker)

    async def make(self, request: Request, session: Session, form: Form) -> Response:
        try:
            kit_id, kit = await self.studio.make(session.name)
        except ContentError as exc:
            return await self._page(session, warning=f"Konten tidak dibuat: {exc}", status=400)
        made = [
            f"{post.texts.title} ({post.entry_id}): {topic.reason}" for post, topic in kit.posts
        ]
        after = "\n".join(made) or NO_POSTS
        await self.c.audit.record(
            session.name, MADE, f"konten #{kit_id}", before=None, after=after
        )
        return redirect(f"{KONTEN}?pesan=dibuat")

    async def review(self, request: Request, session: Session, form: Form) -> Response:
        kit, pos = request.path_params["kit"], request.path_params["pos"]
        found = 0 < kit < LARGEST and 0 < pos < LARGEST
        draft = await self.studio.drafts.draft_post(kit, pos - 1) if found else None
        if draft is None:
            return html(page("Konten", f"<p>{GONE}</p>", session=session, here=KONTEN), 404)
        message = MESSAGES.get(request.query_params.get("pesan", ""), "")
        return await self._review(draft, session, _Said(message=message))

    async def save(self, request: Request, session: Session, form: Form) -> Response:
        draft = await self._draft(form)
        if draft is None:
            return await self._page(session, warning=GONE, status=404)
        if await self.studio.active(draft) is not None:
            return await self._review(draft, session, _Said(warning=LOCKED), 409)
        typed = texts_from(form, draft.texts)
        if _number(form, "revisi") != draft.revision:
            return await self._review(draft, session, _Said(typed, warning=EDITED_MEANWHILE), 409)
        if typed == draft.texts:
            return redirect(f"{_link(draft)}?pesan=sama")
        drawn = await self.studio.drawn(typed)
        if not isinstance(drawn, Drawn):
            return await self._review(draft, session, _Said(typed, drawn), 400)
        saved = await self.studio.drafts.save_words(
            draft.kit_id, draft.position, typed, revision=draft.revision, by=session.name
        )
        if not saved:
            return await self._conflict(draft, session, typed)
        before, after = words_text(draft.texts), words_text(typed)
        target = f"konten {draft.entry_id}"
        await self.c.audit.record(session.name, EDITED, target, before=before, after=after)
        return redirect(f"{_link(draft)}?pesan=disimpan")

    async def approve(self, request: Request, session: Session, form: Form) -> Response:
        draft = await self._draft(form)
        if draft is None:
            return await self._page(session, warning=GONE, status=404)
        typed = (form.get(DATE, ""), form.get(TIME, ""))
        moment = when_from(form, self.studio.settings.zone, dt.datetime.now(dt.UTC))
        if not isinstance(moment, dt.datetime):
            return await self._review(draft, session, _Said(problems=moment, when=typed), 400)
        revision = _number(form, "revisi")
        result = await self.studio.approve(draft, moment, revision=revision, by=session.name)
        if isinstance(result, str):
            fresh = await self._draft(form) or draft
            return await self._review(fresh, session, _Said(warning=result, when=typed), 409)
        after = f"{draft.entry_id}: terbit {when(moment, self.studio.settings.zone)}"
        target = f"unggahan #{result}"
        await self.c.audit.record(session.name, APPROVED, target, before=None, after=after)
        return redirect(f"{_link(draft)}?pesan=dijadwalkan")

    async def cancel(self, request: Request, session: Session, form: Form) -> Response:
        number = _number(form, "id")
        found = await self.studio.desk.publication(number) if number else None
        if found is None:
            return await self._page(session, warning=NOT_FOUND.format(id=number), status=404)
        if not await self.studio.desk.cancel(number, by=session.name):
            return await self._too_late(session, number)
        before, after = STATE_LABELS[found.state], STATE_LABELS[State.CANCELLED]
        target = f"unggahan #{number}"
        await self.c.audit.record(session.name, CANCELLED, target, before=before, after=after)
        return redirect(f"{KONTEN}?pesan=dibatalkan")

    async def _too_late(self, session: Session, number: int) -> Response:
        now = await self.studio.desk.publication(number)
        state = STATE_LABELS[now.state].lower() if now is not None else "tidak ada"
        return await self._page(
            session, warning=TOO_LATE.format(id=number, state=state), status=409
        )

    async def _conflict(self, draft: DraftPost, session: Session, typed: PostText) -> Response:
        fresh = await self.studio.drafts.draft_post(draft.kit_id, draft.position) or draft
        return await self._review(fresh, session, _Said(typed, warning=EDITED_MEANWHILE), 409)

    async def _draft(self, form: Form) -> DraftPost | None:
        kit, pos = _number(form, "kit"), _number(form, "pos")
        return await self.studio.drafts.draft_post(kit, pos - 1) if kit and pos else None

    async def _page(
        self,
        session: Session,
        *,
        message: str = "",
        warning: str = "",
        status: int = 200,
        plan: OfficePlan | None = None,
        picker: str = "",
    ) -> Response:
        kit = await self.studio.drafts.latest_kit()
        shown = KitPage(
            kit,
            await self._approved(kit),
            await self.studio.listing(),
            self.studio.off,
            self.studio.settings.zone,
            {entry.id: entry.title for entry in self.studio.knowledge().entries},
            message=message,
            warning=warning,
            plan=plan,
            picker=picker,
        )
        return html(pages_content.konten(shown, session), status)

    async def _approved(self, kit: DraftKit | None) -> dict[int, Publication]:
        ids = [p.publication_id for p in (kit.posts if kit else ()) if p.publication_id]
        found = [await self.studio.desk.publication(number) for number in ids]
        return {p.id: p for p in found if p is not None}

    async def _review(
        self, draft: DraftPost, session: Session, said: _Said | None = None, status: int = 200
    ) -> Response:
        said = said or _Said()
        drawn = await self.studio.drawn(draft.texts)
        shown = ReviewPage(
            draft,
            draft.texts.title,
            drawn if isinstance(drawn, Drawn) else None,
            self.studio.settings.zone,
            _tomorrow(self.studio.settings.zone),
            typed=said.typed,
            # The kept words' problems when they cannot be drawn, unless typed ones are shown.
            problems=said.problems or ({} if isinstance(drawn, Drawn) else drawn),
            publication=await self.studio.active(draft),
            off=self.studio.off,
            message=said.message,
            warning=said.warning,
            when=said.when,
        )
        return html(pages_content_review.review(shown, session), status)


@dataclass(frozen=True, slots=True)
class _Said:
    """What a review page says besides the post: the words as typed and their problems, what
    just happened, and the date and time as typed."""

    typed: PostText | None = None
    problems: Problems | None = None
    message: str = ""
    warning: str = ""
    when: tuple[str, str] = ("", "")


def _link(draft: DraftPost) -> str:
    return f"{KONTEN}/{draft.kit_id}/{draft.position + 1}"


def _number(form: Form, name: str) -> int:
    """A number from the form below `LARGEST`, or 0 (its length checked first: Python refuses
    to read a number of thousands of digits)."""
    raw = form.get(name, "")
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= DIGITS else 0


def _tomorrow(zone: dt.tzinfo) -> dt.date:
    return dt.datetime.now(zone).date() + dt.timedelta(days=1)
