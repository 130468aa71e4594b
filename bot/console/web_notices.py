"""Siaran and Gangguan over HTTP (admins change, petugas read). An announcement goes through
the announcements service exactly as `/umumkan`: the same refusals (`problem`), a stored draft
with its preview, then confirmed or cancelled, and the same answer when a draft was already
decided. An account of one office (`admin_accounts.office_id`) announces to that office's
subscribers and sees and decides only its office's announcements; an account of every office
picks every office or one. The outage notice goes through the core's board as `/gangguan`:
it is national, so only an admin of every office pins or clears it. Every change is in the
audit log, and so is the sender's report on an announcement made here (`AuditedReports`):
the console is its creator's "chat"."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bot.announcements.service import problem
from bot.console import pages_notices
from bot.console.pages_notices import (
    GANGGUAN,
    OUTAGE_MAX,
    SIARAN,
    Audiences,
    Compose,
    SentAnnouncement,
)
from bot.console.vocabulary import Audit, AuditEntry, Session
from bot.console.web import Console, Form, guarded, html, redirect
from bot.core import replies as texts
from bot.core.vocabulary import Notice, Reply

# An announcement's `created_by` is "channel:chat:user"; the sender reports to that chat.
# Here the chat is the account; the user part is short so any account name fits the column.
CHANNEL, USER = "console", "web"
REPORTER = "(bot)"  # the report's author in the audit log; no account can have this name
DRAFTED, SENT, CANCELLED, REPORTED = (
    "draf-pengumuman",
    "kirim-pengumuman",
    "batal-pengumuman",
    "laporan-pengumuman",
)
PINNED, CLEARED = "pasang-gangguan", "cabut-gangguan"
TARGET = "pengumuman #{number}"
OUTAGE_TARGET = "info gangguan"
NUMBER = re.compile(r"#(\d+)")  # the report names its announcement (`ANNOUNCE_REPORT`)
RECENT = 10  # announcements listed
EMPTY = "Tulis dulu teks pengumumannya."
NOT_FOUND = "Pengumuman itu tidak ditemukan."
UNKNOWN_OFFICE = "Kantor itu tidak dikenal. Pilih kantor dari daftar."
OTHER_OFFICE = "Akun Anda hanya dapat mengirim pengumuman ke pelanggan {own}."
OUTAGE_EMPTY = "Tulis dulu teks info gangguannya (atau “selesai” untuk mencabutnya)."
OUTAGE_TOO_LONG = "Info gangguan terlalu panjang ({length} karakter). Maksimal {limit} karakter."
OUTAGE_NATIONAL = (
    "Info gangguan berlaku untuk pemohon semua kantor, jadi hanya admin semua kantor yang "
    "dapat memasang atau mencabutnya. Hubungi admin wilayah atau pusat."
)
OUTAGE_MESSAGES = {
    "dipasang": "Info gangguan dipasang.",
    "dicabut": "Info gangguan dicabut.",
    "tidak-ada": "Tidak ada info gangguan yang terpasang.",
}


def routes(console: Console) -> list[Route]:
    """Siaran and Gangguan, each a page and its actions."""
    siaran, gangguan = _Siaran(console), _Gangguan(console)
    return [
        Route("/siaran", guarded(console, siaran.show), methods=["GET"]),
        Route("/siaran/pratinjau", guarded(console, siaran.preview, edit=True), methods=["POST"]),
        Route("/siaran/kirim", guarded(console, siaran.send, edit=True), methods=["POST"]),
        Route("/siaran/batal", guarded(console, siaran.cancel, edit=True), methods=["POST"]),
        Route("/gangguan", guarded(console, gangguan.show), methods=["GET"]),
        Route("/gangguan/pasang", guarded(console, gangguan.pin, edit=True), methods=["POST"]),
        Route("/gangguan/cabut", guarded(console, gangguan.clear, edit=True), methods=["POST"]),
    ]


class AuditedReports:
    """`Applicants` for the console's channel: the sender's report on an announcement sent
    from the console, kept in the audit log beside the send it reports on."""

    def __init__(self, audit: Audit) -> None:
        self._audit = audit

    async def deliver(self, channel: str, chat_id: str, replies: Sequence[Reply]) -> None:
        """Record each report."""
        for reply in replies:
            found = NUMBER.search(reply.text)
            target = TARGET.format(number=found[1]) if found else TARGET.format(number="?")
            await self._audit.record(REPORTER, REPORTED, target, before=None, after=reply.text)


class _Siaran:
    def __init__(self, console: Console) -> None:
        self.c = console

    async def show(self, request: Request, session: Session, form: Form) -> Response:
        return await self._page(session, Compose(message=_sent_message(request.query_params)))

    async def preview(self, request: Request, session: Session, form: Form) -> Response:
        text, audiences = _typed(form), await self._audiences(session)
        office, refusal = _office(form, audiences)
        if refusal is not None:  # another office (a forged form) or one that is not served
            forbidden = audiences.own is not None
            shown = Compose(text, warning=refusal)
            return await self._page(session, shown, status=403 if forbidden else 400)
        if reason := problem(text):
            # The rule is the service's; only its wording of "empty" speaks of the command.
            warning = EMPTY if reason == texts.ANNOUNCE_USAGE else reason
            shown = Compose(text, warning=warning, office_id=office)
            return await self._page(session, shown, status=400)
        draft = await self.c.announcements.draft(
            text, channel=CHANNEL, chat_id=session.name, user_id=USER, office_id=office
        )
        target = TARGET.format(number=draft.announcement.id)
        after = draft.announcement.text
        await self.c.audit.record(session.name, DRAFTED, target, before=None, after=after)
        # The form is refilled with the text as stored (redacted), the one that would be sent.
        return await self._page(session, Compose(after, draft, office_id=office))

    async def send(self, request: Request, session: Session, form: Form) -> Response:
        number, scope = _number(form), (await self._audiences(session)).own
        recipients = await self.c.announcements.confirm(number, scope=scope) if number else None
        if recipients is None:
            return await self._stale(session, number, scope)
        after = f"dikirim ke {recipients} pelanggan"
        target = TARGET.format(number=number)
        await self.c.audit.record(session.name, SENT, target, before="draf", after=after)
        return redirect(f"{SIARAN}?dikirim={number}&ke={recipients}")

    async def cancel(self, request: Request, session: Session, form: Form) -> Response:
        number, scope = _number(form), (await self._audiences(session)).own
        if not number or not await self.c.announcements.cancel(number, scope=scope):
            return await self._stale(session, number, scope)
        target = TARGET.format(number=number)
        await self.c.audit.record(session.name, CANCELLED, target, before="draf", after=None)
        return redirect(f"{SIARAN}?dibatalkan={number}")

    async def _stale(self, session: Session, number: int, scope: str | None) -> Response:
        """Why Kirim or Batal no longer applies, worded as on Telegram; another office's
        announcement is not found, as it is not listed either."""
        found = await self.c.announcements.get(number) if number else None
        if found is None or not found.within(scope):
            return await self._page(session, Compose(warning=NOT_FOUND), status=404)
        status = texts.ANNOUNCE_STATUS.get(found.status, found.status)
        warning = texts.ANNOUNCE_STALE.format(number=number, status=status)
        return await self._page(session, Compose(warning=warning), status=409)

    async def _audiences(self, session: Session) -> Audiences:
        """The signed-in account's office, read from its row (`admin_accounts.office_id`)."""
        own = await self.c.announcements.account_office(session.name)
        return Audiences(self.c.announcements.offices, own)

    async def _page(self, session: Session, shown: Compose, *, status: int = 200) -> Response:
        audiences = await self._audiences(session)
        rows = await self.c.audit.recent()
        reports = {r.target: r.after for r in rows if r.action == REPORTED}
        sent: list[SentAnnouncement] = []
        for row in (r for r in rows if r.action == SENT):
            if len(sent) == RECENT:
                break
            state = await self._state(row, reports.get(row.target), audiences)
            if state is not None:  # another office's send is not listed
                sent.append(state)
        return html(pages_notices.announcements(shown, sent, session, audiences), status)

    async def _state(
        self, row: AuditEntry, report: str | None, audiences: Audiences
    ) -> SentAnnouncement | None:
        """The send as listed now; None when it is another office's."""
        number = int(row.target.rpartition("#")[2])
        found = await self.c.announcements.get(number)
        if found is not None and not found.within(audiences.own):
            return None
        text, status = (found.text, found.status) if found is not None else ("", "?")
        audience = audiences.offices.audience(found.office_id if found is not None else None)
        return SentAnnouncement(
            number, row.at, row.who, row.after or "", text, status, report, audience
        )


class _Gangguan:
    def __init__(self, console: Console) -> None:
        self.c = console

    async def show(self, request: Request, session: Session, form: Form) -> Response:
        message = OUTAGE_MESSAGES.get(request.query_params.get("pesan", ""), "")
        return await self._page(session, message=message)

    async def pin(self, request: Request, session: Session, form: Form) -> Response:
        text = _typed(form).strip()
        if not session.may_act_on(None):  # an office account: the notice is national
            return await self._page(session, text=text, warning=OUTAGE_NATIONAL, status=403)
        if text.casefold() == "selesai":  # as `/gangguan selesai`
            return await self.clear(request, session, form)
        if warning := _outage_problem(text):
            return await self._page(session, text=text, warning=warning, status=400)
        before = await self.c.outage.current()
        pinned = await self.c.outage.pin(text, session.name)
        await self.c.audit.record(
            session.name, PINNED, OUTAGE_TARGET, before=_text(before), after=pinned.text
        )
        return redirect(f"{GANGGUAN}?pesan=dipasang")

    async def clear(self, request: Request, session: Session, form: Form) -> Response:
        if not session.may_act_on(None):
            return await self._page(session, warning=OUTAGE_NATIONAL, status=403)
        before = await self.c.outage.current()
        if not await self.c.outage.clear():
            return redirect(f"{GANGGUAN}?pesan=tidak-ada")
        await self.c.audit.record(
            session.name, CLEARED, OUTAGE_TARGET, before=_text(before), after=None
        )
        return redirect(f"{GANGGUAN}?pesan=dicabut")

    async def _page(
        self,
        session: Session,
        *,
        text: str = "",
        message: str = "",
        warning: str = "",
        status: int = 200,
    ) -> Response:
        current = await self.c.outage.current()
        shown = pages_notices.outage(current, session, text=text, message=message, warning=warning)
        return html(shown, status)


def _typed(form: Form) -> str:
    # Browsers send a textarea's line breaks as CRLF; Telegram, and the limits, count "\n".
    return form.get("teks", "").replace("\r\n", "\n")


def _office(form: Form, audiences: Audiences) -> tuple[str | None, str | None]:
    """The office chosen in the form (None: every office), and why it may not be (None)."""
    typed = form.get("kantor", "")
    if audiences.own is not None:
        if typed not in ("", audiences.own):  # a forged form: the page offers no choice
            return audiences.own, OTHER_OFFICE.format(own=audiences.offices.name(audiences.own))
        return audiences.own, None
    if not typed:
        return None, None
    if typed not in audiences.offices.names:
        return None, UNKNOWN_OFFICE
    return typed, None


def _number(form: Form) -> int:
    return _count(form.get("id", ""))


def _count(raw: str) -> int:
    """A positive number, or 0. Nine digits at most: a bigger one names no announcement and
    would overflow the database's integer column."""
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 9 else 0


def _sent_message(query: Mapping[str, str]) -> str:
    sent, count, cancelled = (_count(query.get(k, "")) for k in ("dikirim", "ke", "dibatalkan"))
    if sent and "ke" in query:
        return texts.ANNOUNCE_SENDING.format(number=sent, count=count)
    if cancelled:
        return texts.ANNOUNCE_CANCELLED.format(number=cancelled)
    return ""


def _outage_problem(text: str) -> str | None:
    if not text:
        return OUTAGE_EMPTY
    if len(text) > OUTAGE_MAX:
        return OUTAGE_TOO_LONG.format(length=len(text), limit=OUTAGE_MAX)
    return None


def _text(notice: Notice | None) -> str | None:
    return notice.text if notice is not None else None
