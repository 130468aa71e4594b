"""`/pindah N kantor` in an officers' group: hand one of the group's tickets to another
office (`bot.core.handover`), with a clear answer for every way it cannot be done."""

from __future__ import annotations

import re

from telegram import Update
from telegram.ext import CommandHandler, ContextTypes, filters

from bot.channels.telegram import staff_text
from bot.channels.telegram.channel import TelegramApp, with_retry
from bot.channels.telegram.staff_groups import StaffGroups
from bot.core.handover import Handover, find_office
from bot.core.vocabulary import Ticket, TicketLookup, record_id
from knowledge.offices import OfficeProfile

MOVE = re.compile(r"^/pindah(?:@\w+)?\s+#?(\d{1,18})\s+(.+?)\s*$", re.S)


class MoveHandler:
    """/pindah, in every officers' group, on the tickets that group handles."""

    def __init__(self, handover: Handover, groups: StaffGroups, tickets: TicketLookup) -> None:
        self._handover = handover
        self._groups = groups
        self._tickets = tickets

    def register(self, application: TelegramApp) -> None:
        """Add /pindah for the officers' groups."""
        group = filters.Chat(self._groups.chats)
        application.add_handler(CommandHandler("pindah", self.on_move, filters=group))

    async def on_move(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/pindah N kantor"""
        message, user = update.effective_message, update.effective_user
        if message is None or user is None:
            return
        answer = await self.move(message.chat_id, message.text or "", user.full_name)
        await with_retry(lambda: message.reply_text(answer))

    async def move(self, chat_id: int, text: str, officer: str) -> str:
        """Move the ticket `text` names, for an officer of the group `chat_id`; the answer."""
        found = MOVE.match(text)
        if self._handover.offices is None:
            return staff_text.MOVE_NO_OFFICES
        if found is None:
            return staff_text.MOVE_USAGE
        checked = await self._check(chat_id, found.group(1), found.group(2))
        if isinstance(checked, str):
            return checked
        ticket, office = checked
        moved = await self._handover.move(ticket, office, officer)
        return staff_text.move_result(ticket.id, office.short_name, moved=moved is not None)

    async def _check(
        self, chat_id: int, number: str, words: str
    ) -> tuple[Ticket, OfficeProfile] | str:
        """The ticket and the office to move it to, or why it cannot be moved."""
        ticket_id = record_id(number)
        ticket = await self._tickets.get_ticket(ticket_id) if ticket_id is not None else None
        if ticket is None:
            return staff_text.NO_SUCH_TICKET
        if not self._groups.may_act(chat_id, ticket):
            return staff_text.elsewhere(ticket.id, self._groups.where(ticket))
        office = find_office(self._handover.offices, words)
        if office is None:
            known = (
                [o.id for o in self._handover.offices.offices] if self._handover.offices else []
            )
            return staff_text.unknown_office(words[:60], known)
        if ticket.status == "closed":
            return staff_text.move_refused(ticket.id, closed=True)
        if office.id == ticket.office_id:
            return staff_text.move_refused(ticket.id, closed=False, office=office.short_name)
        return ticket, office
