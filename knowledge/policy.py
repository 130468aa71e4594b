"""Turn a ranking into one action: answer, clarify ("Maksud Anda…?") or fallback."""

from __future__ import annotations

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

    answer: float = 0.55
    margin: float = 0.06
    clarify: float = 0.30
    unknown: float = 0.5


@dataclass(frozen=True, slots=True)
class Decision:
    """What to do with one question."""

    action: MatchAction
    entry: Entry | None
    score: float
    candidates: tuple[Scored, ...]
    redirect: Entry | None = None


def decide(ranking: Ranking, thresholds: Thresholds, *, choices: int = 3) -> Decision:
    """Apply the thresholds; an out-of-scope entry on top means fallback with its pointer."""
    in_scope = tuple(s for s in ranking.scored if s.entry.category != OUT_OF_SCOPE)
    candidates = in_scope[: max(choices, 3)]
    top = ranking.scored[0] if ranking.scored else None
    # Mostly words the KB has never seen: whatever matched did so on filler.
    if top is None or top.score < thresholds.clarify or ranking.unknown_share >= thresholds.unknown:
        return Decision("fallback", None, top.score if top else 0.0, candidates)
    if top.entry.category == OUT_OF_SCOPE:
        return Decision("fallback", None, top.score, candidates, redirect=top.entry)
    runner_up = ranking.scored[1].score if len(ranking.scored) > 1 else 0.0
    confident = top.score >= thresholds.answer and top.score - runner_up >= thresholds.margin
    if confident and (ranking.content_words > 1 or top.entry.category == CHAT):
        return Decision("answer", top.entry, top.score, candidates)
    return Decision("clarify", None, top.score, candidates)
