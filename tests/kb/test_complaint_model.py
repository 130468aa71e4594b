"""The complaint model's mechanics: its file form, when it is asked, what it hears, and the
command that fits it (figures: tests/kb/test_complaints.py)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from bot.runtime.complaint_fit import Labelled, fit
from knowledge.complaint_model import Model, parse, shipped
from knowledge.complaints import COMPLAINT, SUGGESTION, Recogniser

ROOT = Path(__file__).resolve().parents[2]
# Hears any message holding the made-up word "zorg" (a stem no cue knows).
ZORG = Model(bias=-5.0, weights={"w:zorg": 10.0}, cut=0.5)


def test_the_file_form_reads_back_the_same() -> None:
    model = Model(bias=-1.25, weights={"w:antre": 0.5, "k:negative": 1.5}, cut=0.5)
    assert parse("\n".join(["# a comment", *model.rows()])) == model


def test_the_shipped_model_is_fitted_and_asks_for_even_odds() -> None:
    model = shipped()
    assert model is not None
    assert model.cut == 0.5
    assert len(model.weights) > 500


def test_the_model_is_asked_only_when_no_cue_decided() -> None:
    reader = Recogniser(model=ZORG)
    heard = reader.hear("zorg di kantor")
    assert heard is not None
    assert (heard.kind, heard.cues, heard.sure) == (COMPLAINT, ("model",), False)
    sure = reader.hear("antreannya hampir sejam, zorg")  # the cues decide first
    assert sure is not None
    assert sure.sure
    assert Recogniser().hear("zorg di kantor") is None  # no model, no voice


def test_a_wish_the_model_hears_is_a_suggestion_and_a_plan_is_not_heard() -> None:
    reader = Recogniser(model=ZORG)
    wish = reader.hear("semoga zorg ditambah")
    assert wish is not None
    assert wish.kind == SUGGESTION
    assert reader.hear("saya mau zorg minggu depan") is None  # the sender's own plan


def test_fitting_learns_the_words_that_complain() -> None:
    rows = [Labelled(f"zorg nomor {i}", True, "a") for i in range(6)]
    rows += [Labelled(f"syarat paspor nomor {i}", False, "a") for i in range(6)]
    reader = Recogniser(model=fit(rows, Recogniser()))
    assert reader.hear("zorg lagi") is not None
    assert reader.hear("syarat paspor anak") is None


def test_the_command_reports_the_held_batches(tmp_path: Path) -> None:
    # Three of the batches: the command's work (leave each training batch out, then the held
    # one) is the same, at a fraction of the whole file's minute under CI's load.
    rows = (ROOT / "tests" / "data" / "complaints.tsv").read_text(encoding="utf-8").splitlines()
    kept = [row for row in rows if row.rsplit("\t", 1)[-1] in {"split", "long", "long2", "final3"}]
    (tmp_path / "some.tsv").write_text("\n".join(kept) + "\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "bot", "complaints", "fit", str(tmp_path / "some.tsv")],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
        timeout=120,
    )
    assert "final3" in done.stdout
    assert "saved" not in done.stdout  # without --write nothing is written
