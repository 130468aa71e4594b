"""The Bot API methods of the fake, except getUpdates (long polling is async: telegram_api)."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from typing import Any

from .telegram_payloads import Upload
from .telegram_rules import (
    MAX_ANSWER_TEXT_LENGTH,
    NOT_MODIFIED,
    ApiError,
    Params,
    bad_request,
    check_inline_markup,
    check_markup,
    check_text,
    flag,
    to_int,
)
from .telegram_state import TelegramState, without_reply

CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)
MAX_CAPTION_LENGTH = 1024
MAX_PHOTO_BYTES = 10 * 1024 * 1024
_COMMAND = re.compile(r"[a-z0-9_]{1,32}")
_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")


class BotApi:
    """Dispatches method calls onto a TelegramState; call with `state.lock` held."""

    def __init__(self, state: TelegramState) -> None:
        self.state = state
        handlers: dict[str, Callable[[Params], Any]] = {
            "getMe": lambda p: state.bot,
            "sendMessage": self.send_message,
            "sendPhoto": self.send_photo,
            "editMessageText": self.edit_message_text,
            "editMessageReplyMarkup": self.edit_message_reply_markup,
            "answerCallbackQuery": self.answer_callback_query,
            "sendChatAction": self.send_chat_action,
            "setWebhook": self.set_webhook,
            "deleteWebhook": self.delete_webhook,
            "getWebhookInfo": self.get_webhook_info,
            "setMyCommands": self.set_my_commands,
            "deleteMyCommands": self.delete_my_commands,
            "getMyCommands": lambda p: state.commands.get(_commands_key(p), []),
            "close": lambda p: True,
            "logOut": lambda p: True,
        }
        # Bot API method names are case-insensitive.
        self._methods = {name.lower(): (name, handler) for name, handler in handlers.items()}

    def call(self, method: str, params: Params) -> Any:
        name, handler = self._methods.get(method.lower(), (method, None))
        self.state.calls.append(name)
        try:
            if handler is None:
                raise ApiError(404, "Not Found: method not found")
            return handler(params)
        except ApiError as error:
            self.state.errors.append((name, error.code, error.description))
            raise

    def send_message(self, p: Params) -> Params:
        chat = self._target_chat(p)
        raw, visible, entities = check_text(p)
        markup = check_markup(p)
        reply_to = self._reply_to(chat["id"], p)
        self.state.throttle()
        fields: Params = {"text": visible}
        if entities:
            fields["entities"] = entities
        if markup and markup.get("inline_keyboard"):
            fields["reply_markup"] = markup  # Telegram echoes only inline keyboards
        if reply_to is not None:
            fields["reply_to_message"] = reply_to
        message = self.state.new_message(chat, self.state.bot, fields)
        self.state.record("sendMessage", message, raw, markup, p)
        return message

    def send_photo(self, p: Params) -> Params:
        chat = self._target_chat(p)
        sizes, uploaded = _photo_sizes(p.get("photo"))
        caption, visible, entities = _caption(p)
        markup = check_markup(p)
        reply_to = self._reply_to(chat["id"], p)
        self.state.throttle()
        fields: Params = {"photo": sizes}
        if visible:
            fields["caption"] = visible
        if entities:
            fields["caption_entities"] = entities
        if markup and markup.get("inline_keyboard"):
            fields["reply_markup"] = markup
        if reply_to is not None:
            fields["reply_to_message"] = reply_to
        message = self.state.new_message(chat, self.state.bot, fields)
        self.state.record("sendPhoto", message, caption, markup, p, photo_bytes=uploaded)
        return message

    def edit_message_text(self, p: Params) -> Params:
        message = self._editable(p)
        raw, visible, entities = check_text(p)
        markup = check_inline_markup(p)
        old = (message.get("text"), message.get("entities", []), message.get("reply_markup"))
        if old == (visible, entities, markup):
            raise bad_request(NOT_MODIFIED)
        self.state.throttle()
        message.update(text=visible, edit_date=int(time.time()))
        _set_or_drop(message, "entities", entities)
        _set_or_drop(message, "reply_markup", markup)  # omitting it removes the keyboard
        self.state.record("editMessageText", message, raw, markup, p)
        return message

    def edit_message_reply_markup(self, p: Params) -> Params:
        message = self._editable(p)
        markup = check_inline_markup(p)
        if markup == message.get("reply_markup"):
            raise bad_request(NOT_MODIFIED)
        self.state.throttle()
        message["edit_date"] = int(time.time())
        _set_or_drop(message, "reply_markup", markup)
        self.state.record("editMessageReplyMarkup", message, None, markup, p)
        return message

    def answer_callback_query(self, p: Params) -> bool:
        query_id = str(p.get("callback_query_id", ""))
        if query_id not in self.state.open_callbacks:
            raise bad_request(
                "query is too old and response timeout expired or query ID is invalid"
            )
        text = p.get("text")
        if text is not None and len(str(text)) > MAX_ANSWER_TEXT_LENGTH:
            raise bad_request("MESSAGE_TOO_LONG")
        self.state.answered(query_id, p, text, flag(p.get("show_alert")))
        return True

    def send_chat_action(self, p: Params) -> bool:
        chat = self._target_chat(p)
        action = p.get("action")
        if action not in CHAT_ACTIONS:
            raise bad_request("wrong parameter action in request")
        self.state.throttle()
        self.state.chat_actions.append((chat["id"], str(action)))
        return True

    def set_webhook(self, p: Params) -> bool:
        url = str(p.get("url") or "")
        if not url:
            return self.delete_webhook(p)
        if not url.startswith("https://"):
            raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
        secret = p.get("secret_token")
        if secret is not None and not _SECRET.fullmatch(str(secret)):
            raise bad_request("secret token contains unallowed characters")
        max_connections = to_int(p.get("max_connections", 40), "max_connections")
        self.state.stop_delivery(flag(p.get("drop_pending_updates")))
        # Recorded only: no https URL is reachable here; tests choose delivery with deliver_to().
        self.state.webhook = {"url": url, "secret_token": secret}
        self.state.webhook["max_connections"] = max_connections
        return True

    def delete_webhook(self, p: Params) -> bool:
        self.state.stop_delivery(flag(p.get("drop_pending_updates")))
        return True

    def get_webhook_info(self, p: Params) -> Params:
        state = self.state
        info: Params = {"url": state.webhook.get("url") or "", "has_custom_certificate": False}
        info["pending_update_count"] = len(state.updates) + len(state.outbox)
        if "max_connections" in state.webhook:
            info["max_connections"] = state.webhook["max_connections"]
        return info

    def set_my_commands(self, p: Params) -> bool:
        commands = p.get("commands")
        if not isinstance(commands, list) or len(commands) > 100:
            raise bad_request("can't parse commands JSON object")
        for command in commands:
            if not isinstance(command, dict) or not _COMMAND.fullmatch(command.get("command", "")):
                raise bad_request("BOT_COMMAND_INVALID")
            if not 1 <= len(str(command.get("description", ""))) <= 256:
                raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
        self.state.commands[_commands_key(p)] = commands
        return True

    def delete_my_commands(self, p: Params) -> bool:
        self.state.commands.pop(_commands_key(p), None)
        return True

    def _target_chat(self, p: Params) -> Params:
        value = p.get("chat_id")
        if value is None or value == "":
            raise bad_request("chat_id is empty")
        try:
            chat = self.state.chats.get(int(value))
        except (TypeError, ValueError):
            chat = None  # an @username: the fake has no public chats
        if chat is None:
            raise bad_request("chat not found")
        if chat["id"] in self.state.blocked:
            kind = chat["type"]
            why = "blocked by the user" if kind == "private" else f"kicked from the {kind} chat"
            raise ApiError(403, f"Forbidden: bot was {why}")
        return chat

    def _editable(self, p: Params) -> Params:
        if p.get("inline_message_id"):
            raise bad_request("MESSAGE_ID_INVALID")  # inline mode is not faked
        chat = self._target_chat(p)
        key = (chat["id"], to_int(p.get("message_id"), "message_id"))
        message = self.state.messages.get(key)
        if message is None:
            raise bad_request("message to edit not found")
        if message["from"]["id"] != self.state.bot["id"]:
            raise bad_request("message can't be edited")
        return message

    def _reply_to(self, chat_id: int, p: Params) -> Params | None:
        # PTB 22 sends reply_parameters; the older flat parameters are still accepted.
        options = p.get("reply_parameters")
        if not isinstance(options, dict):
            options = {
                "message_id": p.get("reply_to_message_id"),
                "allow_sending_without_reply": p.get("allow_sending_without_reply"),
            }
        target = options.get("message_id")
        if target is None or target == "":
            return None
        stored = self.state.messages.get((chat_id, to_int(target, "message_id")))
        if stored is not None:
            return without_reply(stored)
        if flag(options.get("allow_sending_without_reply")):
            return None
        raise bad_request("message to be replied not found")


def _photo_sizes(photo: object) -> tuple[list[Params], int | None]:
    """PhotoSize objects for a sent photo, and the uploaded size (None for a file id/URL)."""
    if isinstance(photo, str) and photo:
        file = {"file_id": photo, "file_unique_id": photo[-12:], "width": 800, "height": 600}
        return [file], None
    if not isinstance(photo, Upload):
        raise bad_request("there is no photo in the request")
    if not photo.data:
        raise bad_request("file must be non-empty")
    if len(photo.data) > MAX_PHOTO_BYTES:
        raise bad_request("PHOTO_TOO_BIG")  # Telegram: photos up to 10 MB
    width, height = _image_size(photo.data)
    file_id = f"AgACphoto{len(photo.data):08d}"
    size = {"file_id": file_id, "file_unique_id": file_id[-10:], "file_size": len(photo.data)}
    return [{**size, "width": width, "height": height}], len(photo.data)


def _image_size(data: bytes) -> tuple[int, int]:
    """Width and height of a PNG (read from its header); JPEG, GIF and WebP pass unmeasured.

    Telegram decodes every photo and refuses what is not an image.
    """
    if data.startswith(b"\x89PNG\r\n\x1a\n") and data[12:16] == b"IHDR":
        return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    if data.startswith((b"\xff\xd8\xff", b"GIF8")) or data[8:12] == b"WEBP":
        return 800, 600
    raise bad_request("IMAGE_PROCESS_FAILED")


def _caption(p: Params) -> tuple[str | None, str | None, list[Params]]:
    """(caption as sent, visible caption, entities); captions are optional, up to 1024."""
    raw = p.get("caption")
    if raw is None or raw == "":
        return None, None, []
    parsed = {
        "text": raw,
        "parse_mode": p.get("parse_mode"),
        "entities": p.get("caption_entities"),
    }
    caption, visible, entities = check_text(parsed)
    if len(visible) > MAX_CAPTION_LENGTH:
        raise bad_request("message caption is too long")
    return caption, visible, entities


def _commands_key(p: Params) -> str:
    return json.dumps([p.get("scope") or {"type": "default"}, p.get("language_code") or ""])


def _set_or_drop(message: Params, key: str, value: object) -> None:
    if value:
        message[key] = value
    else:
        message.pop(key, None)
