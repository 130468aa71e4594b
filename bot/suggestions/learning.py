"""Learning wordings from people's choices: which words meant which entry, as the log shows.

Pure: the logged turns come in already read (and redacted), wordings to propose go out.

A person confirms that a wording meant an entry by tapping that entry, and only that one,
among the "Maksud Anda…?" choices the wording got; or by rating 👍 the entry their next
message reached after the wording fell back. A 👎 counts against the pair: on the entry tapped
for the wording, or on the entry a typed wording was answered with outright. Near-identical
wordings (as `kb suggest` compares them) count together, each person once. A wording is
proposed when the people confirming it outnumber those against it by `min_people`.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import groupby

from bot.core.vocabulary import ENTRY
from bot.suggestions.rules import CHOICE_WINDOW, alike, usable, wording_key
from bot.suggestions.vocabulary import LoggedTurn
from knowledge.text import Normaliser

MIN_PEOPLE = 3


@dataclass(frozen=True, slots=True)
class Signal:
    """One person's word on a wording → entry pair: for it (`confirms`) or against it."""

    user_hash: str
    text: str
    entry_id: str
    confirms: bool


@dataclass(frozen=True, slots=True)
class Learned:
    """A wording to propose as an example question of `entry_id`."""

    entry_id: str
    text: str
    key: str  # the wording's key (`rules.wording_key`), to know it again
    people: int
    against: int


@dataclass(slots=True)
class _Tally:
    people: set[str] = field(default_factory=set)
    against: set[str] = field(default_factory=set)
    texts: Counter[str] = field(default_factory=Counter)


@dataclass(slots=True)
class _Group:
    key: str
    entries: dict[str, _Tally] = field(default_factory=dict)


def signals(turns: Iterable[LoggedTurn], *, window: dt.timedelta = CHOICE_WINDOW) -> list[Signal]:
    """Every person's confirmations and 👎 in the log (`turns` per user in time order)."""
    found: list[Signal] = []
    for _, own in groupby(turns, key=lambda turn: turn.user_hash):
        found.extend(_Reader(window).read(own))
    return found


class _Reader:
    """One person's turns, in order."""

    def __init__(self, window: dt.timedelta) -> None:
        self._window = window
        self._asked: LoggedTurn | None = None  # the last clarified wording
        self._taps: dict[str, LoggedTurn] = {}  # its choices tapped, by entry
        self._missed: LoggedTurn | None = None  # the last wording that fell back

    def read(self, turns: Iterable[LoggedTurn]) -> Iterator[Signal]:
        for turn in turns:
            if turn.typed and turn.action in ("clarify", "fallback"):
                yield from self._settle()
                if turn.action == "clarify":
                    self._asked = turn
                else:
                    self._missed = turn
            elif turn.action == "answer" and turn.faq_id:
                yield from self._answer(turn, turn.faq_id)
        yield from self._settle()

    def _answer(self, turn: LoggedTurn, entry_id: str) -> Iterator[Signal]:
        asked = self._asked
        if asked is not None and _tap(turn) and self._offered(asked, turn, entry_id):
            self._taps[entry_id] = turn
            return
        missed, self._missed = self._missed, None
        if missed is not None and turn.helpful and self._soon(missed, turn):
            yield Signal(turn.user_hash, missed.text, entry_id, confirms=True)
        if turn.typed and turn.helpful is False:
            yield Signal(turn.user_hash, turn.text, entry_id, confirms=False)

    def _settle(self) -> Iterator[Signal]:
        """The clarified wording is settled by one choice (two leave it undecided)."""
        asked, taps = self._asked, self._taps
        self._asked, self._taps, self._missed = None, {}, None
        if asked is not None and len(taps) == 1:
            ((entry_id, tap),) = taps.items()
            yield Signal(asked.user_hash, asked.text, entry_id, confirms=tap.helpful is not False)

    def _offered(self, asked: LoggedTurn, turn: LoggedTurn, entry_id: str) -> bool:
        return entry_id in asked.candidates[:3] and self._soon(asked, turn)

    def _soon(self, before: LoggedTurn, after: LoggedTurn) -> bool:
        return after.created_at - before.created_at <= self._window


def _tap(turn: LoggedTurn) -> bool:
    return turn.text.startswith(ENTRY)


def learned(
    found: Sequence[Signal],
    normaliser: Normaliser,
    *,
    known: set[str],
    min_people: int = MIN_PEOPLE,
) -> list[Learned]:
    """The wordings confirmed by enough more people than spoke against them; `known` holds
    the knowledge base's questions, normalised (a wording it has already is not learned)."""
    groups: list[_Group] = []
    for signal in found:
        text = usable(signal.text)
        key = wording_key(normaliser, text) if text else ""
        if text is None or not key or normaliser.normalise(text) in known:
            continue
        group = next((g for g in groups if alike(g.key, key)), None)
        if group is None:
            group = _Group(key)
            groups.append(group)
        tally = group.entries.setdefault(signal.entry_id, _Tally())
        (tally.people if signal.confirms else tally.against).add(signal.user_hash)
        if signal.confirms:
            tally.texts[text] += 1
    return [
        _learned(group.key, entry_id, tally)
        for group in groups
        for entry_id, tally in group.entries.items()
        if tally.texts and len(tally.people) - len(tally.against) >= min_people
    ]


def _learned(key: str, entry_id: str, tally: _Tally) -> Learned:
    text = tally.texts.most_common(1)[0][0]
    return Learned(entry_id, text, key, len(tally.people), len(tally.against))


@dataclass(frozen=True, slots=True)
class Support:
    """How many people confirmed a wording → entry pair, and how many spoke against it."""

    people: int
    against: int


def support(found: Sequence[Signal], normaliser: Normaliser, key: str, entry_id: str) -> Support:
    """The people for and against the pair `key` → `entry_id` in `found`."""
    people: set[str] = set()
    against: set[str] = set()
    for signal in found:
        text = usable(signal.text)
        if signal.entry_id != entry_id or text is None:
            continue
        if alike(key, wording_key(normaliser, text)):
            (people if signal.confirms else against).add(signal.user_hash)
    return Support(len(people), len(against))


def unlearned(support: Support, min_people: int) -> bool:
    """Whether a pair with this support has lost what it was proposed with."""
    return support.people - support.against < min_people
