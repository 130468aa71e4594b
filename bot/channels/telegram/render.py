"""Turn core replies into Telegram messages: HTML-escaped text split under the size limit,
inline keyboards (callback data checked against the 64-byte limit), or a reply keyboard."""

from __future__ import annotations

import functools
import html
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


@functools.lru_cache(maxsize=512)
def rendered(reply: Reply) -> tuple[Outgoing, ...]:
    """`render`, kept for the replies being sent: the outbox asks how many parts a reply has,
    then for each part, and the same answers go to many chats."""
    return tuple(render(reply))


def split(text: str, limit: int = MAX_CHARS) -> list[str]:
    """Cut at paragraph, then line, then word boundaries so each part fits."""
    return split_text(text, limit)


def keyboard(buttons: Sequence[Button], *, persistent: bool = False) -> Markup:
    """Inline buttons one per row (long Indonesian labels), or a big two-column reply keyboard."""
    if not buttons:
        return None
    if persistent:
        labels = [KeyboardButton(b.label) for b in buttons]
        grid = [labels[i : i + 2] for i in range(0, len(labels), 2)]
        return ReplyKeyboardMarkup(grid, resize_keyboard=True, is_persistent=True)
    usable = [b for b in buttons if len(b.data.encode()) <= MAX_CALLBACK_BYTES]
    rows: list[list[InlineKeyboardButton]] = []
    for button in usable:
        cell = InlineKeyboardButton(button.label, callback_data=button.data)
        # 👍/👎 and "Tanya petugas"/"Menu" read best side by side; topics get a row each.
        if rows and _pairs(rows[-1], button):
            rows[-1].append(cell)
        else:
            rows.append([cell])
    return InlineKeyboardMarkup(rows) if rows else None


def _pairs(row: list[InlineKeyboardButton], button: Button) -> bool:
    if len(row) != 1:
        return False
    before = str(row[0].callback_data)
    return (before.startswith("#fb:") and button.data.startswith("#fb:")) or (
        before == "#agent" and button.data == "#menu"
    )


def escape(text: str) -> str:
    """Escape dynamic text for parse mode HTML."""
    return html.escape(text, quote=False)
