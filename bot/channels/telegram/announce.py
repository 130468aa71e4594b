"""Announcements on Telegram: the admins' /umumkan (preview, then Kirim or Batal) and the
`Broadcaster` that sends announcements to Telegram subscribers.

An office admin (`TELEGRAM_OFFICE_ADMINS`) announces to their office's subscribers only and
may send or cancel only that office's announcements; an admin of every office
(`TELEGRAM_ADMIN_IDS`) announces to all, or to one office with `/umumkan kantor=ID TEKS`."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from functools import partial

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest, TelegramError
from telegram.ext import CallbackQueryHandler, CommandHandler, ContextTypes

from bot.announcements import texts
from bot.announcements.offices import choose
from bot.announcements.service import Announcements, problem
from bot.announcements.vocabulary import SENT, Announcement, NotSent, SendResult
from bot.channels.telegram import staff_text
from bot.channels.telegram.channel import CHANNEL, TelegramApp, with_retry
from bot.channels.telegram.render import render
from bot.channels.telegram.settings import TelegramSettings
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
    logged, as for the other admin commands), each within their office (module doc)."""

    def __init__(
        self,
        telegram: TelegramSettings,
        announcements: Announcements,
        *,
        hash_user: Callable[[str], str],
    ) -> None:
        self._telegram = telegram
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
        if not self._allowed(user.id, "/umumkan"):
            await with_retry(lambda: message.reply_text(staff_text.NOT_ADMIN))
            return
        found = _TEXT.match(message.text or "")
        own = self._telegram.office_of_admin(user.id)
        chosen = choose(
            self._announcements.offices, (found.group(1) or "") if found else "", own=own
        )
        if reason := chosen.refusal or problem(chosen.text):
            await with_retry(lambda: message.reply_text(reason))
            return
        draft = await self._announcements.draft(
            chosen.text,
            channel=CHANNEL,
            chat_id=str(chat.id),
            user_id=str(user.id),
            office_id=chosen.office_id,
        )
        markup = preview_buttons(draft.announcement.id)
        await with_retry(lambda: message.reply_text(draft.preview(), reply_markup=markup))

    async def on_button(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Kirim or Batal pressed under a preview."""
        query, user = update.callback_query, update.effective_user
        found = _BUTTON.match(query.data or "") if query is not None else None
        if query is None or user is None or found is None:
            return
        if not self._allowed(user.id, "umumkan button"):
            await with_retry(lambda: query.answer(staff_text.NOT_ADMIN, show_alert=True))
            return
        number, scope = int(found.group(2)), self._telegram.office_of_admin(user.id)
        announcement = await self._announcements.get(number)
        if announcement is not None and not announcement.within(scope):
            refusal = self._not_yours(announcement, scope)
            await with_retry(lambda: query.answer(refusal, show_alert=True))
            return  # the preview stays as it is, for the admins who may decide it
        if found.group(1) == "send":
            recipients = await self._announcements.confirm(number, scope=scope)
            done = None
            if recipients is not None:
                done = replies.ANNOUNCE_SENDING.format(number=number, count=recipients)
        else:
            cancelled = await self._announcements.cancel(number, scope=scope)
            done = replies.ANNOUNCE_CANCELLED.format(number=number) if cancelled else None
        result = done or await self._stale(number)
        await with_retry(lambda: query.answer(result, show_alert=done is None))
        if isinstance(query.message, Message):
            await self._close_preview(query.message, result)

    def _allowed(self, user_id: int, what: str) -> bool:
        """An admin of every office or of one; a refusal is logged with the salted hash."""
        if self._telegram.is_admin(user_id):
            return True
        hashed = self._hash_user(str(user_id))[:16]
        logger.warning("admin command %s refused for user %s", what, hashed)
        return False

    def _not_yours(self, announcement: Announcement, scope: str | None) -> str:
        offices = self._announcements.offices
        return texts.NOT_YOURS.format(
            number=announcement.id,
            office=offices.name(announcement.office_id),
            own=offices.name(scope),
        )

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
