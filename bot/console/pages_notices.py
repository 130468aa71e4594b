"""Siaran and Gangguan: an announcement composed, previewed as Telegram and WhatsApp will show
it and sent (as `/umumkan`), and the outage notice set or cleared (as `/gangguan`). Their texts
were redacted by the services when stored and are shown exactly as applicants get them (`esc`,
not `said`: `said` would also hide the office's own contacts, which applicants do see)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from bot.announcements.offices import OfficeNames
from bot.announcements.sender import applicant_text
from bot.announcements.service import MAX_TEXT, AnnouncementDraft
from bot.console.html import csrf_field, esc, notice, page
from bot.console.preview import TELEGRAM_MAX, WHATSAPP_BUTTONS_MAX, Limit
from bot.console.vocabulary import Session
from bot.core import replies
from bot.core.turns import WIB
from bot.core.vocabulary import Notice

SIARAN = "/admin/siaran"
GANGGUAN = "/admin/gangguan"
# Outside the 24-hour window WhatsApp takes only an approved template, whose one parameter is
# a single line of at most this many characters (`bot.channels.whatsapp.render`).
WHATSAPP_TEMPLATE_MAX = 1000
# The notice goes out under a header as a message of its own: one Telegram message holds it,
# as it held the text of a `/gangguan TEKS` command.
OUTAGE_MAX = 3500
STATUS = {
    "draft": "draf",
    "sending": "sedang dikirim",
    "done": "selesai dikirim",
    "cancelled": "dibatalkan",
}


@dataclass(frozen=True, slots=True)
class SentAnnouncement:
    """An announcement sent from the console: who sent it when (the audit log), its state now
    (the announcements service) and the sender's report once it is done."""

    number: int
    at: dt.datetime
    who: str
    recipients: str  # as the audit row says, "dikirim ke N pelanggan"
    text: str
    status: str
    report: str | None
    audience: str | None = None  # the office's name, "semua kantor"; None with no offices


@dataclass(frozen=True, slots=True)
class Audiences:
    """Whom the signed-in account may announce to: its own office only (`own`), or, for an
    account of every office, every office or one of `offices` (none: no directory)."""

    offices: OfficeNames = field(default_factory=OfficeNames)
    own: str | None = None


@dataclass(frozen=True, slots=True)
class Compose:
    """The form as typed (the text and the office chosen), a fresh draft's preview, and what
    just happened."""

    text: str = ""
    draft: AnnouncementDraft | None = None
    message: str = ""
    warning: str = ""
    office_id: str | None = None


def announcements(
    shown: Compose,
    sent: Sequence[SentAnnouncement],
    session: Session,
    audiences: Audiences,
) -> str:
    """Siaran: a fresh draft's preview, the form (admins) and the announcements sent."""
    preview = _preview(shown.draft, session) if shown.draft is not None else ""
    body = (
        notice(shown.message)
        + notice(shown.warning, kind="warn")
        + preview
        + _compose(shown, session, audiences)
        + "<h2>Pengumuman terkirim dari konsol</h2>"
        + _sent(sent)
    )
    return page("Siaran", body, session=session, here=SIARAN)


def _compose(shown: Compose, session: Session, audiences: Audiences) -> str:
    if not session.can_edit:
        return "<p class=muted>Hanya admin yang dapat mengirim pengumuman.</p>"
    label = "Ubah teks lalu pratinjau lagi" if shown.draft is not None else "Teks pengumuman"
    return (
        f"<form method=post action={SIARAN}/pratinjau class=card>{csrf_field(session)}"
        f"{_audience_field(audiences, shown.office_id)}"
        f"<label for=teks>{label}</label>"
        f"<p class=muted>{_whom(audiences)}, maksimal {MAX_TEXT} karakter. Data pribadi "
        "(NIK, nomor selain kontak kantor) disamarkan, seperti pada /umumkan.</p>"
        f"<textarea id=teks name=teks rows=8>{esc(shown.text)}</textarea>"
        "<button type=submit class=light>Pratinjau</button></form>"
    )


def _whom(audiences: Audiences) -> str:
    if audiences.own is not None:
        return f"Untuk pelanggan info {esc(audiences.offices.name(audiences.own))}"
    if audiences.offices.names:
        return "Untuk pelanggan info kantor yang dipilih"
    return "Untuk semua pelanggan info"


def _audience_field(audiences: Audiences, chosen: str | None) -> str:
    """An account of one office sends to it alone; one of every office picks (no directory:
    nothing to pick, everyone gets it)."""
    if audiences.own is not None or not audiences.offices.names:
        return ""
    by_name = sorted(audiences.offices.names.items(), key=lambda item: item[1])
    options = [("", audiences.offices.name(None).capitalize()), *by_name]
    listed = "".join(
        f'<option value="{esc(value)}"{" selected" if value == (chosen or "") else ""}>'
        f"{esc(name)}</option>"
        for value, name in options
    )
    return f"<label for=kantor>Kantor</label><select id=kantor name=kantor>{listed}</select>"


def _preview(draft: AnnouncementDraft, session: Session) -> str:
    number, text = draft.announcement.id, draft.announcement.text
    message = applicant_text(text)
    count = sum(draft.subscribers.values())
    channels = ", ".join(f"{name} {n}" for name, n in sorted(draft.subscribers.items()))
    whom = (
        f"<p>Untuk pelanggan <strong>{esc(draft.audience)}</strong>.</p>" if draft.audience else ""
    )
    return (
        f"<div class=card><h2>Pratinjau pengumuman #{number}</h2>{whom}"
        f"<p>Akan dikirim ke <strong>{count} pelanggan</strong> ({esc(channels or '-')}).</p>"
        f"<div class=cols><div><h2>Telegram</h2>{_bubble(message, button=True)}</div>"
        f"<div><h2>WhatsApp</h2>{_whatsapp(message)}</div></div>"
        f"<h2>Panjang</h2>{_limits(text, message)}{_decide(number, session)}</div>"
    )


def _bubble(text: str, *, button: bool) -> str:
    key = f"<div><span class=key>{esc(replies.UNSUBSCRIBE_BUTTON)}</span></div>" if button else ""
    return f"<div class=bubble>{esc(text)}</div>{key}"


def _whatsapp(message: str) -> str:
    if len(message) <= WHATSAPP_BUTTONS_MAX:
        window = _bubble(message, button=True)
    else:  # the channel sends the text alone, then the button under a short line
        window = _bubble(message, button=False) + _bubble(replies.WA_CHOOSE, button=True)
    return (
        "<p class=muted>Dalam 24 jam sejak pesan terakhir pelanggan:</p>"
        + window
        + "<p class=muted>Lewat 24 jam: hanya lewat templat yang disetujui, teks menjadi satu "
        "baris (tanpa templat, pelanggan itu dilewati):</p>"
        + f"<div class=bubble>{esc(one_line(message, WHATSAPP_TEMPLATE_MAX))}</div>"
    )


def one_line(text: str, limit: int) -> str:
    """The text as a template parameter: one line, cut at a word as the WhatsApp channel
    cuts it."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat.rfind(" ", 0, limit)
    head = flat[:cut] if cut > limit // 2 else flat[: limit - 1]
    return head.rstrip(" ,.;:-/(") + "…"


def _limits(text: str, message: str) -> str:
    flat = len(" ".join(message.split()))
    limits = (
        (Limit("Teks pengumuman (batas /umumkan)", len(text), MAX_TEXT), "terlalu panjang"),
        (Limit("Pesan Telegram", len(message), TELEGRAM_MAX), "terlalu panjang"),
        (
            Limit("WhatsApp, pesan dengan tombol", len(message), WHATSAPP_BUTTONS_MAX),
            "teks dan tombol dikirim terpisah",
        ),
        (Limit("WhatsApp, templat", flat, WHATSAPP_TEMPLATE_MAX), "dipotong"),
    )
    items = "".join(
        f"<li{' class=over' if limit.over else ''}>{esc(limit.label)}: {limit.length} / "
        f"{limit.limit} karakter{f' — {esc(over)}' if limit.over else ''}</li>"
        for limit, over in limits
    )
    return f"<ul>{items}</ul>"


def _decide(number: int, session: Session) -> str:
    hidden = f'{csrf_field(session)}<input type=hidden name=id value="{number}">'
    return (
        f"<form method=post action={SIARAN}/kirim style=display:inline>{hidden}"
        f"<button type=submit>{esc(replies.ANNOUNCE_SEND_BUTTON)}</button></form>"
        f"<form method=post action={SIARAN}/batal style=display:inline>{hidden}"
        f"<button type=submit class=light>{esc(replies.ANNOUNCE_CANCEL_BUTTON)}</button></form>"
    )


def _sent(sent: Sequence[SentAnnouncement]) -> str:
    if not sent:
        return "<p class=muted>Belum ada pengumuman yang dikirim dari konsol.</p>"
    # Cards rather than a table: the report and the text stay readable on a phone.
    return "".join(
        f"<div class=card><span class=muted>#{s.number} · {esc(_when(s.at))} · oleh "
        f"{esc(s.who)}{_for(s.audience)}</span>"
        f"<p><strong>{esc(STATUS.get(s.status, s.status))}</strong> · "
        f"{esc(s.recipients)}</p><details><summary>{esc(_head(s.text))}</summary>"
        f"<div class=bubble>{esc(s.text)}</div></details>{_report(s.report)}</div>"
        for s in sent
    )


def _for(audience: str | None) -> str:
    return f" · untuk {esc(audience)}" if audience else ""


def _report(report: str | None) -> str:
    return f"<pre>{esc(report)}</pre>" if report else ""


def _head(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= 60 else flat[:59] + "…"


def outage(
    current: Notice | None,
    session: Session,
    *,
    text: str = "",
    message: str = "",
    warning: str = "",
) -> str:
    """Gangguan: the notice now, as applicants see it, and the forms to set or clear it."""
    typed = text or (current.text if current is not None else "")
    body = (
        notice(message)
        + notice(warning, kind="warn")
        + _current(current, session)
        + _pin_form(typed, session, pinned=current is not None)
    )
    return page("Gangguan", body, session=session, here=GANGGUAN)


def _current(current: Notice | None, session: Session) -> str:
    if current is None:
        return "<p class=card>Tidak ada info gangguan yang terpasang.</p>"
    since = current.set_at.astimezone(WIB).strftime("%d/%m %H.%M WIB")  # as the bot says it
    shown = replies.OUTAGE.format(since=since, text=current.text)
    clear = ""
    if session.may_act_on(None):
        clear = (
            f"<form method=post action={GANGGUAN}/cabut>{csrf_field(session)}"
            "<button type=submit>Cabut info gangguan</button></form>"
        )
    return (
        f"<div class=card><p>Terpasang sejak {esc(_when(current.set_at))} oleh "
        f"{esc(current.set_by)}. Jawaban tentang aplikasi dan jawaban “belum bisa” kini "
        f"diawali dengan:</p><div class=bubble>{esc(shown)}</div>{clear}</div>"
    )


def _pin_form(text: str, session: Session, *, pinned: bool) -> str:
    if not session.can_edit:
        return "<p class=muted>Hanya admin yang dapat memasang atau mencabut info gangguan.</p>"
    if not session.may_act_on(None):
        return (
            "<p class=muted>Info gangguan berlaku untuk semua kantor: hanya admin semua kantor "
            "yang dapat memasang atau mencabutnya.</p>"
        )
    label = "Ganti info gangguan" if pinned else "Pasang info gangguan"
    return (
        f"<form method=post action={GANGGUAN}/pasang class=card>{csrf_field(session)}"
        "<label for=teks>Teks info gangguan M-Paspor</label>"
        f"<p class=muted>Sama dengan /gangguan TEKS, maksimal {OUTAGE_MAX} karakter; menulis "
        "“selesai” mencabutnya, seperti /gangguan selesai.</p>"
        f"<textarea id=teks name=teks rows=4>{esc(text)}</textarea>"
        f"<button type=submit>{label}</button></form>"
    )


def _when(at: dt.datetime) -> str:
    return at.astimezone(WIB).strftime("%d-%m-%Y %H:%M WIB")
