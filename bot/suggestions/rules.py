"""The signals `kb suggest` reads in the log: which wording belongs to which entry.

Pure functions over the records storage reads for it (`bot.suggestions.vocabulary`): a
"Maksud Anda…?" choice that settled a question, an officer's answer that repeats an entry,
and whether two wordings ask the same thing (compared as `bot.reporting.clusters.cluster`
compares them).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable

from rapidfuzz import fuzz

from bot.core import replies
from bot.reporting.clusters import ALIKE, FILLER, GUARD
from bot.suggestions.vocabulary import ChoiceTurn
from knowledge.entries import KnowledgeBase
from knowledge.spelling import clean
from knowledge.text import Normaliser

# A choice pressed this long after the "Maksud Anda…?" question still answers it.
CHOICE_WINDOW = dt.timedelta(minutes=10)
MAX_QUESTION_CHARS = 200
# An officer's answer repeats an entry when it holds most of the entry's words and is mostly
# made of them (a greeting or the contact footer around the pasted answer still passes).
ENTRY_COVERED = 0.8
OFFICER_COVERED = 0.6
MIN_ANSWER_WORDS = 12
PLACEHOLDER = re.compile(r"\[[A-Z][A-Z-]*\]")


def usable(text: str) -> str | None:
    """The text as an example question, or None when it cannot be one."""
    text = " ".join(text.split())
    if (
        not any(ch.isalnum() for ch in text)
        or len(text) > MAX_QUESTION_CHARS
        or text.startswith(("#", "/"))
        or text == replies.TICKET_NO_QUESTION
        or PLACEHOLDER.search(text)
    ):
        return None
    return text


def paired_choices(
    turns: Iterable[ChoiceTurn], *, window: dt.timedelta = CHOICE_WINDOW
) -> list[tuple[str, str]]:
    """(question, entry id) for each clarified question settled by exactly one choice.

    `turns` come per user in time order. A press counts for the user's latest clarified
    question when its entry was among those offered and it came within `window`; pressing
    two different choices leaves the question undecided.
    """
    pairs: list[tuple[str, str]] = []
    asked: ChoiceTurn | None = None
    chosen: set[str] = set()
    for turn in turns:
        if turn.action == "clarify" or (asked is not None and turn.user_hash != asked.user_hash):
            _settle(asked, chosen, pairs)
            asked, chosen = (turn if turn.action == "clarify" else None), set()
        elif asked is not None and turn.faq_id and _offered(asked, turn, window):
            chosen.add(turn.faq_id)
    _settle(asked, chosen, pairs)
    return pairs


def _offered(asked: ChoiceTurn, turn: ChoiceTurn, window: dt.timedelta) -> bool:
    return turn.faq_id in asked.candidates[:3] and turn.created_at - asked.created_at <= window


def _settle(asked: ChoiceTurn | None, chosen: set[str], pairs: list[tuple[str, str]]) -> None:
    if asked is not None and len(chosen) == 1:
        pairs.append((asked.text, next(iter(chosen))))


def _bag(text: str) -> Counter[str]:
    return Counter(clean(text).split())


def repeated_entry(answer: str, kb: KnowledgeBase) -> str | None:
    """The entry whose answer an officer's answer repeats, if any (the closest one)."""
    said = _bag(answer)
    best: tuple[float, str] | None = None
    for entry in kb.entries:
        own = _bag(replies.fill(entry.answer, kb))
        size = sum(own.values())
        shared = sum((said & own).values())
        if size < MIN_ANSWER_WORDS or shared < ENTRY_COVERED * size:
            continue
        if shared >= OFFICER_COVERED * sum(said.values()) and (
            best is None or shared / size > best[0]
        ):
            best = (shared / size, entry.id)
    return best[1] if best else None


def wording_key(normaliser: Normaliser, text: str) -> str:
    """The words that tell wordings apart: normalised, without the filler every question has."""
    words = normaliser.words(text)
    return " ".join([word for word in words if word not in FILLER] or words)


def alike(one: str, other: str) -> bool:
    """Whether two wording keys ask the same thing."""
    return fuzz.token_set_ratio(one, other) >= ALIKE and fuzz.token_sort_ratio(one, other) >= GUARD
