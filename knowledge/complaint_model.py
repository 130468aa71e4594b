"""A second opinion for hearing complaints: a small logistic model over a message's words and
the cue kinds its clauses hold.

The cues (`complaints.py`) say exactly why a message complains, but every batch of new messages
written after the cues were tuned was heard at only 0.80–0.86 recall: people complain in more
ways than a list of cues foresees. A model fitted on the team-written messages generalises from
the words complaining messages share ("pdhl", "kapan", "mohon diperbaiki") and from how many
negatives, stresses and questions a message holds. It is asked only when the cues hear nothing.
Its coefficients are data (`data/complaint_model.tsv`), fitted by `python -m bot complaints
fit` (bot/runtime/complaint_fit.py), so the decision is the same on every run.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

from knowledge.complaint_cues import Clause

# Counts above this say little more ("!!!!!" is as angry as "!!!").
CAP = 3.0
MODEL_FILE = "complaint_model.tsv"


def features(stems: Sequence[str], clauses: Sequence[Clause], text: str) -> dict[str, float]:
    """Words and word pairs (stems), cue kinds counted over the clauses, and how it is said."""
    found: dict[str, float] = {f"w:{stem}": 1.0 for stem in stems}
    found.update({f"b:{a}_{b}": 1.0 for a, b in itertools.pairwise(stems)})
    for clause in clauses:
        for hit in clause.hits:
            key = f"k:{hit.kind}"
            found[key] = min(CAP, found.get(key, 0.0) + 1.0)
    said = {
        "asks": sum(c.asks for c in clauses),
        "supposes": sum(c.supposes for c in clauses),
        "long_time": sum(c.long_time for c in clauses),
        "elapsed": sum(c.elapsed for c in clauses),
        "question_marks": text.count("?"),
        "exclamations": text.count("!"),
    }
    found.update({f"s:{name}": min(CAP, float(count)) for name, count in said.items()})
    found["s:length"] = math.log1p(len(stems))
    return found


@dataclass(frozen=True, slots=True)
class Model:
    """Bias, weights of the features it knows (others weigh nothing) and the cut-off."""

    bias: float
    weights: Mapping[str, float]
    cut: float

    def probability(self, values: Mapping[str, float]) -> float:
        """The chance that the message complains or suggests."""
        z = self.bias + sum(self.weights.get(name, 0.0) * v for name, v in values.items())
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def hears(self, values: Mapping[str, float]) -> bool:
        return self.probability(values) >= self.cut

    def rows(self) -> list[str]:
        """The model as TSV lines (what `data/complaint_model.tsv` holds)."""
        lines = ["feature\tweight", f"=bias\t{self.bias:.6f}", f"=cut\t{self.cut:.4f}"]
        ordered = sorted(self.weights.items(), key=lambda item: (-abs(item[1]), item[0]))
        return lines + [f"{name}\t{weight:.6f}" for name, weight in ordered]


def parse(text: str) -> Model:
    """Read the TSV form written by `Model.rows`."""
    cells: dict[str, float] = {}
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    for line in lines[1:]:
        name, weight = line.split("\t")
        cells[name] = float(weight)
    bias, cut = cells.pop("=bias"), cells.pop("=cut")
    return Model(bias, cells, cut)


@cache
def shipped() -> Model | None:
    """The fitted model in `data/complaint_model.tsv`, or None before one is fitted."""
    path = resources.files("knowledge").joinpath("data", MODEL_FILE)
    return parse(path.read_text("utf-8")) if path.is_file() else None
