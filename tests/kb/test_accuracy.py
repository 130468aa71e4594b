"""Accuracy floors on the labelled development set (deterministic, so a test, not a bench)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bot.evaluate import read_rows, score
from knowledge.loader import load
from knowledge.matcher import Matcher
from knowledge.policy import Thresholds

ROOT = Path(__file__).resolve().parents[2]
DEV = ROOT.parent / "shared" / "eval" / "dev.tsv"


@pytest.fixture(scope="module")
def figures() -> dict[str, float]:
    if not DEV.exists():
        if os.environ.get("CI"):
            pytest.fail(f"the dev set is missing in CI: {DEV}")
        pytest.skip(f"the shared dev set is not beside this checkout ({DEV})")
    scores = score(read_rows([DEV]), Matcher(load(ROOT / "faq.yaml")), Thresholds())
    return scores.figures()


@pytest.mark.parametrize(
    ("name", "floor"),
    [
        ("answer_precision", 0.95),
        ("resolved", 0.92),
        ("answer_accuracy", 0.80),
        ("oos_fallback", 0.85),
    ],
)
def test_dev_set_floor(figures: dict[str, float], name: str, floor: float) -> None:
    assert figures[name] >= floor, f"{name} = {figures[name]:.3f} < {floor}"
