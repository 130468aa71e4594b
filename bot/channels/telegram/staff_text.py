"""What the bot says to officers and admins (Indonesian). Dynamic text is HTML-escaped."""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Sequence

from bot.core.privacy import visible
from bot.core.vocabulary import Ticket, TicketMessage

CLAIM_BUTTON = "🙋 Ambil"
CLOSE_BUTTON = "✅ Tutup"
FAQ_BUTTON = "📝 Jadikan FAQ"
STATUS_MARK = "📌 "
ANSWER_USAGE = "Cara menjawab: balas (reply) pesan tiket, atau ketik /jawab NOMOR teks jawaban."
CLOSE_USAGE = "Cara menutup: /tutup NOMOR"
NO_TICKETS = "Tidak ada tiket terbuka. 👍"
NO_SUCH_TICKET = "⚠ Tiket dengan nomor itu tidak ada."
NOT_ADMIN = "Maaf, perintah ini khusus admin."
RELOADED = "faq.yaml dimuat ulang: {count} entri (versi {version})."
RELOAD_FAILED = "faq.yaml TIDAK dimuat ulang; jawaban lama tetap dipakai.\n\n{error}"
OUTAGE_USAGE = (
    "Cara pakai: /gangguan TEKS untuk memasang info gangguan M-Paspor, "
    "/gangguan selesai untuk mencabutnya."
)
OUTAGE_SET = (
    "Info gangguan dipasang. Jawaban tentang aplikasi dan jawaban 'belum bisa' "
    "akan memuatnya:\n{text}"
)
OUTAGE_CLEARED = "Info gangguan dicabut."
OUTAGE_NONE = "Tidak ada info gangguan yang terpasang."
OUTAGE_UNAVAILABLE = "Info gangguan tidak tersedia di proses ini."
MOVE_USAGE = (
    "Cara memindah tiket ke kantor lain: /pindah NOMOR KANTOR, misalnya /pindah 12 kotabumi."
)
MOVE_NO_OFFICES = "⚠ Bot ini melayani satu kantor saja; tiket tidak bisa dipindah."
CONTINUED = " …(lanjutan di /tiket {number})"
# Budget of a ticket card: question + four earlier messages + labels stay under 4,096.
QUESTION_CHARS, CONTEXT_CHARS, NOTE_CHARS = 1500, 400, 3000
AUTHORS = {"applicant": "Pemohon", "officer": "Petugas", "bot": "Bot"}
STATUS_NAMES = {"open": "baru", "claimed": "diambil", "answered": "dijawab", "closed": "ditutup"}


def _e(value: str) -> str:
    # Bidi overrides in a name or question could reorder what the officers read.
    return html.escape(visible(value), quote=False)


def clip(value: str, limit: int, ticket_id: int) -> str:
    """`value` cut to about `limit` characters, pointing to /tiket N for the rest."""
    if len(value) <= limit:
        return value
    return value[:limit].rstrip() + CONTINUED.format(number=ticket_id)


def ticket_card(ticket: Ticket, context: Sequence[str], *, office: str | None = None) -> str:
    """The group post for a new ticket (HTML), naming its office when it has one. Telegram
    refuses posts over 4,096 characters, so the question and each earlier message are
    clipped: the card stays under ~3,500."""
    guesses = "; ".join(f"{c.faq_id} ({c.score:.2f})" for c in ticket.guesses) or "-"
    where = f" · {_e(office)}" if office else ""
    lines = [
        f"<b>🎫 Tiket #{ticket.id}</b> · {_e(ticket.channel)}{where}",
        f"<b>Pertanyaan:</b> {_e(clip(ticket.question, QUESTION_CHARS, ticket.id))}",
        f"<b>Tebakan bot:</b> {_e(guesses[:CONTEXT_CHARS])}",
    ]
    if context:
        lines.append("<b>Pesan sebelumnya:</b>")
        lines.extend(f"• {_e(clip(line, CONTEXT_CHARS, ticket.id))}" for line in context[-4:])
    lines.append("")
    lines.append(_e(f"Balas (reply) pesan ini untuk menjawab, atau /jawab {ticket.id} teks."))
    return "\n".join(lines)


def status_line(ticket: Ticket) -> str:
    """Who owns the ticket and where it stands."""
    status = STATUS_NAMES.get(ticket.status, ticket.status)
    owner = f" oleh {visible(ticket.owner_name)}" if ticket.owner_name else ""
    return f"Status: {status}{owner}"


def claim_result(ticket_id: int, *, won: bool, owner: str | None) -> str:
    """The toast shown to an officer who pressed Ambil."""
    if won:
        return f"Tiket #{ticket_id} sekarang Anda yang tangani."
    if owner:
        return f"⚠ Tiket #{ticket_id} sudah diambil oleh {owner}."
    return f"⚠ Tiket #{ticket_id} tidak bisa diambil (sudah ditutup atau tidak ada)."


def close_result(ticket_id: int, *, closed: bool) -> str:
    """The answer to Tutup."""
    if closed:
        return f"Tiket #{ticket_id} ditutup; pemohon sudah diberi tahu."
    return f"⚠ Tiket #{ticket_id} sudah ditutup atau tidak ada."


def answer_result(ticket_id: int, *, sent: bool) -> str:
    """The confirmation under an officer's answer."""
    if sent:
        return f"✅ Jawaban terkirim ke pemohon (tiket #{ticket_id})."
    return f"⚠ Tiket #{ticket_id} sudah ditutup atau tidak ada; jawaban tidak terkirim."


def draft_result(ticket_id: int, draft_id: int | None, *, created: bool) -> str:
    """The answer to Jadikan FAQ: the draft's number in the review queue."""
    if draft_id is None:
        return f"⚠ Tiket #{ticket_id} belum dijawab petugas atau tidak ada; draf tidak dibuat."
    if created:
        return f"Draf #{draft_id} masuk antrean tinjauan."
    return f"Draf #{draft_id} sudah ada di antrean tinjauan."


def ticket_list(tickets: Sequence[Ticket], *, now: dt.datetime) -> str:
    """/tiket: open tickets, oldest first (plain text)."""
    if not tickets:
        return NO_TICKETS
    lines = [f"Tiket terbuka: {len(tickets)}"]
    for ticket in tickets:
        minutes = int((now - ticket.created_at).total_seconds() // 60)
        owner = visible(ticket.owner_name or "belum diambil")
        question = ticket.question if len(ticket.question) <= 80 else ticket.question[:77] + "…"
        status = STATUS_NAMES.get(ticket.status, ticket.status)
        lines.append(f"#{ticket.id} · {status} · {owner} · {minutes} mnt · {question}")
    return "\n".join(lines)


def ticket_history(ticket: Ticket, context: Sequence[str], thread: Sequence[TicketMessage]) -> str:
    """/tiket N: the whole ticket (plain text, already redacted), for splitting into messages."""
    status = STATUS_NAMES.get(ticket.status, ticket.status)
    lines = [f"Tiket #{ticket.id} · {ticket.channel} · {status}"]
    if context:
        lines += ["", "Pesan sebelumnya:", *(f"• {line}" for line in context)]
    lines += ["", "Percakapan:"]
    for message in thread:
        who = AUTHORS.get(message.author, message.author)
        if message.officer_name:
            who += f" {message.officer_name}"
        stamp = message.created_at.strftime("%d/%m %H.%M UTC")
        lines += ["", f"[{stamp}] {who}:", message.text]
    return "\n".join(lines)


def elsewhere(ticket_id: int, where: str) -> str:
    """The refusal when a group acts on a ticket another group handles."""
    return f"⚠ Maaf, tiket #{ticket_id} ditangani {where}, bukan grup ini."


def unknown_office(words: str, known: Sequence[str]) -> str:
    """The answer to /pindah naming no office the bot serves."""
    return f'⚠ Kantor "{words}" tidak dikenal. Pilihan: {", ".join(known)}.'


def move_result(ticket_id: int, office: str, *, moved: bool) -> str:
    """The answer to /pindah."""
    if moved:
        return f"Tiket #{ticket_id} sudah dipindah ke {office}; pemohon sudah diberi tahu."
    return f"⚠ Tiket #{ticket_id} tidak dipindah: sudah ditutup atau dipindah petugas lain."


def move_refused(ticket_id: int, *, closed: bool, office: str | None = None) -> str:
    """/pindah of a closed ticket, or to the office it is already in."""
    if closed:
        return f"⚠ Tiket #{ticket_id} sudah ditutup; tiket yang sudah ditutup tidak dipindah."
    return f"⚠ Tiket #{ticket_id} sudah ditangani {office}."
