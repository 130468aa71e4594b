"""The calibrated decision: features of a ranking and two small logistic models over them.

`p_answer` estimates that the top entry is the right answer; `p_help` that the message is a
passport question whose right entry is among the three offered. Both were fitted on the
labelled dev sets by `python -m bot calibrate` (docs/how-it-works.md); the coefficients live in
`data/calibration.tsv`, so the decision is the same on every run.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache
from importlib import resources

from knowledge.ranking import CHAT, OUT_OF_SCOPE, Ranking, Scored

FEATURES = (
    "top",
    "margin",
    "coverage",
    "domain",
    "agreement",
    "part_best",
    "length",
    "unknown",
    "outside_gap",
    "chat",
    "long",
    "top_long",
    "coverage_long",
    "margin_long",
    "domain_top",
    "asked",
    "domain_asked",
    "asked_unknown",
    "ratio",
    "question",
    "centroid",
    "fuzzy",
    "question_gap",
    "centroid_gap",
    "fuzzy_gap",
    "coverage_gap",
    "asked_gap",
    "keywords",
    "keywords_gap",
    "outside_keywords",
)
# Keyword counts are capped: a fourth keyword says little a third did not.
MAX_KEYWORDS = 3
# A message this long reads differently (scores spread thinner): its own slopes.
LONG_WORDS = 12
MODELS = ("answer", "help")


def features(ranking: Ranking) -> dict[str, float]:
    """What separates a right answer from a wrong one, on comparable scales."""
    values = _base(ranking)
    long = 1.0 if ranking.content_words > LONG_WORDS else 0.0
    values["long"] = long
    for name in ("top", "coverage", "margin"):
        values[f"{name}_long"] = values[name] * long
    values["domain_top"] = values["domain"] * values["top"]
    return values


def _base(ranking: Ranking) -> dict[str, float]:
    in_scope = [s for s in ranking.scored if s.entry.category != OUT_OF_SCOPE]
    outside = next((s for s in ranking.scored if s.entry.category == OUT_OF_SCOPE), None)
    top = in_scope[0] if in_scope else None
    score = top.score if top else 0.0
    runner_up = in_scope[1].score if len(in_scope) > 1 else 0.0
    return {
        "top": score,
        "margin": score - runner_up,
        # How many times the runner-up the top scores: separates right from wrong answers
        # better than the difference when every score is low (long messages).
        "ratio": math.log((score + 0.01) / (runner_up + 0.01)),
        "coverage": top.coverage if top else 0.0,
        "asked": top.asked if top else 0.0,
        "domain": 1.0 if ranking.domain_terms else 0.0,
        "domain_asked": 1.0 if ranking.domain_asked else 0.0,
        **_agreement(ranking, top),
        **_signals(top, in_scope[1] if len(in_scope) > 1 else None, outside),
        "length": math.log1p(ranking.content_words),
        "unknown": ranking.unknown_share,
        "asked_unknown": ranking.asked_unknown,
        "outside_gap": (outside.score - score) if outside else -0.5,
        "chat": 1.0 if top is not None and top.entry.category == CHAT else 0.0,
    }


def _signals(
    top: Scored | None, runner_up: Scored | None, outside: Scored | None
) -> dict[str, float]:
    """The top entry's own signals, and how far they stand above the runner-up's."""
    names = ("question", "centroid", "fuzzy", "coverage", "asked", "keywords")
    mine = _values(top, names)
    theirs = _values(runner_up, names)
    # Coverage and asked of the top entry are features of their own already.
    values = {name: mine[name] for name in ("question", "centroid", "fuzzy", "keywords")}
    values.update({f"{name}_gap": mine[name] - theirs[name] for name in names})
    values["outside_keywords"] = _values(outside, names)["keywords"]
    return values


def _values(scored: Scored | None, names: tuple[str, ...]) -> dict[str, float]:
    if scored is None:
        return dict.fromkeys(names, 0.0)
    values = {name: float(getattr(scored, name)) for name in names}
    values["keywords"] = float(min(scored.keywords, MAX_KEYWORDS))
    return values


def _agreement(ranking: Ranking, top: Scored | None) -> dict[str, float]:
    """How many of the message's parts point at the top entry, and the best such part."""
    if top is None:
        return {"agreement": 0.0, "part_best": 0.0}
    if not ranking.part_tops:
        return {"agreement": 1.0, "part_best": top.score}
    mine = [score for entry_id, score in ranking.part_tops if entry_id == top.entry.id]
    return {
        "agreement": len(mine) / len(ranking.part_tops),
        "part_best": max(mine, default=0.0),
    }


@dataclass(frozen=True, slots=True)
class Model:
    """Coefficients per model (bias first, then FEATURES) and the probability cut-offs."""

    answer: tuple[float, ...]
    help: tuple[float, ...]
    answer_cut: float
    help_cut: float
    # Long messages (more than LONG_WORDS content words) get their own cut-offs.
    long_answer_cut: float
    long_help_cut: float

    def probabilities(self, values: dict[str, float]) -> tuple[float, float]:
        """(p_answer, p_help) for one message's features."""
        row = [values[name] for name in FEATURES]
        return _logistic(self.answer, row), _logistic(self.help, row)

    def rows(self) -> list[str]:
        """The model as TSV lines (what `data/calibration.tsv` holds)."""
        lines = [
            "name\tanswer\thelp",
            f"cut\t{self.answer_cut:.4f}\t{self.help_cut:.4f}",
            f"cut_long\t{self.long_answer_cut:.4f}\t{self.long_help_cut:.4f}",
        ]
        for i, name in enumerate(("bias", *FEATURES)):
            lines.append(f"{name}\t{self.answer[i]:.6f}\t{self.help[i]:.6f}")
        return lines


def _logistic(coefficients: tuple[float, ...], row: list[float]) -> float:
    z = coefficients[0] + sum(c * v for c, v in zip(coefficients[1:], row, strict=True))
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def parse(text: str) -> Model:
    """Read the TSV form written by `Model.rows`."""
    cells = {}
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            name, answer, helps = line.split("\t")
            cells[name] = (answer, helps)
    # A feature the file does not know yet weighs nothing until the model is refitted.
    order = [cells.get(n, ("0", "0")) for n in ("bias", *FEATURES)]
    return Model(
        answer=tuple(float(a) for a, _ in order),
        help=tuple(float(h) for _, h in order),
        answer_cut=float(cells["cut"][0]),
        help_cut=float(cells["cut"][1]),
        long_answer_cut=float(cells.get("cut_long", cells["cut"])[0]),
        long_help_cut=float(cells.get("cut_long", cells["cut"])[1]),
    )


@cache
def shipped() -> Model:
    """The fitted model in `data/calibration.tsv`."""
    path = resources.files("knowledge").joinpath("data", "calibration.tsv")
    return parse(path.read_text(encoding="utf-8"))
