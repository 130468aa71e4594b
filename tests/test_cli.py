"""The command line, run as a user runs it: a real subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run(
    *args: str, stdin: bytes = b"", env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=stdin,
        capture_output=True,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        check=False,
        timeout=120,
    )


def test_ask_json_contract(tmp_path: Path) -> None:
    db = tmp_path / "never.db"
    result = run(
        "ask",
        "--json",
        "berapa biaya paspor",
        "cuaca besok",
        env={"DATABASE_URL": f"sqlite:///{db}"},
    )
    assert result.returncode == 0, result.stderr
    first, second = (json.loads(line) for line in result.stdout.decode().splitlines())
    # The contract's keys stay; later keys are additions.
    assert {"action", "faq_id", "score", "candidates"} <= set(first)
    assert {"p_answer", "p_help", "redirect"} <= set(first)
    assert first["action"] == "answer"
    assert first["faq_id"] == "biaya-paspor"
    assert len(first["candidates"]) >= 3
    scores = [c["score"] for c in first["candidates"]]
    assert scores == sorted(scores, reverse=True)
    assert second["action"] == "fallback"
    assert second["faq_id"] is None
    assert not db.exists(), "ask never writes to the database"


def test_ask_json_says_whether_a_complaint_was_heard() -> None:
    lines = "antreannya hampir sejam\nberapa lama paspor jadi?\nwaktu bayar ditambah jadi 5 jam\n"
    result = run("ask", "--json", stdin=lines.encode())
    assert result.returncode == 0, result.stderr
    answers = [json.loads(line) for line in result.stdout.decode().splitlines()]
    assert [(a["complaint"], a["complaint_topic"]) for a in answers] == [
        (True, "antrean"),
        (False, None),
        (True, "pembayaran"),
    ]
    explained = run("ask", "--explain", "kursinya sedikit").stdout.decode()
    assert "complaint: keluhan about fasilitas (sedikit)" in explained


def test_ask_reads_stdin_lines_including_invalid_utf8() -> None:
    result = run("ask", "--json", stdin=b"syarat paspor anak\n\xff\xfe rusak\n")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.decode().splitlines()
    assert len(lines) == 2
    assert json.loads(lines[0])["faq_id"] == "syarat-anak"


def test_kb_check_exit_codes(tmp_path: Path) -> None:
    good = run("kb", "check")
    assert good.returncode == 0, good.stdout
    assert b"office.phone" in good.stdout  # warns: contact not verified yet
    broken = tmp_path / "faq.yaml"
    broken.write_text("entries:\n  - id: x\n    title: [\n", encoding="utf-8")
    bad = run("kb", "check", str(broken))
    assert bad.returncode == 2
    assert str(broken).encode() in bad.stdout


def test_kb_check_checks_the_office_directory_beside_faq_yaml(tmp_path: Path) -> None:
    good = run("kb", "check")
    assert b"OK: offices.yaml: 3 kantor, 15 kabupaten/kota" in good.stdout
    offices = tmp_path / "offices.yaml"
    text = (ROOT / "offices.yaml").read_text(encoding="utf-8")
    offices.write_text(text.replace("      - Mesuji\n", ""), encoding="utf-8")
    bad = run("kb", "check", "--offices", str(offices))
    assert bad.returncode == 2
    assert f"GALAT: {offices}:".encode() in bad.stdout
    assert b"Kabupaten Mesuji belum dilayani kantor mana pun" in bad.stdout


def test_eval_reports_the_figures(tmp_path: Path) -> None:
    labelled = tmp_path / "mini.tsv"
    labelled.write_text(
        "question\texpected\nberapa biaya paspor\tbiaya-paspor\ncuaca besok\tOOS\nx\tSKIP\n",
        encoding="utf-8",
    )
    result = run("eval", str(labelled))
    assert result.returncode == 0, result.stderr
    out = result.stdout.decode()
    for name in (
        "answer accuracy",
        "resolved",
        "answer precision",
        "OOS fallback",
        "wrong answers",
    ):
        assert name in out


def test_ask_explain_shows_parts_features_and_reason() -> None:
    result = run("ask", "--explain", "Selamat pagi pak. Kode billing sudah kedaluwarsa, gmn?")
    assert result.returncode == 0, result.stderr
    out = result.stdout.decode()
    assert "filler   'Selamat pagi pak'" in out
    assert "domain terms: billing" in out
    assert "p_answer=" in out
    assert "why " in out


def test_eval_reports_each_file_and_the_total(tmp_path: Path) -> None:
    short, chat = tmp_path / "short.tsv", tmp_path / "chat.tsv"
    short.write_text("question\texpected\nberapa biaya paspor\tbiaya-paspor\n", encoding="utf-8")
    chat.write_text("question\texpected\nhalo min\tsapaan\ncuaca besok\tOOS\n", encoding="utf-8")
    result = run("eval", str(short), str(chat))
    assert result.returncode == 0, result.stderr
    out = result.stdout.decode()
    assert "== short.tsv" in out
    assert "== chat.tsv" in out
    assert "== total" in out
    assert "in-scope questions: 2   out-of-scope questions: 1" in out


def test_db_upgrade_creates_the_database(tmp_path: Path) -> None:
    db = tmp_path / "sub" / "tanya.db"
    result = run("db", "upgrade", env={"DATABASE_URL": f"sqlite:///{db}"})
    assert result.returncode == 0, result.stderr
    assert db.exists()
