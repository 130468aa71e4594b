"""Telegram for applicants: PTB handlers that translate updates into core messages and core
replies into Telegram messages. Officers and admins are in `staff` and `admin`."""

from __future__ import annotations

import asyncio
import logging
import os
import weakref
from collections.abc import Awaitable, Callable, Coroutine, Sequence
from functools import partial
from typing import Any, TypeVar

from telegram import Bot, Message, Update
from telegram.constants import ChatType, ParseMode
from telegram.error import Forbidden, NetworkError, RetryAfter, TimedOut
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.channels.telegram.bot import TelegramBot
from bot.channels.telegram.limiter import LimiterStopped, PacedLimiter
from bot.channels.telegram.render import render
from bot.channels.telegram.request import AiohttpRequest
from bot.channels.telegram.settings import TelegramSettings
from bot.core.conversation import Conversation
from bot.core.replies import ERROR
from bot.core.vocabulary import Incoming, Reply
from bot.delivery.outgoing import collect
from bot.delivery.vocabulary import Outgoing

logger = logging.getLogger(__name__)

CHANNEL = "telegram"
SEND_ATTEMPTS = 4
T = TypeVar("T")
Handler = Callable[[Update, ContextTypes.DEFAULT_TYPE], Coroutine[Any, Any, None]]
TelegramApp = Application[Any, Any, Any, Any, Any, Any]
MEDIA_KINDS = (
    ("photo", filters.PHOTO),
    ("voice", filters.VOICE | filters.AUDIO | filters.VIDEO_NOTE),
    ("sticker", filters.Sticker.ALL),
    ("document", filters.Document.ALL),
    ("location", filters.LOCATION | filters.VENUE),
    ("contact", filters.CONTACT),
    ("video", filters.VIDEO),
)


def build_application(settings: TelegramSettings, *, polling: bool) -> TelegramApp:
    """A PTB application on the configured API URL, rate limited, updates handled concurrently."""
    # Opt in to PTB's future RetryAfter type now; the old one warns on every 429.
    os.environ.setdefault("PTB_TIMEDELTA", "true")
    bot = TelegramBot(
        settings.token.reveal(),
        base_url=settings.api_url,
        # Bot API calls on aiohttp, like the Graph API's (request.py says why); getUpdates
        # keeps a pool of its own, of one connection as PTB's.
        request=AiohttpRequest(),
        get_updates_request=AiohttpRequest(connection_pool_size=1),
        rate_limiter=PacedLimiter(settings.pacing, max_retries=3),
    )
    builder = ApplicationBuilder().bot(bot).concurrent_updates(256)
    if not polling:
        builder = builder.updater(None)
    return builder.build()


async def with_retry(call: Callable[[], Awaitable[T]]) -> T | None:
    """Retry a Bot API call on network errors; give up quietly when the user blocked the bot."""
    for attempt in range(SEND_ATTEMPTS):
        try:
            return await call()
        except Forbidden:
            logger.info("a chat has blocked the bot; message dropped")
            return None
        except (RetryAfter, LimiterStopped):
            raise  # the rate limiter already waited and retried, or Telegram is shut down
        except (TimedOut, NetworkError):
            if attempt == SEND_ATTEMPTS - 1:
                raise
            await asyncio.sleep(0.5 * 2**attempt)
    return None


async def send_reply(bot: Bot, chat_id: int, reply: Reply) -> list[Message]:
    """Send one core reply, split if long, keyboard on the last part."""
    sent: list[Message] = []
    for part in render(reply):
        send = partial(
            bot.send_message,
            chat_id,
            part.text,
            parse_mode=ParseMode.HTML,
            reply_markup=part.markup,
        )
        message = await with_retry(send)
        if message is not None:
            sent.append(message)
    return sent


class TelegramApplicants:
    """Delivery to applicants outside a conversation turn (officer answers, closures)."""

    def __init__(self, bot: Bot) -> None:
        self._bot = bot

    async def deliver(self, channel: str, chat_id: str, replies: Sequence[Reply]) -> None:
        """Send the replies to a private chat (queued with the update being handled, if any)."""
        if collect([Outgoing(CHANNEL, chat_id, reply) for reply in replies]):
            return
        for reply in replies:
            await send_reply(self._bot, int(chat_id), reply)


class ApplicantHandlers:
    """Private-chat handlers; one chat's messages are handled strictly in arrival order."""

    def __init__(self, conversation: Conversation) -> None:
        self._conversation = conversation
        self._locks: weakref.WeakValueDictionary[int, asyncio.Lock] = weakref.WeakValueDictionary()

    def register(self, application: TelegramApp) -> None:
        """Add the handlers for private chats."""
        private = filters.ChatType.PRIVATE
        application.add_handler(
            MessageHandler(private & (filters.TEXT | filters.COMMAND), self.on_text)
        )
        for kind, media in MEDIA_KINDS:
            application.add_handler(MessageHandler(private & media, self._media(kind)))
        application.add_handler(MessageHandler(private & ~filters.TEXT, self._media("other")))
        application.add_handler(CallbackQueryHandler(self.on_button, pattern=r"^#"))

    async def on_text(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Answer a typed message (commands included: /start, /menu, /bantuan, /kontak)."""
        message = update.effective_message
        if message is not None and message.text is not None:
            await self._turn(update, context.bot, message.text, "text")

    def _media(self, kind: str) -> Handler:
        async def on_media(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
            message = update.effective_message
            caption = message.caption if message is not None and message.caption else ""
            await self._turn(update, context.bot, caption, kind)

        return on_media

    async def on_button(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A pressed inline button: its data goes to the core as the next message."""
        query = update.callback_query
        if query is None or query.data is None:
            return
        await with_retry(query.answer)
        chat = update.effective_chat
        if chat is not None and chat.type == ChatType.PRIVATE:
            await self._turn(update, context.bot, query.data, "text")

    async def _turn(self, update: Update, bot: Bot, text: str, kind: str) -> None:
        chat, user = update.effective_chat, update.effective_user
        if chat is None or user is None:
            return
        lock = self._locks.setdefault(chat.id, asyncio.Lock())
        async with lock:
            incoming = Incoming(CHANNEL, str(chat.id), str(user.id), text, kind=kind)
            replies = await self._conversation.handle(incoming)
            # Inside the inbox worker the replies join the outbox with the update's "handled".
            if not collect([Outgoing(CHANNEL, str(chat.id), reply) for reply in replies]):
                for reply in replies:
                    await send_reply(bot, chat.id, reply)


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log first, so the error is visible even if telling the user fails too."""
    logger.error("error while handling a Telegram update", exc_info=context.error)
    if isinstance(update, Update) and update.effective_chat is not None:
        chat = update.effective_chat
        if chat.type == ChatType.PRIVATE:
            if collect([Outgoing(CHANNEL, str(chat.id), Reply(ERROR))]):
                return
            try:
                await context.bot.send_message(chat.id, ERROR)
            except Exception:  # the error handler must never raise
                logger.exception("could not apologise to the user")
