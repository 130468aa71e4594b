"""Turn core replies into WhatsApp message objects within the Cloud API's limits.

Text is split under 4,096 characters. Up to three choices become reply buttons (titles cut to
20 characters), more become a list message (10 rows a list, titles 24, descriptions 72);
👍/👎 are always reply buttons, in a message of their own when they do not fit beside the
choices. WhatsApp has no persistent keyboard, so a menu is a list like any other.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.channels.text import split as split_text
from bot.core import replies
from bot.core.escalation import AGENT
from bot.core.vocabulary import Button, Reply

Payload = dict[str, Any]

MAX_TEXT = 4096
MAX_BODY = 1024
MAX_BUTTONS = 3
MAX_BUTTON_TITLE = 20
MAX_ROWS = 10
MAX_ROW_TITLE = 24
MAX_ROW_DESCRIPTION = 72
MAX_ROW_ID = 200
MAX_TEMPLATE_PARAMETER = 1000
FEEDBACK_PREFIX = "#fb:"


def render(reply: Reply) -> list[Payload]:
    """The messages for one reply, in sending order (without the recipient)."""
    parts = split(reply.text)
    groups = _groups(reply.buttons)
    if not groups:
        return [text_message(part) for part in parts]
    messages = [text_message(part) for part in parts[:-1]]
    body = parts[-1]
    if len(body) > MAX_BODY:
        messages.append(text_message(body))
        body = replies.WA_CHOOSE
    for index, group in enumerate(groups):
        if index:
            body = _body(group)
        messages.extend(choices_message(body, group))
    return messages


def _groups(buttons: Sequence[Button]) -> list[list[Button]]:
    """Choices first, then 👍/👎; together when all of them fit in one row of buttons.

    Under an answer only the office can complete, "Tanya petugas" joins 👍/👎 as a third reply
    button, so asking a person stays one tap instead of a row hidden in a list.
    """
    usable = [b for b in buttons if b.data and len(b.data) <= MAX_ROW_ID]
    feedback = [b for b in usable if b.data.startswith(FEEDBACK_PREFIX)]
    if feedback:
        feedback += [b for b in usable if b.data == AGENT][: MAX_BUTTONS - len(feedback)]
    choices = [b for b in usable if b not in feedback]
    if feedback and choices and len(feedback) + len(choices) <= MAX_BUTTONS:
        return [choices + feedback]
    return [group for group in (choices, feedback) if group]


def _body(group: Sequence[Button]) -> str:
    """The text above a second group of buttons."""
    if not _is_feedback(group[0]):
        return replies.WA_CHOOSE
    asks = any(b.data == AGENT for b in group)
    return replies.FEEDBACK_OR_AGENT if asks else replies.FEEDBACK_QUESTION


def _is_feedback(button: Button) -> bool:
    return button.data.startswith(FEEDBACK_PREFIX)


def text_message(text: str) -> Payload:
    """A plain text message (links are not previewed: the answers link official sites)."""
    return {"type": "text", "text": {"body": text, "preview_url": False}}


def choices_message(body: str, buttons: Sequence[Button]) -> list[Payload]:
    """Reply buttons for up to three choices, else list messages of at most ten rows."""
    if len(buttons) <= MAX_BUTTONS:
        titles = unique_titles([b.label for b in buttons], MAX_BUTTON_TITLE)
        action = {
            "buttons": [
                {"type": "reply", "reply": {"id": b.data, "title": title}}
                for b, title in zip(buttons, titles, strict=True)
            ]
        }
        return [_interactive("button", body, action)]
    pages = [buttons[i : i + MAX_ROWS] for i in range(0, len(buttons), MAX_ROWS)]
    return [
        _interactive("list", body if n == 0 else replies.WA_MORE_CHOICES, _list_action(page))
        for n, page in enumerate(pages)
    ]


def _interactive(kind: str, body: str, action: Payload) -> Payload:
    return {
        "type": "interactive",
        "interactive": {"type": kind, "body": {"text": body}, "action": action},
    }


def _list_action(buttons: Sequence[Button]) -> Payload:
    titles = unique_titles([b.label for b in buttons], MAX_ROW_TITLE)
    rows: list[Payload] = []
    for button, title in zip(buttons, titles, strict=True):
        row: Payload = {"id": button.data, "title": title}
        if title != button.label.strip():
            # The full label still shows, in the smaller line under the title.
            row["description"] = shorten(button.label, MAX_ROW_DESCRIPTION)
        rows.append(row)
    section = {"title": replies.WA_LIST_SECTION, "rows": rows}
    return {"button": replies.WA_LIST_BUTTON, "sections": [section]}


def shorten(label: str, limit: int) -> str:
    """Fit a label in `limit` characters, cutting at a word where that keeps most of it."""
    label = " ".join(label.split())
    if len(label) <= limit:
        return label
    cut = label.rfind(" ", 0, limit)
    head = label[:cut] if cut > limit // 2 else label[: limit - 1]
    return head.rstrip(" ,.;:-/(") + "…"


def unique_titles(labels: Sequence[str], limit: int) -> list[str]:
    """Shortened labels, made distinct (WhatsApp refuses two equal titles in one message)."""
    titles: list[str] = []
    for label in labels:
        title = shorten(label, limit)
        number = 2
        while title in titles:
            suffix = f" {number}"
            title = shorten(label, limit - len(suffix)) + suffix
            number += 1
        titles.append(title)
    return titles


def split(text: str, limit: int = MAX_TEXT) -> list[str]:
    """Cut at paragraph, then line, then word boundaries so each part fits."""
    return split_text(text, limit)


def template_message(name: str, language: str, text: str) -> Payload:
    """The approved template, its one body parameter carrying `text` on a single line."""
    # Meta refuses template parameters with line breaks, tabs or more than four spaces in a row.
    flat = shorten(" ".join(text.split()), MAX_TEMPLATE_PARAMETER)
    return {
        "type": "template",
        "template": {
            "name": name,
            "language": {"code": language},
            "components": [{"type": "body", "parameters": [{"type": "text", "text": flat}]}],
        },
    }
