"""`python -m bot report --office ID` and the comparison between offices in the combined
report (issue 21): a real subprocess on SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.storage import Store

from .helpers import Clock, asked, local, read_csv, seed
from .test_command import PERIOD, PREFIX, report

HEADING = "## Perbandingan antarkantor"


@pytest.fixture
async def offices(engine: AsyncEngine, db_url: str) -> str:
    """Questions of three offices and none, in the period."""
    counts = {"kotabumi": 3, "kalianda": 2, "bandar-lampung": 1, None: 1}
    logged = [
        replace(asked(f"pertanyaan {n}", local(1, 9, n)), office_id=office)
        for office, count in counts.items()
        for n in range(count)
    ]
    await Store(engine).log_questions(logged)
    return db_url


async def test_one_office_s_report_counts_it_alone(offices: str, tmp_path: Path) -> None:
    out = tmp_path / "laporan"
    args = (*PERIOD, "--out", str(out), "--format", "md", "--office", "kotabumi")
    done = report(tmp_path, *args, db_url=offices)
    assert done.returncode == 0, done.stderr
    page = (out / "laporan_kotabumi_2026-11-01_2026-11-03.md").read_text()
    assert page.startswith("# Laporan Tanya Paspor — Kantor Imigrasi Kotabumi: 1 November")
    assert "- Pertanyaan: 3\n" in page
    assert HEADING not in page


async def test_the_combined_report_compares_the_offices(offices: str, tmp_path: Path) -> None:
    out = tmp_path / "laporan"
    done = report(tmp_path, *PERIOD, "--out", str(out), "--format", "md", db_url=offices)
    assert done.returncode == 0, done.stderr
    page = (out / f"{PREFIX}.md").read_text()
    assert "- Pertanyaan: 7\n" in page
    rows = page.split(HEADING, 1)[1].split("\n## ", 1)[0]
    body = [line for line in rows.splitlines() if line.startswith("|")][2:]  # past the header
    assert [line.split("|")[1].strip() for line in body] == [
        "Kantor Imigrasi Kotabumi",
        "Kantor Imigrasi Kalianda",
        "Kantor Imigrasi Bandar Lampung",
        "tanpa kantor",
    ]
    table = read_csv(out / f"{PREFIX}_kantor.csv")
    assert [(row["kantor_id"], row["pertanyaan"]) for row in table] == [
        ("kotabumi", "3"),
        ("kalianda", "2"),
        ("bandar-lampung", "1"),
        ("", "1"),
    ]


async def test_an_unknown_office_exits_2(offices: str, tmp_path: Path) -> None:
    done = report(tmp_path, *PERIOD, "--out", str(tmp_path), "--office", "metro", db_url=offices)
    assert done.returncode == 2
    assert "Kantor 'metro' tidak dikenal" in done.stderr
    assert "bandar-lampung, kalianda, kotabumi" in done.stderr


async def test_without_office_data_the_report_reads_as_before(
    engine: AsyncEngine, db_url: str, tmp_path: Path
) -> None:
    clock = Clock()
    await seed(Store(engine, clock=clock), clock)
    out = tmp_path / "laporan"
    done = report(tmp_path, *PERIOD, "--out", str(out), "--format", "md", db_url=db_url)
    assert done.returncode == 0, done.stderr
    page = (out / f"{PREFIX}.md").read_text()
    assert page.startswith("# Laporan Tanya Paspor: 1 November")
    assert "antarkantor" not in page
    assert not (out / f"{PREFIX}_kantor.csv").exists()
