"""Accuracy floors on the labelled development sets (deterministic, so a test, not a bench).

Two kinds of floor: the shipped model (`knowledge/data/calibration.tsv`) on each file, and
held-out folds (each row decided by a model fitted without it, `bot.runtime.calibrate.held_out`),
which is what an unseen message can expect.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bot.runtime.calibrate import ANSWER_CUT, fit, held_out, label
from bot.runtime.evaluate import by_file, read_rows, score
from knowledge.calibration import shipped as shipped_model
from knowledge.loader import load
from knowledge.matcher import Matcher
from knowledge.policy import Thresholds

ROOT = Path(__file__).resolve().parents[2]
EVAL = ROOT.parent / "shared" / "eval"
DEV, LONG = EVAL / "dev.tsv", EVAL / "dev-long.tsv"


def _present() -> None:
    for path in (DEV, LONG):
        if not path.exists():
            if os.environ.get("CI"):
                pytest.fail(f"a dev set is missing in CI: {path}")
            pytest.skip(f"the shared dev sets are not beside this checkout ({path})")


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher(load(ROOT / "faq.yaml"))


@pytest.fixture(scope="module")
def shipped(matcher: Matcher) -> dict[str, dict[str, float]]:
    _present()
    return {p.name: score(read_rows([p]), matcher, Thresholds()).figures() for p in (DEV, LONG)}


@pytest.fixture(scope="module")
def folds(matcher: Matcher) -> dict[str, dict[str, float]]:
    _present()
    decided = held_out(read_rows([DEV, LONG]), matcher, 5)
    return {name: scores.figures() for name, scores in by_file(decided).items()}


# The shipped model: today's figures less a row or two; raise them when the matcher improves
# (README has the figures).
SHIPPED_FLOORS = [
    ("dev.tsv", "answer_precision", 0.985),
    ("dev.tsv", "resolved", 0.97),
    ("dev.tsv", "answer_accuracy", 0.87),
    ("dev.tsv", "oos_fallback", 0.97),
    ("dev-long.tsv", "answer_precision", 0.96),
    ("dev-long.tsv", "resolved", 0.955),
    ("dev-long.tsv", "answer_accuracy", 0.755),
    ("dev-long.tsv", "oos_fallback", 0.95),
]
# Held-out folds (k = 5, row number mod 5): issue 17's acceptance targets, met with a row or two
# to spare (dev-long 0.757 accuracy, 0.956 resolved, 0.964 precision, 0.950 out-of-scope).
HELD_OUT_FLOORS = [
    ("dev.tsv", "answer_precision", 0.96),
    ("dev.tsv", "resolved", 0.93),
    ("dev.tsv", "oos_fallback", 0.88),
    ("dev-long.tsv", "answer_precision", 0.96),
    ("dev-long.tsv", "resolved", 0.95),
    ("dev-long.tsv", "answer_accuracy", 0.75),
    ("dev-long.tsv", "oos_fallback", 0.90),
]


@pytest.mark.parametrize(("file", "name", "floor"), SHIPPED_FLOORS)
def test_shipped_model_floor(
    shipped: dict[str, dict[str, float]], file: str, name: str, floor: float
) -> None:
    assert shipped[file][name] >= floor, f"{file} {name} = {shipped[file][name]:.3f} < {floor}"


@pytest.mark.parametrize(("file", "name", "floor"), HELD_OUT_FLOORS)
def test_held_out_floor(
    folds: dict[str, dict[str, float]], file: str, name: str, floor: float
) -> None:
    assert folds[file][name] >= floor, f"{file} {name} = {folds[file][name]:.3f} < {floor}"


def test_shipped_model_is_refitted_after_every_change(matcher: Matcher) -> None:
    """The maps, faq.yaml or features changed without `calibrate --write`: refit."""
    _present()
    model, kept = fit(label(read_rows([DEV, LONG]), matcher)), shipped_model()
    assert (model.answer_cut, model.long_answer_cut) == (ANSWER_CUT, ANSWER_CUT)
    assert (kept.help_cut, kept.long_help_cut) == (model.help_cut, model.long_help_cut)
    assert kept.answer == pytest.approx(model.answer, abs=1e-4)
    assert kept.help == pytest.approx(model.help, abs=1e-4)
