"""The console over HTTP (Starlette), mounted at `/admin` by `serve`: cookies, forms, CSRF,
roles and redirects. Every page needs a session (else 303 to `/admin/login`), every POST the
session's CSRF token (else 403), every change the admin role (else 403), and every change to
what all offices share (faq.yaml, the content kit, the audit log) an account of every office
(else 403). An account of one office sees its office's data only (`scope`)."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from urllib.parse import parse_qsl

from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from bot.console import pages, pages_offices
from bot.console.auth import LOGIN_COOKIE, SESSION_COOKIE, Auth, csrf_ok
from bot.console.editing import Editor
from bot.console.html import page
from bot.console.overview import PERIODS, charts, summary, unanswered
from bot.console.queue import DraftQueue
from bot.console.roles import Broadcasts, Offices, OutageNotice
from bot.console.settings import ConsoleSettings
from bot.console.studio import Studio
from bot.console.vocabulary import Audit, Session, Usage, Voices
from bot.reporting.command import OfficeReportSource
from bot.reporting.period import last_days
from knowledge.entries import KnowledgeBase

Form = Mapping[str, str]
Handler = Callable[[Request, Session, Form], Awaitable[Response]]
LOGIN = "/admin/login"
KIB = 1024
# Body limits of the console's form posts (`serve`'s guard; 16 KiB elsewhere).
BODY_LIMITS = {
    "/admin/entri/simpan": 64 * KIB,
    "/admin/entri-baru": 64 * KIB,
    "/admin/draf/simpan": 64 * KIB,
    # A text over its limit still arrives, so the page can say how long it was.
    "/admin/siaran/pratinjau": 64 * KIB,
    "/admin/gangguan/pasang": 64 * KIB,
    # A caption over Instagram's 2,200 characters still arrives, to be refused with its length.
    "/admin/konten/simpan": 64 * KIB,
}
HEADERS = {
    "Cache-Control": "no-store",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; "
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    ),
}


@dataclass(frozen=True, slots=True)
class Console:
    """Everything the pages use, built by the runtime."""

    settings: ConsoleSettings
    auth: Auth
    audit: Audit
    reports: OfficeReportSource  # every office's figures, or one office's (`for_office`)
    editor: Editor
    queue: DraftQueue
    knowledge: Callable[[], KnowledgeBase]  # the knowledge base as faq.yaml holds it now
    voices: Voices
    usage: Usage
    announcements: Broadcasts
    outage: OutageNotice
    studio: Studio  # Konten: the week's posts, reviewed and approved for publishing
    offices: Offices  # the office directory's names, and each office's figures


def html(body: str, status: int = 200) -> HTMLResponse:
    """An HTML page with the console's security headers."""
    return HTMLResponse(body, status_code=status, headers=HEADERS)


def redirect(to: str) -> RedirectResponse:
    """303 See Other, so a POST is followed by a GET."""
    return RedirectResponse(to, status_code=303, headers=HEADERS)


def forbidden() -> HTMLResponse:
    """403 with a short page."""
    return html(page("Tidak diizinkan", "<p>Permintaan ini ditolak.</p>", session=None), 403)


async def form_of(request: Request) -> dict[str, str]:
    """A url-encoded form body (the only kind the pages send)."""
    body = (await request.body()).decode("utf-8", errors="replace")
    return dict(parse_qsl(body, keep_blank_values=True))


def guarded(
    console: Console, handler: Handler, *, edit: bool = False, national: bool = False
) -> Callable[[Request], Awaitable[Response]]:
    """`handler` behind the session, CSRF and role checks; `national` for what every office
    shares (only an admin of every office changes it)."""

    async def endpoint(request: Request) -> Response:
        session = await console.auth.session(request.cookies.get(SESSION_COOKIE))
        if session is None:
            return redirect(LOGIN)
        form: dict[str, str] = {}
        if request.method == "POST":
            form = await form_of(request)
            if not csrf_ok(session, form.get("csrf")):
                return forbidden()
        if (edit and not session.can_edit) or (national and not session.can_edit_kb):
            return forbidden()
        return await handler(request, session, form)

    return endpoint


def scope(console: Console, request: Request, session: Session) -> str | None:
    """The office whose data a page shows: an office account's own, whatever the URL says;
    for an account of every office the `kantor` filter, when it names a known office
    (None: every office)."""
    if not session.every_office:
        return session.office
    wanted = request.query_params.get("kantor", "")
    return wanted if wanted in console.offices.names() else None


def not_found(session: Session, title: str) -> HTMLResponse:
    """404: another office's item answers as a missing one, so its existence stays hidden."""
    return html(page(title, "<p>Tidak ditemukan.</p>", session=session), 404)


def secure(request: Request) -> bool:
    """Cookies are `Secure` when the browser came over HTTPS (directly or via the proxy)."""
    return request.url.scheme == "https"


def login_page(
    console: Console, request: Request, *, error: str = "", status: int = 200, name: str = ""
) -> Response:
    """The login form with a fresh token, and its nonce cookie."""
    nonce, token = console.auth.login_nonce()
    response = html(pages.login(token, error=error, name=name), status)
    response.set_cookie(
        LOGIN_COOKIE,
        nonce,
        max_age=1800,
        path="/admin",
        httponly=True,
        secure=secure(request),
        samesite="strict",
    )
    return response


async def login(console: Console, request: Request) -> Response:
    """Check the form's token, then the name and password (throttled)."""
    form = await form_of(request)
    if not console.auth.login_form_ok(request.cookies.get(LOGIN_COOKIE), form.get("csrf")):
        return forbidden()
    client = request.client.host if request.client else "?"
    name = form.get("username", "")
    result = await console.auth.login(name, form.get("password", ""), client=client)
    if result.error:
        status = 429 if result.throttled else 401
        return login_page(console, request, error=result.error, status=status, name=name)
    response = redirect("/admin/")
    response.delete_cookie(LOGIN_COOKIE, path="/admin")
    response.set_cookie(
        SESSION_COOKIE,
        result.cookie,
        path="/admin",
        httponly=True,
        secure=secure(request),
        samesite="lax",
        max_age=int(console.auth.lifetime.total_seconds()),
    )
    return response


def routes(console: Console) -> list[Route]:
    """Login, logout, Ringkasan, Belum terjawab, the audit log and undo."""
    pages = _Pages(console)
    return [
        Route("/login", pages.show_login, methods=["GET"]),
        Route("/login", pages.do_login, methods=["POST"]),
        Route("/keluar", guarded(console, pages.logout), methods=["POST"]),
        Route("/", guarded(console, pages.overview), methods=["GET"]),
        Route("/belum-terjawab", guarded(console, pages.missing), methods=["GET"]),
        Route("/kantor", guarded(console, pages.offices), methods=["GET"]),
        Route("/audit", guarded(console, pages.audit, edit=True, national=True), methods=["GET"]),
        Route("/urungkan", guarded(console, pages.undo, national=True), methods=["POST"]),
    ]


class _Pages:
    def __init__(self, console: Console) -> None:
        self.c = console

    async def show_login(self, request: Request) -> Response:
        return login_page(self.c, request)

    async def do_login(self, request: Request) -> Response:
        return await login(self.c, request)

    async def logout(self, request: Request, session: Session, form: Form) -> Response:
        await self.c.auth.logout(request.cookies.get(SESSION_COOKIE))
        response = redirect(LOGIN)
        response.delete_cookie(SESSION_COOKIE, path="/admin")
        return response

    async def overview(self, request: Request, session: Session, form: Form) -> Response:
        """Ringkasan of every office, or of one (an office account's own, or the filter's)."""
        days = _days(request.query_params.get("hari"), default=1)
        office = scope(self.c, request, session)
        titles = {e.id: e.title for e in self.c.knowledge().entries}
        report = await summary(
            self.c.reports.for_office(office),
            days=days,
            now=_now(),
            zone=self.c.settings.zone,
            remind_after=self.c.settings.remind_after,
            titles=titles,
        )
        # The charts of one day are one bar: the table says it better.
        drawn = await asyncio.to_thread(charts, report) if days > 1 else []
        picker = pages_offices.picker(self.c.offices.names(), office, session, "/admin/")
        filtered = office if session.every_office else None  # kept in the period links
        return html(pages.summary(report, days, session, drawn, picker=picker, office=filtered))

    async def offices(self, request: Request, session: Session, form: Form) -> Response:
        days = _days(request.query_params.get("hari"), default=30)
        names = self.c.offices.names()
        if not session.every_office or not names:
            return html(pages_offices.comparison([], names, days, session))
        period = last_days(days, now=_now(), zone=self.c.settings.zone)
        rows = await self.c.offices.figures(period.since, period.until)
        return html(pages_offices.comparison(rows, names, days, session))

    async def missing(self, request: Request, session: Session, form: Form) -> Response:
        days = _days(request.query_params.get("hari"), default=30)
        office = scope(self.c, request, session)
        source = self.c.reports if office is None else self.c.offices.unanswered_at(office)
        found = await unanswered(source, days=days, now=_now(), zone=self.c.settings.zone)
        titles = {e.id: e.title for e in self.c.knowledge().entries}
        picker = pages_offices.picker(self.c.offices.names(), office, session, request.url.path)
        return html(pages.unanswered(found, titles, days, session, picker=picker))

    async def audit(self, request: Request, session: Session, form: Form) -> Response:
        rows = await self.c.audit.recent()
        return html(pages.audit(rows, session, undo=self.c.editor.kb.can_undo()))

    async def undo(self, request: Request, session: Session, form: Form) -> Response:
        outcome = await self.c.editor.undo(session.name)
        message = "Perubahan terakhir diurungkan." if outcome.ok else outcome.errors[""][0]
        rows = await self.c.audit.recent()
        return html(pages.audit(rows, session, message=message, undo=self.c.editor.kb.can_undo()))


def _days(raw: str | None, *, default: int) -> int:
    return int(raw) if raw and raw.isdigit() and int(raw) in PERIODS else default


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)
