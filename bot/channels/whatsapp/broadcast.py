"""Announcements on WhatsApp: free-form inside the applicant's 24-hour window; outside it
only the approved template may be sent, or the subscriber is skipped and counted."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from bot.announcements.vocabulary import SendResult
from bot.channels.whatsapp.api import GraphError
from bot.channels.whatsapp.channel import WINDOW_CLOSED, WhatsAppSender, window_open
from bot.core import replies
from bot.core.errors import DeliveryError
from bot.core.subscribing import UNSUBSCRIBE
from bot.core.vocabulary import Button, Reply
from bot.storage.whatsapp import WhatsAppStore

Clock = Callable[[], dt.datetime]


class WhatsAppBroadcaster:
    """`Broadcaster` for WhatsApp subscribers."""

    def __init__(
        self,
        sender: WhatsAppSender,
        store: WhatsAppStore,
        *,
        template: str = "",
        clock: Clock = lambda: dt.datetime.now(dt.UTC),
    ) -> None:
        self._sender = sender
        self._store = store
        self._template = template
        self._clock = clock

    async def send(self, chat_id: str, text: str) -> SendResult:
        """One announcement to one subscriber."""
        try:
            if await window_open(self._store, chat_id, self._clock()):
                reply = Reply(text, buttons=(Button(replies.UNSUBSCRIBE_BUTTON, UNSUBSCRIBE),))
                await self._sender.send(chat_id, reply, user_hash=None)
            elif self._template:
                await self._send_template(chat_id, text)
            else:
                return SendResult("skipped", WINDOW_CLOSED)
        except GraphError as exc:
            if exc.temporary:  # throttled or a server error: the sender tries again later
                raise DeliveryError(f"WhatsApp: {exc.reason}") from exc
            return SendResult("failed", exc.reason[:200])
        return SendResult("sent")

    async def _send_template(self, chat_id: str, text: str) -> None:
        await self._sender.send_template(
            chat_id, self._template, text, user_hash=None, ticket_id=None
        )
