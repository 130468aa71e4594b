"""`python -m bot report` as an admin runs it: a real subprocess on SQLite and PostgreSQL."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.__main__ import parser
from bot.runtime import cli
from bot.runtime.config import Settings
from bot.storage import Store

from .helpers import ROOT, Clock, read_csv, seed

PREFIX = "laporan_2026-11-01_2026-11-03"
PERIOD = ("--since", "2026-11-01", "--until", "2026-11-03")


def report(
    tmp_path: Path, *args: str, db_url: str | None = None
) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "DATABASE_URL": db_url or f"sqlite:///{tmp_path / 'kosong.db'}",
        "TANYA_DATA_DIR": str(tmp_path / "data"),
        "USER_HASH_SALT": "garam-uji",
        "OFFICE_TIMEZONE": "Asia/Jakarta",
    }
    return subprocess.run(
        [sys.executable, "-m", "bot", "report", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        check=False,
        timeout=120,
    )


@pytest.fixture
async def seeded(engine: AsyncEngine, db_url: str) -> str:
    clock = Clock()
    await seed(Store(engine, clock=clock), clock)
    return db_url


async def test_html_report_with_applicants_end_to_end(seeded: str, tmp_path: Path) -> None:
    applicants = tmp_path / "pemohon.csv"
    applicants.write_text("month,walk_in,m_paspor\n2026-10,300,100\n2026-11,200,200\n")
    out = tmp_path / "laporan"
    done = report(
        tmp_path, *PERIOD, "--out", str(out), "--applicants", str(applicants), db_url=seeded
    )
    assert done.returncode == 0, done.stderr
    printed = [Path(line) for line in done.stdout.splitlines()]
    tables = (
        *("harian", "entri", "belum_terjawab"),
        *("suara_pemohon", "suara_pemohon_mingguan", "suara_pemohon_contoh"),
        *("tiket", "petugas", "rencana_konten", "konten_unggahan"),
    )
    assert [p.name for p in printed] == [
        f"{PREFIX}.html",
        *(f"{PREFIX}_{name}.csv" for name in (*tables, "pemohon")),
    ]
    assert all(path.is_file() and path.parent == out for path in printed)
    page = printed[0].read_text(encoding="utf-8")
    assert page.count("data:image/png;base64,") == 3
    assert "Biaya paspor" in page  # titles come from the real faq.yaml
    months = read_csv(out / f"{PREFIX}_pemohon.csv")
    assert [(m["bulan"], m["persen_m_paspor"], m["pertanyaan_bot"]) for m in months] == [
        ("2026-10", "25.0", "1"),
        ("2026-11", "50.0", "17"),
    ]
    # The root hands the publishing desk in: no posts yet, so the record says so.
    assert "Belum ada unggahan yang terbit lewat Tanya Paspor" in page
    assert read_csv(out / f"{PREFIX}_konten_unggahan.csv") == []


def main(argv: list[str], folder: Path) -> int:
    """`python -m bot` in this process: the same parser and dispatch, minus the process start
    (seconds per case) and the logging set-up (which would rewire pytest's own handlers)."""
    env = {"DATABASE_URL": f"sqlite:///{folder / 'kosong.db'}", "TANYA_DATA_DIR": str(folder)}
    return cli.run(parser().parse_args(argv), Settings.from_env({**env, "USER_HASH_SALT": "g"}))


@pytest.mark.parametrize(("fmt", "document"), [("md", ".md"), ("csv", None)])
def test_markdown_and_csv_formats(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], fmt: str, document: str | None
) -> None:
    assert (
        main(["report", *PERIOD, "--out", str(tmp_path / "out"), "--format", fmt], tmp_path) == 0
    )
    suffixes = [Path(line).suffix for line in capsys.readouterr().out.splitlines()]
    assert suffixes == ([document] if document else []) + [".csv"] * 10


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--since", "2026-02-30"), "Tanggal --since tidak valid: '2026-02-30'"),
        (("--since", "2026-11-05", "--until", "2026-11-01"), "jatuh setelah --until"),
        (("--applicants", "tidak-ada.csv"), "File pemohon tidak-ada.csv tidak bisa dibaca"),
    ],
)
def test_bad_input_exits_2_with_a_clear_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: tuple[str, ...], message: str
) -> None:
    assert main(["report", *args, "--out", str(tmp_path / "out")], tmp_path) == 2
    error = capsys.readouterr().err
    assert error.startswith("Laporan tidak dibuat: ")
    assert message in error
    assert not (tmp_path / "out").exists()
    assert not (tmp_path / "kosong.db").exists()  # refused before touching the database


def test_bad_applicants_csv_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    applicants = tmp_path / "pemohon.csv"
    applicants.write_text("month,walk_in,m_paspor\n2026-10,banyak,100\n")
    assert main(["report", "--applicants", str(applicants)], tmp_path) == 2
    assert "baris 2: walk_in harus bilangan bulat" in capsys.readouterr().err
