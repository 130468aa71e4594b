"""Suara pemohon over HTTP: the page (everyone signed in; filters in the query string: `hari`,
`topik`, `minggu`, `status`) and marking a message handled (admins; audited; back to the same
filters)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import replace

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bot.console import pages_offices, pages_voices
from bot.console.pages_voices import HERE
from bot.console.vocabulary import HeardVoice, Session
from bot.console.voice_filter import Choice, choose
from bot.console.web import Console, Form, guarded, html, not_found, redirect, scope
from bot.core.privacy import redact
from bot.reporting.voices import week_bounds

LIMIT = 200  # messages listed
NOTE_LENGTH = 1000
DONE = "Tersimpan sebagai sudah ditangani."
EMPTY = "Tulis singkat apa yang dilakukan kantor (maks. 1000 karakter)."


def routes(console: Console) -> list[Route]:
    """The page and its one action."""
    pages = _Pages(console)
    return [
        Route("/suara", guarded(console, pages.show), methods=["GET"]),
        Route("/suara/tangani", guarded(console, pages.handle, edit=True), methods=["POST"]),
    ]


class _Pages:
    def __init__(self, console: Console) -> None:
        self.c = console

    async def show(self, request: Request, session: Session, form: Form) -> Response:
        message = DONE if request.query_params.get("pesan") == "ditangani" else ""
        office = scope(self.c, request, session)
        # The links keep an account of every office's filter; an office account's is implied.
        kept = office if session.every_office and office is not None else ""
        choice = self._choice(request.query_params).but(office=kept)
        return await self._page(session, choice, office, message=message)

    async def handle(self, request: Request, session: Session, form: Form) -> Response:
        choice = self._choice(form)
        note = redact(form.get("catatan", "").strip()).text
        if not note or len(note) > NOTE_LENGTH:
            office = session.office
            if session.every_office and choice.office in self.c.offices.names():
                office = choice.office  # the filter the form carried along
            return await self._page(session, choice, office, warning=EMPTY, status=400)
        voice_id = form.get("id", "")
        before = None
        if voice_id.isdigit():
            # Another office's message answers as a missing one: `office` hides it.
            before = await self.c.voices.handle_voice(
                int(voice_id), session.name, note, office=session.office
            )
        if before is None:
            return not_found(session, "Suara pemohon")
        target = f"suara #{before.id}"
        await self.c.audit.record(
            session.name, "tangani-suara", target, before=_state(before), after=note
        )
        return redirect(f"{HERE}?{choice.query()}&pesan=ditangani")

    def _choice(self, params: Mapping[str, str]) -> Choice:
        return choose(params, now=dt.datetime.now(dt.UTC), zone=self.c.settings.zone)

    async def _page(
        self,
        session: Session,
        choice: Choice,
        office: str | None,
        *,
        message: str = "",
        warning: str = "",
        status: int = 200,
    ) -> Response:
        bounds = week_bounds(choice.weeks, choice.period.zone)
        tallies = await self.c.voices.tally(bounds, office=office)
        chosen = replace(choice.voice_filter(), office=office)
        heard = await self.c.voices.voices(chosen, limit=LIMIT)
        titles = {e.id: e.title for e in self.c.knowledge().entries}
        picker = pages_offices.picker(self.c.offices.names(), office, session, HERE)
        shown = pages_voices.voices(
            choice,
            tallies,
            heard,
            titles,
            session,
            message=message,
            warning=warning,
            picker=picker,
        )
        return html(shown, status)


def _state(voice: HeardVoice) -> str | None:
    return f"{voice.handled_by}: {voice.note}" if voice.handled_at else None
