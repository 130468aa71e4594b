"""The console's logic without HTTP: faq.yaml text edits, atomic writes and undo, throttling,
passwords and the `admin` command."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bot.console import faq_text
from bot.console.kb_file import KbConflict, KbFile
from bot.console.passwords import PasswordError, check_new
from bot.console.throttle import Throttle
from knowledge.loader import load

from .helpers import ROOT

TEXT = (ROOT / "faq.yaml").read_text(encoding="utf-8")


def test_replacing_an_answer_changes_only_its_lines() -> None:
    new = faq_text.set_fields(TEXT, "biaya-paspor", {"answer": "Baris satu.\n\nBaris: dua"})
    old_lines, new_lines = TEXT.splitlines(), new.splitlines()
    changed = [line for line in new_lines if line not in old_lines]
    assert changed == ["      Baris satu.", "      Baris: dua"]
    assert [line for line in old_lines if line.lstrip().startswith("#")] == [
        line for line in new_lines if line.lstrip().startswith("#")
    ]


def test_added_questions_are_appended_and_the_version_moves() -> None:
    version = faq_text.entry_version(TEXT, "biaya-paspor")
    new = faq_text.add_questions(TEXT, "biaya-paspor", ["harga paspor: berapa?"])
    assert len(new.splitlines()) == len(TEXT.splitlines()) + 1
    assert faq_text.questions(new, "biaya-paspor")[-1] == "harga paspor: berapa?"
    assert faq_text.entry_version(new, "biaya-paspor") != version
    assert faq_text.entry_version(new, "mpaspor-apa") == faq_text.entry_version(
        TEXT, "mpaspor-apa"
    )
    with pytest.raises(faq_text.EntryMissing):
        faq_text.entry_version(TEXT, "tidak-ada")


def test_a_missing_field_is_added_in_order_and_one_set_to_none_removed(tmp_path: Path) -> None:
    fields = {"valid_until": "2027-06-30", "reviewed_by": "Budi", "checked": "PP 45/2024"}
    new = faq_text.set_fields(TEXT, "mpaspor-manfaat", fields)
    added = [line for line in new.splitlines() if line not in TEXT.splitlines()]
    assert added == [
        "    valid_until: 2027-06-30",
        "    reviewed_by: Budi",
        "    checked: PP 45/2024",
    ]
    (tmp_path / "faq.yaml").write_text(new, encoding="utf-8")
    entry = load(tmp_path / "faq.yaml").get("mpaspor-manfaat")
    assert entry is not None
    assert entry.valid_until is not None
    assert entry.checked == "PP 45/2024"
    gone = faq_text.set_fields(new, "mpaspor-manfaat", dict.fromkeys(fields))
    assert gone == TEXT


def kb_file(tmp_path: Path) -> KbFile:
    shutil.copy(ROOT / "faq.yaml", tmp_path / "faq.yaml")
    return KbFile(tmp_path / "faq.yaml", tmp_path / "riwayat")


def test_a_write_is_checked_atomic_and_undone(tmp_path: Path) -> None:
    kb = kb_file(tmp_path)
    os.chmod(kb.path, 0o640)
    bad = faq_text.set_fields(TEXT, "biaya-paspor", {"short": "x" * 500})
    with kb.locked():
        refused = kb.write(bad, previous=TEXT)
    assert refused.problems
    assert refused.problems[0].field == "short"
    assert kb.read() == TEXT
    assert not kb.can_undo()
    good = faq_text.set_fields(TEXT, "biaya-paspor", {"short": "Biaya paspor Rp350.000."})
    with kb.locked():
        assert kb.write(good, previous=TEXT).ok
        with pytest.raises(KbConflict):
            kb.write(good, previous=TEXT)  # made against a text that is gone
    assert kb.read() == good
    assert (kb.path.stat().st_mode & 0o777) == 0o640
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".faq-")] == []
    with kb.locked():
        assert kb.undo() == (good, TEXT)
    assert kb.read() == TEXT
    assert not kb.can_undo()


def test_undo_refuses_after_a_hand_edit(tmp_path: Path) -> None:
    kb = kb_file(tmp_path)
    good = faq_text.add_questions(TEXT, "biaya-paspor", ["ongkos paspor"])
    with kb.locked():
        assert kb.write(good, previous=TEXT).ok
    kb.path.write_text(good + "\n# diubah dengan tangan\n", encoding="utf-8")
    with kb.locked(), pytest.raises(KbConflict):
        kb.undo()
    assert load(kb.path).get("biaya-paspor") is not None


def test_the_throttle_counts_per_name_and_per_client() -> None:
    now = [0.0]
    throttle = Throttle({"name": 2, "client": 3}, window=60, clock=lambda: now[0])
    throttle.failed(name="budi", client="a")
    throttle.failed(name="budi", client="a")
    assert throttle.blocked(name="budi", client="b")
    assert not throttle.blocked(name="siti", client="a")
    throttle.failed(name="siti", client="a")
    assert throttle.blocked(name="ani", client="a")  # the client used up its three
    now[0] = 61.0
    assert not throttle.blocked(name="budi", client="a")


def test_a_short_password_is_refused() -> None:
    with pytest.raises(PasswordError, match="minimal 10"):
        check_new("pendek")
    check_new("cukup-panjang")


def admin(tmp_path: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TANYA_DATA_DIR": str(tmp_path)}
    env.pop("DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "bot", "admin", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        check=False,
    )


def test_the_admin_command_adds_lists_and_disables(tmp_path: Path) -> None:
    short = admin(tmp_path, "add", "budi", "--password-stdin", stdin="pendek\n")
    assert short.returncode == 2
    assert "minimal 10" in short.stderr
    added = admin(
        tmp_path,
        "add",
        "budi",
        "--role",
        "petugas",
        "--password-stdin",
        stdin="kata-sandi-panjang\n",
    )
    assert added.returncode == 0, added.stderr
    again = admin(tmp_path, "add", "budi", "--password-stdin", stdin="kata-sandi-panjang\n")
    assert again.returncode == 2
    assert "sudah ada" in again.stderr
    assert admin(tmp_path, "list").stdout.split() == [
        "budi",
        "petugas",
        "semua",
        "kantor",
        "aktif",
    ]
    assert admin(tmp_path, "disable", "budi").returncode == 0
    assert admin(tmp_path, "list").stdout.split() == [
        "budi",
        "petugas",
        "semua",
        "kantor",
        "nonaktif",
    ]
    assert "kata-sandi-panjang" not in added.stdout + added.stderr
