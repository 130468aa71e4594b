"""Turn core replies into Telegram messages: HTML-escaped text split under the size limit,
inline keyboards (callback data checked against the 64-byte limit), or a reply keyboard."""

from __future__ import annotations

import functools
import html
import json
from collections.abc import Sequence
from dataclasses import dataclass

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
)

from bot.channels.text import split as split_text
from bot.core.vocabulary import Button, Reply

# Telegram counts the text after entities are parsed; leave room for our own markup.
MAX_CHARS = 4000
MAX_CALLBACK_BYTES = 64
Markup = InlineKeyboardMarkup | ReplyKeyboardMarkup | None


@dataclass(frozen=True, slots=True)
class Outgoing:
    """One Telegram sendMessage: escaped HTML text and an optional keyboard."""

    text: str
    markup: Markup = None


def render(reply: Reply) -> list[Outgoing]:
    """Messages for one reply; the keyboard goes with the last part."""
    parts = split(reply.text)
    markup = keyboard(reply.buttons, persistent=reply.keyboard)
    messages = [Outgoing(html.escape(part, quote=False)) for part in parts]
    messages[-1] = Outgoing(messages[-1].text, markup)
    return messages


@dataclass(frozen=True, slots=True)
class Posted:
    """One sendMessage as the outbox posts it: the keyboard already the Bot API's JSON."""

    text: str
    markup: str | None = None


@functools.lru_cache(maxsize=512)
def rendered(reply: Reply) -> tuple[Posted, ...]:
    """`render` for the outbox, without PTB's keyboard objects (built, then turned into JSON
    again, for every send); kept, as the outbox asks for a reply's parts, then each part."""
    texts = [html.escape(part, quote=False) for part in split(reply.text)]
    markup = keyboard_json(reply.buttons, persistent=reply.keyboard)
    last = len(texts) - 1
    return tuple(Posted(text, markup if n == last else None) for n, text in enumerate(texts))


def split(text: str, limit: int = MAX_CHARS) -> list[str]:
    """Cut at paragraph, then line, then word boundaries so each part fits."""
    return split_text(text, limit)


def keyboard(buttons: Sequence[Button], *, persistent: bool = False) -> Markup:
    """Inline buttons one per row (long Indonesian labels), or a big two-column reply keyboard."""
    grid = _grid(buttons, persistent=persistent)
    if not grid:
        return None
    if persistent:
        labels = [[KeyboardButton(b.label) for b in row] for row in grid]
        return ReplyKeyboardMarkup(labels, resize_keyboard=True, is_persistent=True)
    cells = [[InlineKeyboardButton(b.label, callback_data=b.data) for b in row] for row in grid]
    return InlineKeyboardMarkup(cells)


def keyboard_json(buttons: Sequence[Button], *, persistent: bool = False) -> str | None:
    """`keyboard(...)` as the JSON PTB would post for it (keys sorted as PTB's `to_dict`)."""
    grid = _grid(buttons, persistent=persistent)
    if not grid:
        return None
    data: dict[str, object]
    if persistent:
        labels = [[{"text": b.label} for b in row] for row in grid]
        data = {"is_persistent": True, "keyboard": labels, "resize_keyboard": True}
    else:
        cells = [[{"callback_data": b.data, "text": b.label} for b in row] for row in grid]
        data = {"inline_keyboard": cells}
    return json.dumps(data)


def _grid(buttons: Sequence[Button], *, persistent: bool) -> list[list[Button]]:
    """The keyboard's rows: two a row for a reply keyboard; for inline buttons one a row,
    those whose data is over Telegram's limit left out."""
    if persistent:
        return [list(buttons[i : i + 2]) for i in range(0, len(buttons), 2)]
    rows: list[list[Button]] = []
    for button in buttons:
        if len(button.data.encode()) > MAX_CALLBACK_BYTES:
            continue
        # 👍/👎 and "Tanya petugas"/"Menu" read best side by side; topics get a row each.
        if rows and _pairs(rows[-1], button):
            rows[-1].append(button)
        else:
            rows.append([button])
    return rows


def _pairs(row: list[Button], button: Button) -> bool:
    if len(row) != 1:
        return False
    before = row[0].data
    return (before.startswith("#fb:") and button.data.startswith("#fb:")) or (
        before == "#agent" and button.data == "#menu"
    )


def escape(text: str) -> str:
    """Escape dynamic text for parse mode HTML."""
    return html.escape(text, quote=False)
