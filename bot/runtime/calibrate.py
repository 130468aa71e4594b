"""Fit the decision model on labelled files, with k-fold cross-validation.

`python -m bot calibrate dev.tsv dev-long.tsv` fits two logistic models (numpy, Newton's
method with a small L2 penalty) on the features of every labelled message, picks the
probability cut-offs on the same training rows, and reports the figures on held-out folds
(each fold decided by a model fitted without it) beside the figures of the model fitted on
everything. `--write` saves that model to `knowledge/data/calibration.tsv`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from bot.runtime.evaluate import OOS, Row
from knowledge.calibration import FEATURES, Model, features
from knowledge.matcher import Matcher
from knowledge.policy import Decision, Thresholds, answerable, clarifiable, decide
from knowledge.ranking import OUT_OF_SCOPE

Array = npt.NDArray[np.float64]
MODEL_PATH = Path(__file__).resolve().parents[2] / "knowledge" / "data" / "calibration.tsv"
PENALTY = 2.0
# Answer when the model puts the top entry's chance of being right at 70% or more. A fixed
# product choice, not fitted: cut-offs fitted per fold jumped between 0.5 and 0.9 on the
# same data (see docs/how-it-works.md, "How confident must an answer be").
ANSWER_CUT = 0.70
# Training targets for the clarify cut-off.
PRECISION_TARGET = 0.96
OOS_TARGET = 0.88
SHORTFALL_COST = 20.0
INNER_FOLDS = 5
SMOOTHING = 2
# What the cut-offs maximise, less the cost of missing a target.
GAIN = {"accuracy": 1.0, "resolved": 1.0, "oos": 1.0}
CUTS = tuple(round(0.02 * i, 2) for i in range(5, 50))


@dataclass(frozen=True, slots=True)
class Labelled:
    """One row's features and what would have been right."""

    row: Row
    values: Array
    top_right: bool
    top3_right: bool
    oos: bool


def label(rows: list[Row], matcher: Matcher) -> list[Labelled]:
    """Rank every row once; the model never changes the ranking."""
    out: list[Labelled] = []
    for row in rows:
        ranking = matcher.rank(row.question)
        values = features(ranking)
        ids = [s.entry.id for s in ranking.scored if s.entry.category != OUT_OF_SCOPE][:3]
        oos = OOS in row.expected
        right = bool(ids) and ids[0] in row.expected and not oos
        vector = np.array([values[name] for name in FEATURES])
        out.append(Labelled(row, vector, right, bool(set(ids) & row.expected), oos))
    return out


def fit_logistic(x: Array, y: Array) -> Array:
    """Coefficients (bias first) of an L2-penalised logistic regression, by Newton's method."""
    mean, std = x.mean(axis=0), x.std(axis=0) + 1e-9
    z = np.hstack([np.ones((len(x), 1)), (x - mean) / std])
    w = np.zeros(z.shape[1])
    ridge = PENALTY * np.eye(z.shape[1])
    ridge[0, 0] = 0.0
    for _ in range(50):
        p = 1.0 / (1.0 + np.exp(-np.clip(z @ w, -30, 30)))
        gradient = z.T @ (p - y) + ridge @ w
        hessian = (z.T * (p * (1 - p))) @ z + ridge
        step = np.linalg.solve(hessian, gradient)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    # Fold the standardisation into the coefficients: the runtime sees raw features.
    raw = w[1:] / std
    return np.concatenate([[w[0] - float(raw @ mean)], raw])


def fit(data: list[Labelled]) -> Model:
    """Both models, and per message length the cut-offs that meet the targets best.

    The cut-offs are chosen on out-of-fold probabilities (each row scored by models fitted
    without it): a model is surer of the rows it was fitted on than of new messages.
    """
    model = _models(data)
    chances: list[tuple[float, float]] = [(0.0, 0.0)] * len(data)
    for fold in range(INNER_FOLDS):
        inner = _models([d for i, d in enumerate(data) if i % INNER_FOLDS != fold])
        for i in range(fold, len(data), INNER_FOLDS):
            chances[i] = inner.probabilities(dict(zip(FEATURES, data[i].values, strict=True)))
    long = FEATURES.index("long")
    short_rows = [i for i, d in enumerate(data) if not d.values[long]]
    long_rows = [i for i, d in enumerate(data) if d.values[long]]
    short = _cuts([data[i] for i in short_rows], [chances[i] for i in short_rows])
    longer = _cuts([data[i] for i in long_rows], [chances[i] for i in long_rows])
    return Model(model.answer, model.help, *short, *longer)


def _models(data: list[Labelled]) -> Model:
    """The two logistic models fitted on `data` (cut-offs still to be chosen)."""
    x = np.array([d.values for d in data])
    answer = fit_logistic(x, np.array([d.top_right for d in data], dtype=float))
    helps = fit_logistic(x, np.array([d.top3_right and not d.oos for d in data], dtype=float))
    return Model(tuple(answer.tolist()), tuple(helps.tolist()), 0.5, 0.5, 0.5, 0.5)


def _cuts(data: list[Labelled], chances: list[tuple[float, float]]) -> tuple[float, float]:
    """The answer cut-off (fixed) and the clarify cut-off with the most help.

    Each clarify cut-off is judged with its neighbours (SMOOTHING steps either side): a lone
    peak between two poor cut-offs is luck on these rows, not a property of the model.
    """
    keys = np.array([_key(data, chances, ANSWER_CUT, h) for h in CUTS])
    padded = np.pad(keys, SMOOTHING, mode="edge")
    smooth = np.convolve(padded, np.ones(2 * SMOOTHING + 1), mode="valid")
    return ANSWER_CUT, CUTS[int(np.argmax(smooth))]


def _key(
    data: list[Labelled], chances: list[tuple[float, float]], cut_answer: float, cut_help: float
) -> float:
    """What the cut-offs gain, less the cost of missing a target."""
    f = _figures(data, chances, cut_answer, cut_help)
    # Missing a target costs in proportion (soft, so the choice does not jump around).
    shortfall = max(0.0, PRECISION_TARGET - f["precision"]) + max(0.0, OOS_TARGET - f["oos"])
    # Counted in messages: one out-of-scope row weighs what one passport question does.
    gain = (
        (GAIN["accuracy"] * f["accuracy"] + GAIN["resolved"] * f["resolved"]) * f["in_scope"]
        + GAIN["oos"] * f["oos"] * f["oos_rows"]
    ) / (len(data) or 1)
    return gain - SHORTFALL_COST * shortfall


def _figures(
    data: list[Labelled],
    probabilities: list[tuple[float, float]],
    cut_answer: float,
    cut_help: float,
) -> dict[str, float]:
    answers = wrong = right = resolved = oos_fallback = 0
    for d, (p_answer, p_help) in zip(data, probabilities, strict=True):
        values = dict(zip(FEATURES, d.values, strict=True))
        answered = answerable(p_answer, cut_answer, values)
        clarified = not answered and clarifiable(p_help, cut_help, values)
        answers += answered
        wrong += answered and not d.top_right
        right += answered and d.top_right
        resolved += (answered and d.top_right) or (clarified and d.top3_right and not d.oos)
        oos_fallback += d.oos and not answered and not clarified
    in_scope = sum(not d.oos for d in data) or 1
    oos_rows = sum(d.oos for d in data)
    return {
        "precision": (answers - wrong) / answers if answers else 1.0,
        "accuracy": right / in_scope,
        "resolved": resolved / in_scope,
        "oos": oos_fallback / (oos_rows or 1),
        "in_scope": float(in_scope),
        "oos_rows": float(oos_rows),
    }


def held_out(rows: list[Row], matcher: Matcher, folds: int) -> list[tuple[Row, Decision]]:
    """Every row decided by a model fitted on the other folds (fold = row number mod k)."""
    data = label(rows, matcher)
    decided: list[tuple[Row, Decision]] = []
    for fold in range(folds):
        train = [d for i, d in enumerate(data) if i % folds != fold]
        thresholds = Thresholds.of(fit(train))
        for i in range(fold, len(data), folds):
            decided.append((rows[i], decide(matcher.rank(rows[i].question), thresholds)))
    return decided


def write(model: Model, path: Path = MODEL_PATH) -> None:
    """Save the fitted model as data."""
    header = [
        "# Fitted by `python -m bot calibrate --write` on the labelled dev sets",
        "# (docs/how-it-works.md).",
        "# Do not edit by hand: refit after changing the matcher, the maps or faq.yaml.",
    ]
    path.write_text("\n".join(header + model.rows()) + "\n", encoding="utf-8")
