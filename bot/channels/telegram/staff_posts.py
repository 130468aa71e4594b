"""Ticket posts in the officers' groups: each ticket, and each note about it, goes to the
group of the office the ticket is in when it is sent (`StaffGroups`)."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.error import TelegramError

from bot.channels.telegram import staff_text
from bot.channels.telegram.channel import CHANNEL, TelegramApp, with_retry
from bot.channels.telegram.render import escape
from bot.channels.telegram.staff_groups import StaffGroups
from bot.core.vocabulary import Ticket, TicketPosts

logger = logging.getLogger(__name__)

CLAIM, CLOSE, FAQ = "t:claim:", "t:close:", "t:faq:"
# Applicants' texts may carry links: a preview in the group would fetch and show the page.
NO_PREVIEW = LinkPreviewOptions(is_disabled=True)


def ticket_buttons(ticket: Ticket) -> InlineKeyboardMarkup | None:
    """Ambil (only while nobody owns it), Tutup (until it is closed), and Jadikan FAQ once
    an officer has answered (closed tickets keep it: that is when answers get written up)."""
    row = []
    if not ticket.owner_id and ticket.status != "closed":
        row.append(
            InlineKeyboardButton(staff_text.CLAIM_BUTTON, callback_data=f"{CLAIM}{ticket.id}")
        )
    if ticket.status != "closed":
        row.append(
            InlineKeyboardButton(staff_text.CLOSE_BUTTON, callback_data=f"{CLOSE}{ticket.id}")
        )
    if ticket.first_reply_at is not None:
        row.append(InlineKeyboardButton(staff_text.FAQ_BUTTON, callback_data=f"{FAQ}{ticket.id}"))
    return InlineKeyboardMarkup([row]) if row else None


class TelegramOfficers:
    """Posts tickets and notes to the officers' groups and remembers which post shows which."""

    def __init__(
        self, application: TelegramApp, groups: StaffGroups, tickets: TicketPosts
    ) -> None:
        self._bot = application.bot
        self._groups = groups
        self._tickets = tickets

    async def post_ticket(self, ticket: Ticket, context: Sequence[str]) -> bool:
        """A new ticket, with Ambil/Tutup buttons; False when Telegram did not take it."""
        office = self._groups.office_name(ticket.office_id)
        body = staff_text.ticket_card(ticket, context, office=office)
        try:
            return await self._send(ticket, body, ticket_buttons(ticket))
        # RuntimeError: PTB's bot before it could initialise (Telegram was down at start-up).
        except (TelegramError, RuntimeError) as exc:
            logger.error("ticket #%s post refused by Telegram: %s", ticket.id, exc)
            return False

    async def post_note(self, ticket: Ticket, note: str) -> None:
        """A note about a ticket, in the group of `ticket.office_id`; replying to it answers
        the ticket too. A note left behind in a group the ticket has left gets no buttons."""
        fresh = await self._tickets.get_ticket(ticket.id) or ticket
        body = escape(staff_text.clip(note, staff_text.NOTE_CHARS, ticket.id))
        here = fresh.office_id == ticket.office_id
        await self._send(ticket, body, ticket_buttons(fresh) if here else None)

    async def _send(self, ticket: Ticket, body: str, markup: InlineKeyboardMarkup | None) -> bool:
        chat_id = self._groups.chat_for(ticket.office_id)
        if chat_id is None:
            logger.warning("ticket #%s: no officers' group for its office", ticket.id)
            return True  # as with no staff chat at all: stored, shown by /tiket elsewhere
        message = await with_retry(
            lambda: self._bot.send_message(
                chat_id,
                body,
                parse_mode=ParseMode.HTML,
                reply_markup=markup,
                link_preview_options=NO_PREVIEW,
            )
        )
        if message is None:  # the bot was removed from the group
            return False
        await self._tickets.link_post(ticket.id, CHANNEL, str(chat_id), str(message.message_id))
        return True
