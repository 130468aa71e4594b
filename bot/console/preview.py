"""How an entry's replies will look: the bot's own rendering (`bot.core.turns.Render`, the
contact footer and buttons included) and the lengths the channels and `faq.yaml` allow."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass

from bot.core.turns import Render
from bot.core.vocabulary import Reply
from knowledge.entries import ANSWER_SOFT_MAX, SHORT_MAX, Entry, KnowledgeBase

# The channels' own limits: a Telegram message, and a WhatsApp message body with reply
# buttons (a longer reply is split by the channel, buttons on the last part).
TELEGRAM_MAX = 4096
WHATSAPP_BUTTONS_MAX = 1024


@dataclass(frozen=True, slots=True)
class Limit:
    """One length and its limit."""

    label: str
    length: int
    limit: int

    @property
    def over(self) -> bool:
        """Whether the text is longer than allowed."""
        return self.length > self.limit


@dataclass(frozen=True, slots=True)
class Preview:
    """The first reply, the whole answer (📖 Selengkapnya) and the lengths that matter."""

    first: Reply
    details: Reply | None
    limits: tuple[Limit, ...]


def edited(entry: Entry, *, answer: str, short: str, questions: Sequence[str]) -> Entry:
    """The entry as the form would make it (text as the loader reads it)."""
    kept = tuple(q.strip() for q in questions if q.strip())
    return dataclasses.replace(entry, answer=answer.strip(), short=short.strip(), questions=kept)


def preview(kb: KnowledgeBase, entry: Entry, *, agent: bool) -> Preview:
    """The replies as the bot would send them for `entry` in `kb`."""
    render = Render(kb, agent=agent, subscribe=False)
    first = render.answer(entry, 1)
    details = render.details(entry, 1) if entry.has_details else None
    limits = [
        Limit("Jawaban singkat (short)", len(entry.short), SHORT_MAX),
        Limit("Jawaban lengkap (answer)", len(entry.answer), ANSWER_SOFT_MAX),
        Limit("Balasan pertama, WhatsApp dengan tombol", len(first.text), WHATSAPP_BUTTONS_MAX),
    ]
    if details is not None:
        limits.append(Limit("Selengkapnya, Telegram", len(details.text), TELEGRAM_MAX))
    return Preview(first, details, tuple(limits))
