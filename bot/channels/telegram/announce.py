"""Announcements on Telegram: the admins' /umumkan (preview, then Kirim or Batal) and the
`Broadcaster` that sends announcements to Telegram subscribers."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from functools import partial

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest, TelegramError
from telegram.ext import CallbackQueryHandler, CommandHandler, ContextTypes

from bot.announcements.service import Announcements, problem
from bot.announcements.vocabulary import SENT, NotSent, SendResult
from bot.channels.telegram import staff_text
from bot.channels.telegram.channel import CHANNEL, TelegramApp, with_retry
from bot.channels.telegram.guard import is_admin
from bot.channels.telegram.render import render
from bot.core import replies
from bot.core.errors import DeliveryError
from bot.core.subscribing import UNSUBSCRIBE
from bot.core.vocabulary import Button, Reply

logger = logging.getLogger(__name__)

SEND, CANCEL = "ann:send:", "ann:cancel:"
_BUTTON = re.compile(r"^ann:(send|cancel):(\d+)$")
_TEXT = re.compile(r"^/umumkan(?:@\w+)?(?:\s+(.*))?$", re.S)


class TelegramBroadcaster:
    """Sends announcements through the application's bot, so PTB's rate limiter paces them
    together with every other message of this process (within Telegram's ~30/s)."""

    def __init__(self, application: TelegramApp) -> None:
        self._application = application

    async def send(self, chat_id: str, text: str) -> SendResult:
        """One announcement to one private chat, with a button to unsubscribe."""
        if not self._application.running:
            raise NotSent("Telegram is stopping")  # the sender gives the row back
        reply = Reply(text, buttons=(Button(replies.UNSUBSCRIBE_BUTTON, UNSUBSCRIBE),))
        (part,) = render(reply)  # announcements are limited to one message
        send = partial(
            self._application.bot.send_message,
            int(chat_id),
            part.text,
            parse_mode=ParseMode.HTML,
            reply_markup=part.markup,
        )
        try:
            message = await with_retry(send)
        except BadRequest as exc:  # e.g. chat not found: retrying will not help
            return SendResult("failed", str(exc))
        except TelegramError as exc:  # network or rate limit after PTB's own retries
            if not self._application.running:
                # Cut short by our own shutdown (the client closed under it): hand the row
                # back at once rather than after the lease; either way it is sent again.
                raise NotSent("Telegram stopped during the send") from exc
            raise DeliveryError(f"Telegram: {type(exc).__name__}") from exc
        if message is None:  # with_retry gives None only when the chat blocked the bot
            return SendResult("failed", "blocked the bot", unsubscribe=True)
        return SENT


def preview_buttons(announcement_id: int) -> InlineKeyboardMarkup:
    """Kirim and Batal under a preview."""
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    replies.ANNOUNCE_SEND_BUTTON, callback_data=f"{SEND}{announcement_id}"
                ),
                InlineKeyboardButton(
                    replies.ANNOUNCE_CANCEL_BUTTON, callback_data=f"{CANCEL}{announcement_id}"
                ),
            ]
        ]
    )


class AnnounceHandlers:
    """/umumkan and its buttons, for the configured admins only (others are refused and
    logged, as for the other admin commands)."""

    def __init__(
        self,
        admin_ids: frozenset[int],
        announcements: Announcements,
        *,
        hash_user: Callable[[str], str],
    ) -> None:
        self._admins = admin_ids
        self._announcements = announcements
        self._hash_user = hash_user

    def register(self, application: TelegramApp) -> None:
        """Add the command and the preview buttons."""
        application.add_handler(CommandHandler("umumkan", self.on_command))
        application.add_handler(CallbackQueryHandler(self.on_button, pattern=_BUTTON))

    async def on_command(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/umumkan TEKS: store a draft and show the preview with Kirim / Batal."""
        message, chat = update.effective_message, update.effective_chat
        user = update.effective_user
        if message is None or user is None or chat is None:
            return
        if not is_admin(user.id, self._admins, "/umumkan", self._hash_user):
            await with_retry(lambda: message.reply_text(staff_text.NOT_ADMIN))
            return
        found = _TEXT.match(message.text or "")
        text = (found.group(1) or "") if found else ""
        if reason := problem(text):
            await with_retry(lambda: message.reply_text(reason))
            return
        draft = await self._announcements.draft(
            text, channel=CHANNEL, chat_id=str(chat.id), user_id=str(user.id)
        )
        markup = preview_buttons(draft.announcement.id)
        await with_retry(lambda: message.reply_text(draft.preview(), reply_markup=markup))

    async def on_button(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Kirim or Batal pressed under a preview."""
        query, user = update.callback_query, update.effective_user
        found = _BUTTON.match(query.data or "") if query is not None else None
        if query is None or user is None or found is None:
            return
        if not is_admin(user.id, self._admins, "umumkan button", self._hash_user):
            await with_retry(lambda: query.answer(staff_text.NOT_ADMIN, show_alert=True))
            return
        number = int(found.group(2))
        if found.group(1) == "send":
            recipients = await self._announcements.confirm(number)
            done = None
            if recipients is not None:
                done = replies.ANNOUNCE_SENDING.format(number=number, count=recipients)
        else:
            cancelled = await self._announcements.cancel(number)
            done = replies.ANNOUNCE_CANCELLED.format(number=number) if cancelled else None
        result = done or await self._stale(number)
        await with_retry(lambda: query.answer(result, show_alert=done is None))
        if isinstance(query.message, Message):
            await self._close_preview(query.message, result)

    async def _stale(self, number: int) -> str:
        """Why a button no longer applies (pressed twice, or by two admins at once)."""
        announcement = await self._announcements.get(number)
        status = announcement.status if announcement else "cancelled"
        return replies.ANNOUNCE_STALE.format(
            number=number, status=replies.ANNOUNCE_STATUS.get(status, status)
        )

    async def _close_preview(self, preview: Message, result: str) -> None:
        """Show the outcome under the preview and remove the buttons."""
        body = (preview.text or "").rsplit("\n\n", 1)[0]  # drops the "Kirim sekarang?" line
        try:
            await with_retry(partial(preview.edit_text, f"{body}\n\n{result}", reply_markup=None))
        except BadRequest as exc:
            # Another admin's press already showed the same outcome.
            if "not modified" not in str(exc).lower():
                raise
