"""What the fake Bot API remembers: chats, messages, pending updates, and what the bot did.

Hold `lock` around every use: the HTTP handlers run in the server's loop while tests inject
updates from their own loop, possibly in another thread.
"""

from __future__ import annotations

import copy
import math
import threading
import time
from collections import defaultdict, deque
from dataclasses import dataclass

from .telegram_payloads import bot_user
from .telegram_rules import ApiError, Params


@dataclass(frozen=True, slots=True)
class Sent:
    """One message sent or edited by the bot.

    `text` is as the bot sent it (the HTML source with parse_mode="HTML"; None for
    editMessageReplyMarkup; the caption for sendPhoto), `visible_text` what the user sees,
    `time` is time.monotonic(). sendPhoto also records `photo_bytes` (the uploaded size; None
    for a file id or URL) and `caption` (as the user sees it).
    """

    method: str
    chat_id: int
    text: str | None
    reply_markup: Params | None
    message_id: int
    reply_to_message_id: int | None
    time: float
    parse_mode: str | None = None
    visible_text: str | None = None
    photo_bytes: int | None = None
    caption: str | None = None
    # Whether the bot asked for no link preview (link_preview_options or the old flag).
    preview_disabled: bool = False


@dataclass(frozen=True, slots=True)
class CallbackAnswer:
    callback_query_id: str
    text: str | None
    show_alert: bool
    url: str | None
    time: float


def without_reply(message: Params) -> Params:
    """A copy of a message as nested in reply_to_message or callback_query (one level deep)."""
    return {k: copy.deepcopy(v) for k, v in message.items() if k != "reply_to_message"}


class TelegramState:
    def __init__(self, token: str, max_per_second: float | None) -> None:
        self.lock = threading.RLock()
        self.bot = bot_user(int(token.split(":", 1)[0]))
        self.chats: dict[int, Params] = {}
        self.blocked: set[int] = set()
        self.messages: dict[tuple[int, int], Params] = {}
        self.updates: list[Params] = []  # waiting for getUpdates
        self.outbox: deque[Params] = deque()  # waiting for webhook delivery
        self.webhook: Params = {}
        self.delivering = False
        self.sent: list[Sent] = []
        self.sent_by_chat: defaultdict[int, list[Sent]] = defaultdict(list)
        self.callback_answers: list[CallbackAnswer] = []
        self.chat_actions: list[tuple[int, str]] = []
        self.calls: list[str] = []
        self.errors: list[tuple[str, int, str]] = []
        self.rate_limited = 0
        self.open_callbacks: dict[str, Params] = {}
        self.commands: dict[str, list[Params]] = {}
        self._max_per_second = max_per_second
        self._window: deque[float] = deque()
        self._last_message_id: defaultdict[int, int] = defaultdict(int)
        self._last_update_id = 0
        self._last_callback_id = 0

    def new_message(self, chat: Params, sender: Params, fields: Params) -> Params:
        """Store a message; ids grow per chat, shared by the bot's and the users' messages."""
        self._last_message_id[chat["id"]] += 1
        message_id = self._last_message_id[chat["id"]]
        message = {"message_id": message_id, "from": sender, "chat": chat}
        message["date"] = int(time.time())
        message.update(fields)
        self.messages[(chat["id"], message_id)] = message
        return message

    def stored(self, chat_id: int, message_id: int) -> Params:
        try:
            return self.messages[(chat_id, message_id)]
        except KeyError:
            known = sorted(mid for cid, mid in self.messages if cid == chat_id)
            message = f"no message {message_id} in chat {chat_id}; known ids: {known}"
            raise LookupError(message) from None

    def push_update(self, payload: Params) -> Params:
        self._last_update_id += 1
        update = {"update_id": self._last_update_id, **payload}
        (self.outbox if self.delivering else self.updates).append(update)
        return update

    def open_callback(self, user: Params, message: Params, data: str) -> Params:
        self._last_callback_id += 1
        query_id = str(4_000_000_000_000_000 + self._last_callback_id)
        query: Params = {
            "id": query_id,
            "from": user,
            "message": without_reply(message),
            "chat_instance": str(-7_000_000_000 - message["chat"]["id"]),
            "data": data,
        }
        self.open_callbacks[query_id] = query
        return query

    def deliver_to(self, url: str | None, secret_token: str | None) -> None:
        self.delivering = url is not None
        self.webhook = {"url": url, "secret_token": secret_token} if url else {}
        if self.delivering:
            self.outbox.extend(self.updates)  # pending updates go out through the webhook
            self.updates.clear()

    def stop_delivery(self, drop_pending: bool) -> None:
        self.updates[:0] = self.outbox  # undelivered updates wait for getUpdates again
        self.outbox.clear()
        if drop_pending:
            self.updates.clear()
        self.webhook = {}
        self.delivering = False

    def confirm(self, offset: int) -> None:
        """getUpdates' offset: forget updates before it (negative: keep the last -offset)."""
        if offset < 0:
            self.updates = self.updates[offset:]
        elif offset > 0:
            self.updates = [u for u in self.updates if u["update_id"] >= offset]

    def throttle(self) -> None:
        """Global sliding one-second window over the sending methods; 429 when it is full."""
        if self._max_per_second is None:
            return
        now = time.monotonic()
        while self._window and self._window[0] <= now - 1.0:
            self._window.popleft()
        if len(self._window) >= max(1, int(self._max_per_second)):
            retry_after = max(1, math.ceil(self._window[0] + 1.0 - now))
            self.rate_limited += 1
            description = f"Too Many Requests: retry after {retry_after}"
            raise ApiError(429, description, {"retry_after": retry_after})
        self._window.append(now)

    def record(
        self,
        method: str,
        message: Params,
        text: str | None,
        markup: Params | None,
        p: Params,
        *,
        photo_bytes: int | None = None,
    ) -> None:
        replies = method in ("sendMessage", "sendPhoto")
        reply = message.get("reply_to_message") if replies else None
        record = Sent(
            method=method,
            chat_id=message["chat"]["id"],
            text=text,
            reply_markup=copy.deepcopy(markup),
            message_id=message["message_id"],
            reply_to_message_id=reply["message_id"] if reply else None,
            time=time.monotonic(),
            parse_mode=p.get("parse_mode") or None,
            visible_text=message.get("text", message.get("caption")),
            photo_bytes=photo_bytes,
            caption=message.get("caption"),
            preview_disabled=_preview_disabled(p),
        )
        self.sent.append(record)
        self.sent_by_chat[record.chat_id].append(record)

    def answered(self, query_id: str, p: Params, text: str | None, show_alert: bool) -> None:
        del self.open_callbacks[query_id]
        answer = CallbackAnswer(query_id, text, show_alert, p.get("url"), time.monotonic())
        self.callback_answers.append(answer)


def _preview_disabled(p: Params) -> bool:
    options = p.get("link_preview_options")
    disabled = isinstance(options, dict) and bool(options.get("is_disabled"))
    return disabled or str(p.get("disable_web_page_preview")).lower() == "true"
