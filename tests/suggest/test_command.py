"""`python -m bot kb suggest` as a user runs it: a subprocess on a prepared SQLite file."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import shutil
import subprocess
import sys
from pathlib import Path

from bot.storage import Store, open_database
from bot.storage.drafts import Drafts
from bot.suggestions.kb_yaml import NO_SHORT

from .conftest import FAQ, ROOT
from .helpers import NOW, clarified, officer_answers, pressed

OFFERED = ("mpaspor-apa", "mpaspor-manfaat", "akun-daftar")


def run(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'log.db'}",
        "FAQ_PATH": str(tmp_path / "faq.yaml"),
        "TANYA_DATA_DIR": str(tmp_path / "data"),
        "USER_HASH_SALT": "garam-uji",
    }
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        check=False,
        timeout=120,
    )


async def prepare(tmp_path: Path) -> None:
    """A log with one settled "Maksud Anda…?" question and a ticket turned into a draft."""
    shutil.copy(FAQ, tmp_path / "faq.yaml")
    engine = await open_database(f"sqlite:///{tmp_path / 'log.db'}")
    store = Store(engine)
    try:
        await store.log_questions(
            [
                clarified("mpaspor tu apaan sih kak", OFFERED, minutes=-60),
                pressed("mpaspor-apa", minutes=-59),
            ]
        )
        ticket = await officer_answers(
            store, "apakah ada fotokopi di kantor", "Ada, di lantai 1 dekat pintu masuk."
        )
        await Drafts(engine).add_from_ticket(ticket, created_by="Rina")
    finally:
        await store.close()


def test_suggest_writes_a_checked_proposal_and_leaves_faq_yaml_alone(tmp_path: Path) -> None:
    asyncio.run(prepare(tmp_path))
    original = (tmp_path / "faq.yaml").read_bytes()
    out = tmp_path / "usulan.yaml"

    written = run(tmp_path, "kb", "suggest", "--out", str(out))
    printed = run(
        tmp_path, "kb", "suggest", "--since", (NOW - dt.timedelta(days=2)).date().isoformat()
    )

    assert written.returncode == 0, written.stderr
    assert written.stdout == ""
    assert "1 contoh pertanyaan untuk 1 entri, 1 entri baru" in written.stderr
    assert (tmp_path / "faq.yaml").read_bytes() == original
    proposed = out.read_text(encoding="utf-8")
    assert "      - mpaspor tu apaan sih kak" in proposed
    assert "  - id: usulan-1" in proposed
    assert "      Ada, di lantai 1 dekat pintu masuk." in proposed
    assert printed.returncode == 0, printed.stderr
    assert printed.stdout == proposed
    # The officer's answer is there, but the short answer waits for a person.
    refused = run(tmp_path, "kb", "check", str(out))
    assert refused.returncode == 2, refused.stdout
    assert "entri 'usulan-1', kolom 'short'" in refused.stdout
    out.write_text(proposed.replace(NO_SHORT, "Ada, di lantai 1."), encoding="utf-8")
    checked = run(tmp_path, "kb", "check", str(out))
    assert checked.returncode == 0, checked.stdout


def test_bad_input_exits_2_with_a_message(tmp_path: Path) -> None:
    shutil.copy(FAQ, tmp_path / "faq.yaml")

    bad_date = run(tmp_path, "kb", "suggest", "--since", "2026-13-01")
    overwrite = run(tmp_path, "kb", "suggest", "--out", str(tmp_path / "faq.yaml"))
    folder = run(tmp_path, "kb", "suggest", "--out", str(tmp_path))
    missing = run(tmp_path, "kb", "suggest", "--out", str(tmp_path / "tidak-ada" / "x.yaml"))

    assert (bad_date.returncode, overwrite.returncode, folder.returncode) == (2, 2, 2)
    assert missing.returncode == 2
    assert "--since harus tanggal YYYY-MM-DD" in bad_date.stderr
    assert "--out tidak boleh faq.yaml" in overwrite.stderr
    assert "folder" in folder.stderr
    assert "tidak bisa menulis" in missing.stderr
    assert (tmp_path / "faq.yaml").read_bytes() == FAQ.read_bytes()


def test_a_reviewer_rejects_a_draft_and_it_is_not_proposed_again(tmp_path: Path) -> None:
    asyncio.run(prepare(tmp_path))

    listed = run(tmp_path, "kb", "drafts")
    number = listed.stdout.split()[0].removeprefix("#")
    rejected = run(tmp_path, "kb", "reject", number)
    again = run(tmp_path, "kb", "accept", number)
    after = run(tmp_path, "kb", "drafts")
    proposed = run(tmp_path, "kb", "suggest")

    assert listed.returncode == 0, listed.stderr
    assert "entri baru (tiket #" in listed.stdout
    assert "apakah ada fotokopi di kantor" in listed.stdout
    assert (rejected.returncode, rejected.stdout.strip()) == (0, f"Draf #{number}: rejected.")
    assert again.returncode == 2
    assert "sudah diputuskan" in again.stderr
    assert after.stdout.strip() == "Tidak ada draf yang menunggu."
    assert "1 contoh pertanyaan untuk 1 entri, 0 entri baru" in proposed.stderr
    assert "Ada, di lantai 1 dekat pintu masuk." not in proposed.stdout


def test_deciding_on_an_unknown_draft_is_refused(tmp_path: Path) -> None:
    shutil.copy(FAQ, tmp_path / "faq.yaml")

    unknown = run(tmp_path, "kb", "accept", "4242")
    not_a_number = run(tmp_path, "kb", "reject", "tiga")

    assert unknown.returncode == 2
    assert "draf #4242 tidak ada" in unknown.stderr
    assert not_a_number.returncode == 2
    assert "invalid int value" in not_a_number.stderr
