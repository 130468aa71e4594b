"""What the real Bot API refuses, and the errors it answers with.

Limits: https://core.telegram.org/bots/api and PTB's `telegram.constants` (MessageLimit,
InlineKeyboardButtonLimit, CallbackQueryLimit). The fake is deliberately strict so that a bot
exceeding them fails in tests instead of in production.
"""

from __future__ import annotations

import json
from typing import Any

from .telegram_html import EntityParseError, parse_html

Params = dict[str, Any]

MAX_TEXT_LENGTH = 4096
MAX_ANSWER_TEXT_LENGTH = 200
MAX_CALLBACK_DATA_BYTES = 64
MAX_INLINE_BUTTONS = 100
NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly the"
    " same as a current content and reply markup of the message"
)
_BAD_MARKUP = "can't parse reply keyboard markup JSON object"
_BUTTON_ACTIONS = frozenset(
    {
        "callback_data",
        "url",
        "web_app",
        "login_url",
        "switch_inline_query",
        "switch_inline_query_current_chat",
        "switch_inline_query_chosen_chat",
        "copy_text",
        "callback_game",
        "pay",
    }
)


class ApiError(Exception):
    """A Bot API error response; `body()` is the JSON Telegram sends with HTTP status `code`."""

    def __init__(self, code: int, description: str, parameters: Params | None = None) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.parameters = parameters

    def body(self) -> Params:
        body: Params = {"ok": False, "error_code": self.code, "description": self.description}
        if self.parameters:
            body["parameters"] = self.parameters
        return body


def bad_request(what: str) -> ApiError:
    return ApiError(400, f"Bad Request: {what}")


def to_int(value: object, name: str) -> int:
    """An integer parameter; form bodies carry them as strings."""
    if value is None or value == "":
        raise bad_request(f"{name} is empty")
    if not isinstance(value, int | str):
        raise bad_request(f"{name} is invalid")
    try:
        return int(value)
    except ValueError:
        raise bad_request(f"{name} is invalid") from None


def flag(value: object) -> bool:
    return value is True or str(value).lower() == "true"


def check_text(p: Params) -> tuple[str, str, list[Params]]:
    """(text as sent, visible text, entities) of `text` + `parse_mode`, or the 400 Telegram gives.

    The 4096 limit applies after entity parsing. Markdown is not parsed, so its markup
    characters count too (stricter than Telegram, never more lenient).
    """
    raw = p.get("text")
    if raw is None or raw == "":
        raise bad_request("message text is empty")
    raw = str(raw)
    mode = str(p.get("parse_mode") or "").lower()
    visible, entities = raw, list(p.get("entities") or [])
    if mode == "html":
        try:
            parsed = parse_html(raw)
        except EntityParseError as error:
            raise bad_request(str(error)) from None
        visible, entities = parsed.text, parsed.entities
    elif mode not in ("", "markdown", "markdownv2"):
        raise bad_request("unsupported parse_mode")
    if not visible.strip():
        raise bad_request("message text is empty")
    if len(visible) > MAX_TEXT_LENGTH:
        raise bad_request("message is too long")
    return raw, visible, entities


def check_markup(p: Params) -> Params | None:
    """The parsed `reply_markup`, or the 400 Telegram gives for a malformed/over-limit one."""
    markup = p.get("reply_markup")
    if isinstance(markup, str):  # a JSON body may still carry it encoded
        try:
            markup = json.loads(markup)
        except ValueError:
            raise bad_request(_BAD_MARKUP) from None
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise bad_request(_BAD_MARKUP)
    if "inline_keyboard" in markup:
        _check_inline(markup["inline_keyboard"])
    elif "keyboard" in markup:
        _check_keyboard(markup["keyboard"])
    elif not {"remove_keyboard", "force_reply"} & markup.keys():
        raise bad_request(_BAD_MARKUP)
    return markup


def check_inline_markup(p: Params) -> Params | None:
    """Edits take only inline keyboards; an empty one (or none) removes the keyboard."""
    markup = check_markup(p)
    if markup is not None and "inline_keyboard" not in markup:
        raise bad_request("inline keyboard expected")
    if markup is None or not any(markup["inline_keyboard"]):
        return None
    return markup


def _rows(rows: object) -> list[Any]:
    """The buttons of a keyboard given as a list of lists."""
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise bad_request(_BAD_MARKUP)
    return [button for row in rows for button in row]


def _check_keyboard(rows: object) -> None:
    for button in _rows(rows):
        text = button if isinstance(button, str) else None
        if isinstance(button, dict):
            text = button.get("text")
        if not isinstance(text, str) or not text:
            raise bad_request("keyboard button text must be non-empty")


def _check_inline(rows: object) -> None:
    buttons = _rows(rows)
    if len(buttons) > MAX_INLINE_BUTTONS:
        raise bad_request("reply markup is too long")
    for button in buttons:
        if not isinstance(button, dict):
            raise bad_request("can't parse inline keyboard button: object expected")
        if not button.get("text"):
            raise bad_request("can't parse inline keyboard button: Text must be non-empty")
        if not _BUTTON_ACTIONS & button.keys():
            raise bad_request("text buttons are unallowed in the inline keyboard")
        data = button.get("callback_data")
        # Limit in UTF-8 bytes, not characters: "é" costs two.
        if data is not None and not 1 <= len(str(data).encode()) <= MAX_CALLBACK_DATA_BYTES:
            raise bad_request("BUTTON_DATA_INVALID")
