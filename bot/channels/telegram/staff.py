"""Telegram for officers: each officers' group claims, answers, closes, lists and writes up
the tickets of its own office (`StaffGroups`), and politely refuses the others."""

from __future__ import annotations

import datetime as dt
import logging
import re
from functools import partial
from typing import TYPE_CHECKING, Protocol

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest
from telegram.ext import (
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.channels.telegram import staff_text
from bot.channels.telegram.channel import CHANNEL, TelegramApp, with_retry
from bot.channels.telegram.render import escape, split
from bot.channels.telegram.staff_groups import StaffGroups
from bot.channels.telegram.staff_posts import CLAIM, CLOSE, FAQ, NO_PREVIEW, ticket_buttons
from bot.core.escalation import Escalation
from bot.core.vocabulary import Ticket, TicketPosts, TicketThreads, record_id

if TYPE_CHECKING:
    from bot.suggestions.vocabulary import DraftAdded

logger = logging.getLogger(__name__)

HISTORY_MESSAGES = 200


class DraftQueue(Protocol):
    """Where "Jadikan FAQ" puts an answered ticket for review (`bot.storage.drafts.Drafts`)."""

    async def add_from_ticket(self, ticket_id: int, *, created_by: str) -> DraftAdded | None:
        """Queue the ticket's question and last officer answer, once while pending."""
        ...


class OfficerHandlers:
    """Claim, close, answer by reply or /jawab, list with /tiket, turn an answered ticket into
    an FAQ draft — in the officers' groups, each on its own office's tickets."""

    def __init__(
        self,
        escalation: Escalation,
        groups: StaffGroups,
        *,
        threads: TicketThreads,
        posts: TicketPosts,
        drafts: DraftQueue,
    ) -> None:
        self._escalation = escalation
        self._threads, self._posts = threads, posts
        self._groups = groups
        self._drafts = drafts

    def register(self, application: TelegramApp) -> None:
        """Add the group's handlers."""
        group = filters.Chat(self._groups.chats)
        application.add_handler(
            CallbackQueryHandler(self.on_button, pattern=r"^t:(claim|close|faq):\d+$")
        )
        application.add_handler(CommandHandler("jawab", self.on_answer_command, filters=group))
        application.add_handler(CommandHandler("tiket", self.on_list, filters=group))
        application.add_handler(CommandHandler("tutup", self.on_close_command, filters=group))
        application.add_handler(
            MessageHandler(group & filters.REPLY & filters.TEXT & ~filters.COMMAND, self.on_reply)
        )

    async def on_button(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Ambil, Tutup or Jadikan FAQ pressed on a ticket post."""
        query, user = update.callback_query, update.effective_user
        if query is None or query.data is None or user is None or not self._in_group(update):
            return
        ticket_id = record_id(query.data.rsplit(":", 1)[1])
        if ticket_id is None:
            # Forged or stale data naming no possible ticket still gets an answer, not a spinner.
            await with_retry(lambda: query.answer(staff_text.NO_SUCH_TICKET, show_alert=True))
            return
        refusal = await self.refusal(update, ticket_id)
        if refusal is not None:
            await with_retry(partial(query.answer, refusal, show_alert=True))
            return
        if query.data.startswith(CLAIM):
            claim = await self._escalation.claim(ticket_id, str(user.id), user.full_name)
            owner = claim.ticket.owner_name if claim.ticket else None
            notice = staff_text.claim_result(ticket_id, won=claim.won, owner=owner)
            ticket = claim.ticket
        elif query.data.startswith(CLOSE):
            ticket = await self._escalation.close(ticket_id)
            notice = staff_text.close_result(ticket_id, closed=ticket is not None)
            ticket = ticket or await self._threads.get_ticket(ticket_id)
        else:
            notice, ticket = await self._draft(ticket_id, user.full_name), None
        await with_retry(lambda: query.answer(notice, show_alert=notice.startswith("⚠")))
        if ticket is not None and isinstance(query.message, Message):
            await self._refresh(query.message, ticket)

    async def _draft(self, ticket_id: int, officer: str) -> str:
        """Put the answered ticket in the review queue; the post itself does not change."""
        added = await self._drafts.add_from_ticket(ticket_id, created_by=officer)
        if added is None:
            return staff_text.draft_result(ticket_id, None, created=False)
        return staff_text.draft_result(ticket_id, added.draft.id, created=added.created)

    async def _refresh(self, post: Message, ticket: Ticket) -> None:
        """Show the owner (or closure) on the post and drop buttons that no longer apply."""
        body = (post.text_html or "").split("\n\n" + staff_text.STATUS_MARK)[0]
        body += "\n\n" + staff_text.STATUS_MARK + escape(staff_text.status_line(ticket))
        edit = partial(
            post.edit_text,
            body,
            parse_mode=ParseMode.HTML,
            reply_markup=ticket_buttons(ticket),
            link_preview_options=NO_PREVIEW,
        )
        try:
            await with_retry(edit)
        except BadRequest as exc:
            # The other officer's press already showed the same owner: nothing to change.
            if "not modified" not in str(exc).lower():
                raise

    async def on_reply(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """An officer replied to a ticket post: that reply is the answer."""
        message, user = update.effective_message, update.effective_user
        if message is None or user is None or message.reply_to_message is None or not message.text:
            return
        ticket_id = await self._posts.ticket_for_post(
            CHANNEL, str(message.chat_id), str(message.reply_to_message.message_id)
        )
        if ticket_id is not None:
            await self._answer(message, ticket_id, str(user.id), user.full_name, message.text)

    async def on_answer_command(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/jawab N teks"""
        message, user = update.effective_message, update.effective_user
        found = re.match(
            r"^/jawab(?:@\w+)?\s+#?(\d+)\s+(.+)$", (message.text or "") if message else "", re.S
        )
        if message is None or user is None:
            return
        if not found:
            await with_retry(lambda: message.reply_text(staff_text.ANSWER_USAGE))
            return
        await self._answer(
            message,
            record_id(found.group(1)),
            str(user.id),
            user.full_name,
            found.group(2).strip(),
        )

    async def _answer(
        self, message: Message, ticket_id: int | None, officer_id: str, name: str, answer: str
    ) -> None:
        ticket = None
        refusal = await self._refusal(message.chat_id, ticket_id)
        if refusal is not None:
            await with_retry(partial(message.reply_text, refusal))
            return
        if ticket_id is not None:
            ticket = await self._escalation.answer(ticket_id, officer_id, name, answer)
        if ticket_id is None or ticket is None:
            refusal = (
                staff_text.answer_result(ticket_id, sent=False)
                if ticket_id
                else staff_text.NO_SUCH_TICKET
            )
            await with_retry(partial(message.reply_text, refusal))
            return
        confirmation = staff_text.answer_result(ticket_id, sent=True)
        # The post replied to now shows the owner and offers Jadikan FAQ. /jawab has no post
        # at hand (and the reply may be to an old note), so the confirmation offers it too.
        replied = message.reply_to_message
        if replied is not None and replied.from_user is not None and replied.from_user.is_bot:
            await self._refresh(replied, ticket)
        await with_retry(
            lambda: message.reply_text(confirmation, reply_markup=_faq_button(ticket.id))
        )

    async def on_close_command(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/tutup N"""
        message = update.effective_message
        found = re.match(
            r"^/tutup(?:@\w+)?\s+#?(\d+)\s*$", (message.text or "") if message else ""
        )
        if message is None:
            return
        if not found:
            await with_retry(lambda: message.reply_text(staff_text.CLOSE_USAGE))
            return
        ticket_id = record_id(found.group(1))
        refusal = await self._refusal(message.chat_id, ticket_id)
        if refusal is not None:
            await with_retry(partial(message.reply_text, refusal))
            return
        ticket = await self._escalation.close(ticket_id) if ticket_id is not None else None
        reply = (
            staff_text.close_result(ticket_id, closed=ticket is not None)
            if ticket_id
            else staff_text.NO_SUCH_TICKET
        )
        await with_retry(lambda: message.reply_text(reply))

    async def on_list(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/tiket: open tickets, oldest first; /tiket N: that ticket's whole thread."""
        message = update.effective_message
        if message is None:
            return
        found = re.match(r"^/tiket(?:@\w+)?\s+#?(\d{1,18})\s*$", message.text or "")
        if found:
            number = int(found.group(1))
            refusal = await self._refusal(message.chat_id, record_id(found.group(1)))
            listing = refusal or await self._history(number)
        else:
            mine = partial(self._groups.may_act, message.chat_id)
            tickets = [t for t in await self._threads.open_tickets() if mine(t)]
            listing = staff_text.ticket_list(tickets, now=dt.datetime.now(dt.UTC))
        for part in split(listing):
            await with_retry(partial(message.reply_text, part, link_preview_options=NO_PREVIEW))

    async def _history(self, ticket_id: int) -> str:
        tickets = self._threads
        ticket = await tickets.get_ticket(ticket_id)
        if ticket is None:
            return staff_text.NO_SUCH_TICKET
        context = await tickets.ticket_context(ticket_id) or ()
        thread = await tickets.ticket_messages(ticket_id, limit=HISTORY_MESSAGES)
        return staff_text.ticket_history(ticket, context, thread)

    def _in_group(self, update: Update) -> bool:
        chat = update.effective_chat
        return chat is not None and chat.id in self._groups.chats

    async def refusal(self, update: Update, ticket_id: int) -> str | None:
        """Why the group of this update may not act on the ticket (None: it may)."""
        chat = update.effective_chat
        return await self._refusal(chat.id if chat is not None else None, ticket_id)

    async def _refusal(self, chat_id: int | None, ticket_id: int | None) -> str | None:
        """Why this group may not act on the ticket; None when it may, or when there is no
        such ticket (each command says that in its own words)."""
        ticket = await self._threads.get_ticket(ticket_id) if ticket_id is not None else None
        if ticket is None or chat_id is None or self._groups.may_act(chat_id, ticket):
            return None
        return staff_text.elsewhere(ticket.id, self._groups.where(ticket))


def _faq_button(ticket_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(staff_text.FAQ_BUTTON, callback_data=f"{FAQ}{ticket_id}")]]
    )
