"""Hand a ticket to another office's officers (`/pindah N kantor`): the ticket changes office
in one step, both offices' groups see it, and the applicant is told who answers now.

Which group may hand a ticket over is the staff chat's business; this module moves it and
tells everyone. The office directory comes from the composition root.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from bot.core.escalation import Applicants, Escalation, Officers
from bot.core.privacy import visible
from bot.core.vocabulary import Reply, Ticket, TicketLookup, TicketMessage
from knowledge.offices import OfficeDirectory, OfficeProfile

# How much of the thread the new group is shown (the rest: /tiket N).
THREAD_MESSAGES = 10
NOTE_MOVED_AWAY = "➡ Tiket #{number} dipindah ke {office} oleh {officer}."
NOTE_MOVED_IN = "⬅ Tiket #{number} dipindah dari {origin} oleh {officer}."
NOTE_THREAD = "Percakapan sejauh ini:"
APPLICANT_MOVED = (
    "Pertanyaan Anda (tiket #{number}) kami teruskan ke {office}. "
    "Petugas di sana akan membalas di chat ini."
)
DEFAULT_ORIGIN = "grup petugas utama"
AUTHORS = {"applicant": "Pemohon", "officer": "Petugas", "bot": "Bot"}


class TicketMoves(TicketLookup, Protocol):
    """The ticket storage a handover needs (`bot.storage.Store`)."""

    async def move_ticket(
        self, ticket_id: int, *, to_office: str, from_office: str | None
    ) -> Ticket | None:
        """Hand the ticket to `to_office`, open again with no owner; None when it is closed,
        missing or no longer `from_office`'s."""
        ...

    async def ticket_context(self, ticket_id: int) -> tuple[str, ...] | None:
        """The earlier messages stored with the ticket."""
        ...

    async def ticket_messages(self, ticket_id: int, *, limit: int = 20) -> list[TicketMessage]:
        """The thread, oldest first (the last `limit` messages)."""
        ...


def find_office(offices: OfficeDirectory | None, words: str) -> OfficeProfile | None:
    """The office an officer typed: its id ("bandar-lampung"), its short name or the name
    without "Kantor Imigrasi" ("kotabumi", "Bandar Lampung"), in any case."""
    return offices.find(words) if offices is not None else None


def office_name(offices: OfficeDirectory | None, office_id: str | None) -> str:
    """How officers and applicants read an office: its short name (the id if unknown)."""
    if office_id is None:
        return DEFAULT_ORIGIN
    office = offices.get(office_id) if offices is not None else None
    return office.short_name if office is not None else office_id


class Handover:
    """Moves tickets between offices and tells both groups and the applicant."""

    def __init__(
        self,
        escalation: Escalation,
        tickets: TicketMoves,
        officers: Officers,
        applicants: Applicants,
        *,
        offices: OfficeDirectory | None,
    ) -> None:
        self._escalation = escalation
        self._tickets = tickets
        self._officers = officers
        self._applicants = applicants
        self.offices = offices

    async def move(self, ticket: Ticket, office: OfficeProfile, officer: str) -> Ticket | None:
        """Move `ticket` (as the officer saw it) to `office`; None when someone else moved or
        closed it first (of several racing moves exactly one wins)."""
        officer = visible(officer)  # bidi overrides in a name could reorder the note
        moved = await self._tickets.move_ticket(
            ticket.id, to_office=office.id, from_office=ticket.office_id
        )
        if moved is None:
            return None
        away = NOTE_MOVED_AWAY.format(number=ticket.id, office=office.short_name, officer=officer)
        await self._officers.post_note(ticket, away)  # `ticket` is still in the old office
        context = await self._tickets.ticket_context(ticket.id) or ()
        if await self._escalation.announce(moved, context):
            thread = await self._tickets.ticket_messages(ticket.id, limit=THREAD_MESSAGES)
            origin = office_name(self.offices, ticket.office_id)
            await self._officers.post_note(moved, _moved_in(moved, origin, officer, thread))
        told = APPLICANT_MOVED.format(number=ticket.id, office=office.short_name)
        await self._applicants.deliver(moved.channel, moved.chat_id, [Reply(told)])
        return moved


def _moved_in(ticket: Ticket, origin: str, officer: str, thread: Sequence[TicketMessage]) -> str:
    """The note under the ticket in its new group: where it came from, and the thread."""
    lines = [NOTE_MOVED_IN.format(number=ticket.id, origin=origin, officer=officer)]
    lines += ["", NOTE_THREAD]
    for message in thread:
        who = AUTHORS.get(message.author, message.author)
        if message.officer_name:
            who += f" {message.officer_name}"
        lines.append(f"• {who}: {message.text}")
    return "\n".join(lines)
