"""Suara pemohon over HTTP: the page (everyone signed in) and marking a message handled
(admins; audited)."""

from __future__ import annotations

import datetime as dt

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bot.console import pages_voices
from bot.console.html import page
from bot.console.pages_voices import HERE, PERIODS
from bot.console.vocabulary import HeardVoice, Session
from bot.console.web import Console, Form, guarded, html, redirect
from bot.core.privacy import redact
from bot.reporting.collect import voices_of
from bot.reporting.period import last_days

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
        days = _days(request.query_params.get("hari"))
        message = DONE if request.query_params.get("pesan") == "ditangani" else ""
        return await self._page(session, days, message=message)

    async def handle(self, request: Request, session: Session, form: Form) -> Response:
        days = _days(form.get("hari"))
        note = redact(form.get("catatan", "").strip()).text
        if not note or len(note) > NOTE_LENGTH:
            return await self._page(session, days, warning=EMPTY, status=400)
        voice_id = form.get("id", "")
        before = None
        if voice_id.isdigit():
            before = await self.c.voices.handle_voice(int(voice_id), session.name, note)
        if before is None:
            return html(page("Suara pemohon", "<p>Tidak ditemukan.</p>", session=session), 404)
        target = f"suara #{before.id}"
        await self.c.audit.record(
            session.name, "tangani-suara", target, before=_state(before), after=note
        )
        return redirect(f"{HERE}?hari={days}&pesan=ditangani")

    async def _page(
        self,
        session: Session,
        days: int,
        *,
        message: str = "",
        warning: str = "",
        status: int = 200,
    ) -> Response:
        period = last_days(days, now=dt.datetime.now(dt.UTC), zone=self.c.settings.zone)
        figures = await voices_of(self.c.reports, period)
        heard = await self.c.voices.voices(since=period.since, until=period.until, limit=LIMIT)
        titles = {e.id: e.title for e in self.c.knowledge().entries}
        shown = pages_voices.voices(
            figures, heard, titles, days, session, message=message, warning=warning
        )
        return html(shown, status)


def _state(voice: HeardVoice) -> str | None:
    return f"{voice.handled_by}: {voice.note}" if voice.handled_at else None


def _days(raw: str | None) -> int:
    return int(raw) if raw and raw.isdigit() and int(raw) in PERIODS else 30
