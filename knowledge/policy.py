"""Turn a ranking into one action: answer, clarify ("Maksud Anda…?") or fallback.

The choice comes from the calibrated model in `knowledge.calibration`: answer when the top
entry is very probably right, offer the top three when the message is probably a passport
question they cover, otherwise fall back — naming an out-of-scope pointer when one fits.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import Literal

from knowledge.calibration import LONG_WORDS, Model, features, shipped
from knowledge.entries import Entry
from knowledge.ranking import CHAT, OUT_OF_SCOPE, Ranking, Scored

__all__ = ["CHAT", "OUT_OF_SCOPE", "Decision", "MatchAction", "Thresholds", "decide"]

MatchAction = Literal["answer", "clarify", "fallback"]
MIN_MARGIN = 0.03
# A message with no passport term at all is offered "Maksud Anda…?" only when the model is
# this sure: otherwise a question about pets in the waiting room gets three unrelated buttons.
CLARIFY_WITHOUT_DOMAIN = 0.70


@dataclass(frozen=True, slots=True)
class Thresholds:
    """Probability cut-offs (default: the fitted ones) and the out-of-scope pointer margin."""

    answer: float = field(default_factory=lambda: shipped().answer_cut)
    clarify: float = field(default_factory=lambda: shipped().help_cut)
    out_of_scope_margin: float = 0.06
    # A fallback names a pointer only above this score: a weak match ("kkkk" for Kartu
    # Keluarga) would send someone to the wrong agency.
    pointer_min: float = 0.36
    model: Model = field(default_factory=shipped)
    answer_long: float = field(default_factory=lambda: shipped().long_answer_cut)
    clarify_long: float = field(default_factory=lambda: shipped().long_help_cut)

    @classmethod
    def of(cls, model: Model) -> Thresholds:
        """The cut-offs a fitted model came with."""
        return cls(
            model.answer_cut,
            model.help_cut,
            model=model,
            answer_long=model.long_answer_cut,
            clarify_long=model.long_help_cut,
        )

    def cuts(self, content_words: int) -> tuple[float, float]:
        """(answer, clarify) cut-offs for a message of this many content words."""
        if content_words > LONG_WORDS:
            return self.answer_long, self.clarify_long
        return self.answer, self.clarify


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
    # The evidence behind the choice (see `knowledge.calibration.FEATURES`).
    features: dict[str, float] = field(default_factory=dict)
    p_answer: float = 0.0
    p_help: float = 0.0
    reason: str = ""


def answerable(p_answer: float, cut: float, values: dict[str, float]) -> bool:
    """Probable enough, and not a near tie: two entries that close are offered, not guessed."""
    return p_answer >= cut and values["margin"] >= MIN_MARGIN


def clarifiable(p_help: float, cut: float, values: dict[str, float]) -> bool:
    """Probably a passport question the top three cover (surer when no passport term shows)."""
    return p_help >= help_cut(cut, values)


def help_cut(cut: float, values: dict[str, float]) -> float:
    """The clarify cut-off that applies: higher when no passport term shows."""
    return cut if values["domain"] else max(cut, CLARIFY_WITHOUT_DOMAIN)


def decide(
    ranking: Ranking, thresholds: Thresholds, *, choices: int = 3, today: dt.date | None = None
) -> Decision:
    """Answer, clarify or fall back; an out-of-scope pointer that fits better means fallback."""
    in_scope = tuple(s for s in ranking.scored if s.entry.category != OUT_OF_SCOPE)
    values = features(ranking)
    p_answer, p_help = thresholds.model.probabilities(values)
    top = in_scope[0] if in_scope else None
    outside = next((s for s in ranking.scored if s.entry.category == OUT_OF_SCOPE), None)
    decision = Decision(
        "fallback",
        None,
        top.score if top else 0.0,
        in_scope[: max(choices, 3)],
        features=values,
        p_answer=p_answer,
        p_help=p_help,
        reason="nothing matched",
    )
    if top is None:
        return decision
    return _choose(decision, ranking, thresholds, top, outside, today or dt.date.today())


def _choose(
    base: Decision,
    ranking: Ranking,
    thresholds: Thresholds,
    top: Scored,
    outside: Scored | None,
    today: dt.date,
) -> Decision:
    p_answer, p_help = base.p_answer, base.p_help
    cut_answer, cut_help = thresholds.cuts(ranking.content_words)
    if outside is not None and outside.score >= top.score:
        why = f"the out-of-scope pointer {outside.entry.id} fits better"
        return replace(base, redirect=_pointer(outside, thresholds), reason=why)
    if answerable(p_answer, cut_answer, base.features) and (
        ranking.content_words > 1 or top.entry.category == CHAT
    ):
        if top.entry.expired(today):
            return replace(base, expired=top.entry, reason="the entry is past its valid_until")
        why = f"p_answer {p_answer:.2f} >= {cut_answer:.2f}"
        return replace(base, action="answer", entry=top.entry, reason=why)
    unsure = _not_sure(p_answer, cut_answer, base.features, ranking.content_words)
    cut_help = help_cut(cut_help, base.features)  # the reason names the cut-off that applied
    if clarifiable(p_help, cut_help, base.features) and top.entry.category != CHAT:
        return replace(
            base, action="clarify", reason=f"{unsure}, p_help {p_help:.2f} >= {cut_help:.2f}"
        )
    near = outside and outside.score >= top.score - thresholds.out_of_scope_margin
    pointer = _pointer(outside, thresholds) if near and outside else None
    return replace(
        base, redirect=pointer, reason=f"{unsure} and p_help {p_help:.2f} < {cut_help:.2f}"
    )


def _not_sure(p_answer: float, cut: float, values: dict[str, float], words: int) -> str:
    """Why the top entry was not answered: too unsure, a near tie with the runner-up, or one
    word only (sure of the topic, not of what about it is asked)."""
    if p_answer < cut:
        return f"p_answer {p_answer:.2f} < {cut:.2f}"
    if values["margin"] < MIN_MARGIN:
        return f"near tie: margin {values['margin']:.2f} < {MIN_MARGIN}"
    return f"{words} content word: too little to answer from"


def _pointer(outside: Scored, thresholds: Thresholds) -> Entry | None:
    """The out-of-scope pointer to name in a fallback, if it matched well enough to trust."""
    return outside.entry if outside.score >= thresholds.pointer_min else None
