"""PTB's bot with one lean call for the outbox: `send_text` posts the same sendMessage as
`send_message`, through the same rate limiter and HTTP seam, but does not build a `Message`
from Telegram's answer.

The outbox keeps no message ids (`TelegramTransport.sent` records nothing), yet
`send_message` turned every answer into a `Message` with its `Chat` and `User`: the largest
part of a send's CPU after the HTTP call itself (benchmarks.telegram_webhook_load).
"""

from __future__ import annotations

from telegram._utils.types import JSONDict
from telegram.constants import ParseMode
from telegram.ext import ExtBot

from bot.channels.telegram.render import Markup


class TelegramBot(ExtBot[float]):
    """`ExtBot` whose rate limiter takes the longest wait a caller accepts (`PacedLimiter`)."""

    async def send_text(
        self, chat_id: int, text: str, markup: Markup | str, *, max_wait: float | None = None
    ) -> None:
        """sendMessage with HTML text and an optional keyboard (PTB's, or already its JSON:
        `render.keyboard_json`, posted as it is); waits at most `max_wait` seconds for its
        turn (`limiter.ChatLimited` past that). Errors as `send_message`'s."""
        data: JSONDict = {"chat_id": chat_id, "text": text, "parse_mode": ParseMode.HTML}
        if isinstance(markup, str):
            data["reply_markup"] = markup  # PTB posts a string parameter unchanged
        elif markup is not None:
            # What `send_message` does with a keyboard (arbitrary callback data, when enabled).
            data["reply_markup"] = self._replace_keyboard(markup)
        await self._post("sendMessage", data, api_kwargs=self._merge_api_rl_kwargs(None, max_wait))
