"""Fit the complaint model (`knowledge.complaint_model`) on team-written labelled messages.

`python -m bot complaints fit tests/data/complaints.tsv --hold final2,final3` fits an
L2-penalised logistic regression (numpy, gradient descent) on every batch but the held ones,
reports each training batch heard by a model fitted without it (leave one batch out) and the
held batches heard by the model fitted on all training batches: the figures to expect on new
messages. `--write` saves that model to `knowledge/data/complaint_model.tsv`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from knowledge.complaint_model import MODEL_FILE, Model
from knowledge.complaints import Recogniser

Array = npt.NDArray[np.float64]
MODEL_PATH = Path(__file__).resolve().parents[2] / "knowledge" / "data" / MODEL_FILE
QUESTION = "pertanyaan"
# A feature seen in fewer training messages than this is one message's words: not learned.
MIN_MESSAGES = 2
PENALTY = 1.0
STEPS = 400
RATE = 0.5
# Hear a complaint when the model gives it even odds: a question wrongly thanked for its
# feedback still gets its answer; a complaint missed is not passed on. Every batch left out in
# turn stayed at or under 2% of questions flagged at this cut (docs/figures.md).
CUT = 0.5


@dataclass(frozen=True, slots=True)
class Labelled:
    """One team-written message: its text, whether it complains or suggests, its batch."""

    text: str
    voiced: bool
    batch: str


@dataclass(frozen=True, slots=True)
class Heard:
    """Recall on complaints and suggestions, and the share of plain questions flagged."""

    batch: str
    recall: float
    flagged: float
    voices: int
    questions: int

    def line(self) -> str:
        return (
            f"{self.batch:<16} recall {self.recall:.3f} ({self.voices} complaints and"
            f" suggestions)  questions flagged {self.flagged:.3f} (of {self.questions})"
        )


def read(path: Path) -> list[Labelled]:
    """The rows of a test-set file: text, label, topic, batch (comments and header skipped)."""
    lines = [line for line in path.read_text("utf-8").splitlines() if not line.startswith("#")]
    rows = [line.split("\t") for line in lines[1:] if line.strip()]
    return [Labelled(cells[0], cells[1] != QUESTION, cells[3]) for cells in rows]


def fit(rows: Sequence[Labelled], reader: Recogniser) -> Model:
    """The model fitted on `rows`."""
    found = [reader.features(row.text, reader.read(row.text)) for row in rows]
    seen: dict[str, int] = {}
    for values in found:
        for name in values:
            seen[name] = seen.get(name, 0) + 1
    names = sorted(name for name, count in seen.items() if count >= MIN_MESSAGES)
    column = {name: i for i, name in enumerate(names)}
    x = np.zeros((len(rows), len(names)))
    for i, values in enumerate(found):
        for name, value in values.items():
            if name in column:
                x[i, column[name]] = value
    y = np.array([row.voiced for row in rows], dtype=float)
    bias, weights = _descend(x, y)
    kept = {name: float(w) for name, w in zip(names, weights, strict=True) if abs(w) >= 1e-4}
    return Model(bias, kept, CUT)


def _descend(x: Array, y: Array) -> tuple[float, Array]:
    """Bias and weights of the logistic regression, by full-batch gradient descent."""
    weights = np.zeros(x.shape[1])
    bias = 0.0
    for _ in range(STEPS):
        p = 1.0 / (1.0 + np.exp(-np.clip(x @ weights + bias, -30, 30)))
        weights -= RATE * (x.T @ (p - y) + PENALTY * weights) / len(y)
        bias -= RATE * float((p - y).mean())
    return bias, weights


def heard(batch: str, rows: Sequence[Labelled], reader: Recogniser) -> Heard:
    """How `reader` (cues, then its model) hears `rows`."""
    voices = [r for r in rows if r.voiced]
    questions = [r for r in rows if not r.voiced]
    recall = sum(reader.hear(r.text) is not None for r in voices) / (len(voices) or 1)
    flagged = sum(reader.hear(r.text) is not None for r in questions) / (len(questions) or 1)
    return Heard(batch, recall, flagged, len(voices), len(questions))


def report(rows: Sequence[Labelled], held: set[str]) -> tuple[Model, list[str]]:
    """The model fitted on every batch not held, and the figures (lines) that judge it."""
    plain = Recogniser()
    train = [r for r in rows if r.batch not in held]
    lines = ["Each training batch, heard by a model fitted without it (cues tuned on it):"]
    for batch in _batches(train):
        reader = Recogniser(model=fit([r for r in train if r.batch != batch], plain))
        lines.append("  " + heard(batch, [r for r in train if r.batch == batch], reader).line())
    model = fit(train, plain)
    reader = Recogniser(model=model)
    lines.append(
        "Held batches (neither cues nor model saw them): cues alone, then with the model:"
    )
    for batch in sorted(held):
        chosen = [r for r in rows if r.batch == batch]
        lines.append("  " + heard(batch, chosen, plain).line())
        lines.append("  " + heard(batch, chosen, reader).line())
    return model, lines


def _batches(rows: Sequence[Labelled]) -> list[str]:
    return list(dict.fromkeys(r.batch for r in rows))


def run(path: Path, held: set[str], *, write: bool) -> int:
    """`complaints fit`: print the figures, optionally save the model."""
    model, lines = report(read(path), held)
    print("\n".join(lines))
    if write:
        save(model)
        print(f"saved to {MODEL_PATH}")
    return 0


def save(model: Model, path: Path = MODEL_PATH) -> None:
    """Save the fitted model as data."""
    header = [
        "# Fitted by `python -m bot complaints fit --write` on the team-written messages of",
        "# tests/data/complaints.tsv, held batches left out (docs/figures.md).",
        "# Do not edit by hand: refit after changing the cues or the normaliser's maps.",
    ]
    path.write_text("\n".join(header + model.rows()) + "\n", encoding="utf-8")
