"""Turn core replies into Instagram Send API messages within Instagram's limits.

Text is split under 1,000 bytes (UTF-8: Instagram counts bytes, so an Indonesian answer with
emoji holds fewer characters than the number suggests), at paragraph, line or word boundaries,
and the contact footer stays whole on the last part. Buttons become quick replies under the
last part (at most 13, titles cut to 20 characters at a word). A comment gets one private reply
(one message, so the answer is shortened to fit) and a short public reply under it.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from typing import Any

from bot.core.escalation import AGENT
from bot.core.vocabulary import Button, Reply

Payload = dict[str, Any]

MAX_TEXT_BYTES = 1000
MAX_QUICK_REPLIES = 13
MAX_TITLE = 20
MAX_PAYLOAD = 1000
FOOTER_MARK = "📞"  # how every core footer starts (bot.core.replies.footer)
FEEDBACK_PREFIX = "#fb:"
ELLIPSIS = "…"
PUBLIC_ANSWERED = "Sudah kami balas lewat DM ya 🙏"
PUBLIC_FALLBACK = (
    "Terima kasih sudah bertanya 🙏 Pertanyaan ini belum bisa kami jawab di sini. "
    "Silakan kirim DM ke akun ini supaya bisa kami bantu lebih lanjut."
)
# Zero-width joiners, variation selectors and skin tones belong to the character before them:
# a hard cut in front of one would break an emoji in two.
ZWJ = "\u200d"
_JOINERS = frozenset({ZWJ, "\ufe0e", "\ufe0f"})
SKIN_TONES = frozenset(chr(code) for code in range(0x1F3FB, 0x1F400))


def render(reply: Reply) -> list[Payload]:
    """The message objects for one reply, in sending order (without the recipient)."""
    parts = split(reply.text)
    messages: list[Payload] = [{"text": part} for part in parts]
    quick = quick_replies(reply.buttons)
    if quick:
        messages[-1]["quick_replies"] = quick
    return messages


def private_reply(comment_id: str, reply: Reply) -> Payload:
    """The one private reply Instagram allows to a comment: the answer, shortened to fit."""
    message: Payload = {"text": fit(reply.text)}
    quick = quick_replies(reply.buttons)
    if quick:
        message["quick_replies"] = quick
    return {"recipient": {"comment_id": comment_id}, "message": message}


def public_reply(contact: str) -> str:
    """The reply under a comment answered by DM, so other readers see the office answers."""
    return f"{PUBLIC_ANSWERED}\n{contact}".strip()


def public_fallback(contact: str) -> str:
    """The reply under a comment the bot cannot answer: the contact and an offer of a DM."""
    return f"{PUBLIC_FALLBACK}\n{contact}".strip()


def contact_line(text: str) -> str:
    """The contact footer that ends a core reply ("" when there is none)."""
    _, footer = _footer(text)
    return footer


def quick_replies(buttons: Sequence[Button]) -> list[Payload]:
    """Buttons as quick replies: 👍/👎 and "Tanya petugas" kept when there are too many."""
    chosen = _pick([b for b in buttons if b.data and len(b.data) <= MAX_PAYLOAD])
    titles = unique_titles([b.label for b in chosen], MAX_TITLE)
    return [
        {"content_type": "text", "title": title, "payload": button.data}
        for button, title in zip(chosen, titles, strict=True)
    ]


def _pick(buttons: list[Button]) -> list[Button]:
    """At most 13, in their order; choices give way first (the rest only appear in a list)."""
    if len(buttons) <= MAX_QUICK_REPLIES:
        return buttons
    kept = {b for b in buttons if b.data.startswith(FEEDBACK_PREFIX) or b.data == AGENT}
    room = MAX_QUICK_REPLIES - len(kept)
    choices = [b for b in buttons if b not in kept][: max(room, 0)]
    return [b for b in buttons if b in kept or b in choices][:MAX_QUICK_REPLIES]


def split(text: str, limit: int = MAX_TEXT_BYTES) -> list[str]:
    """Parts of at most `limit` bytes; the contact footer whole on the last one."""
    body, footer = _footer(text.strip() or ELLIPSIS)
    if not footer:
        return split_bytes(body, limit)
    parts = split_bytes(body, limit) if body else []
    if parts and _size(f"{parts[-1]}\n\n{footer}") <= limit:
        return [*parts[:-1], f"{parts[-1]}\n\n{footer}"]
    return parts + split_bytes(footer, limit)


def fit(text: str, limit: int = MAX_TEXT_BYTES) -> str:
    """One part of at most `limit` bytes: the start of the body, "…", and the footer."""
    text = text.strip() or ELLIPSIS
    if _size(text) <= limit:
        return text
    body, footer = _footer(text)
    tail = f"{ELLIPSIS}\n\n{footer}" if footer else ELLIPSIS
    room = limit - _size(tail)
    if room <= 0:  # a footer too long to keep: the text alone, cut
        return split_bytes(text, limit - _size(ELLIPSIS))[0] + ELLIPSIS
    return split_bytes(body, room)[0] + tail


def split_bytes(text: str, limit: int) -> list[str]:
    """Cut at paragraph, then line, then word boundaries so each part fits in `limit` bytes."""
    text = text.strip() or ELLIPSIS
    parts: list[str] = []
    while _size(text) > limit:
        head = text.encode()[:limit].decode("utf-8", "ignore")
        cut = max(head.rfind("\n\n"), head.rfind("\n"), head.rfind(" "))
        cut = cut if cut > len(head) // 2 else _whole(text, len(head))
        parts.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
    parts.append(text)
    return parts


def _whole(text: str, end: int) -> int:
    """Where to cut a run without spaces near `end`: never inside an emoji sequence."""
    while end > 1 and _inside(text, end):
        end -= 1
    return end


def _inside(text: str, end: int) -> bool:
    """Whether a cut before `text[end]` would split one visible character."""
    if text[end - 1] == ZWJ:
        return True
    if end == len(text):
        return False
    if text[end] in _JOINERS or text[end] in SKIN_TONES or unicodedata.combining(text[end]):
        return True
    # A flag is two regional indicators: count those before the cut to know if it is inside.
    run = 0
    while run < end and _regional(text[end - 1 - run]):
        run += 1
    return run % 2 == 1 and _regional(text[end])


def _regional(char: str) -> bool:
    return "\U0001f1e6" <= char <= "\U0001f1ff"


def _footer(text: str) -> tuple[str, str]:
    """(body, footer) when the text ends with the contact paragraph, else (text, "")."""
    body, sep, last = text.rpartition("\n\n")
    if sep and last.startswith(FOOTER_MARK):
        return body.rstrip(), last.strip()
    if text.startswith(FOOTER_MARK) and "\n\n" not in text:
        return "", text
    return text, ""


def _size(text: str) -> int:
    return len(text.encode())


def shorten(label: str, limit: int) -> str:
    """Fit a label in `limit` characters, cutting at a word where that keeps most of it."""
    label = " ".join(label.split())
    if len(label) <= limit:
        return label
    cut = label.rfind(" ", 0, limit)
    head = label[:cut] if cut > limit // 2 else label[: limit - 1]
    return head.rstrip(" ,.;:-/(") + ELLIPSIS


def unique_titles(labels: Sequence[str], limit: int) -> list[str]:
    """Shortened labels, made distinct so two quick replies never read the same."""
    titles: list[str] = []
    for label in labels:
        title, number = shorten(label, limit), 2
        while title in titles:
            title = f"{shorten(label, limit - len(str(number)) - 1)} {number}"
            number += 1
        titles.append(title)
    return titles
