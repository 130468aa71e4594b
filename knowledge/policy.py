"""Turn a ranking into one action: answer, clarify ("Maksud Anda…?") or fallback."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from knowledge.entries import Entry
from knowledge.matcher import Ranking, Scored

MatchAction = Literal["answer", "clarify", "fallback"]
OUT_OF_SCOPE = "luar-layanan"
CHAT = "obrolan"


@dataclass(frozen=True, slots=True)
class Thresholds:
    """Decision thresholds, chosen on the dev set (see README); overridable in settings."""

    answer: float = 0.42
    margin: float = 0.07
    clarify: float = 0.42
    unknown: float = 1.0
    out_of_scope_margin: float = 0.06


@dataclass(frozen=True, slots=True)
class Decision:
    """What to do with one question."""

    action: MatchAction
    entry: Entry | None
    score: float
    candidates: tuple[Scored, ...]
    redirect: Entry | None = None
    # The entry that would have been answered but is past its `valid_until`.
    expired: Entry | None = None


def decide(
    ranking: Ranking, thresholds: Thresholds, *, choices: int = 3, today: dt.date | None = None
) -> Decision:
    """Apply the thresholds; an out-of-scope entry on top means fallback with its pointer."""
    in_scope = tuple(s for s in ranking.scored if s.entry.category != OUT_OF_SCOPE)
    candidates = in_scope[: max(choices, 3)]
    top = ranking.scored[0] if ranking.scored else None
    # Mostly words the KB has never seen: whatever matched did so on filler.
    if (
        top is None
        or top.score < thresholds.clarify
        or ranking.unknown_share >= thresholds.unknown
    ):
        return Decision("fallback", None, top.score if top else 0.0, candidates)
    outside = next((s for s in ranking.scored if s.entry.category == OUT_OF_SCOPE), None)
    # A close out-of-scope rival means the question may well be about another agency's
    # service (a KTP, not a passport): answering it as a passport topic would mislead.
    if outside is not None and outside.score >= top.score - thresholds.out_of_scope_margin:
        return Decision("fallback", None, top.score, candidates, redirect=outside.entry)
    runner_up = ranking.scored[1].score if len(ranking.scored) > 1 else 0.0
    confident = top.score >= thresholds.answer and top.score - runner_up >= thresholds.margin
    if confident and (ranking.content_words > 1 or top.entry.category == CHAT):
        if top.entry.expired(today or dt.date.today()):
            return Decision("fallback", None, top.score, candidates, expired=top.entry)
        return Decision("answer", top.entry, top.score, candidates)
    return Decision("clarify", None, top.score, candidates)
