"""`python -m bot chat` with piped input: every line answered, the log written, no crash."""

from __future__ import annotations

import asyncio
import csv
import json
import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import text

from bot.core.replies import NO_OFFICERS
from bot.storage import create_engine
from knowledge.loader import load

ROOT = Path(__file__).resolve().parents[2]


def chat(stdin: bytes, tmp_path: Path) -> tuple[subprocess.CompletedProcess[bytes], str]:
    return bot("chat", stdin=stdin, tmp_path=tmp_path)


def bot(
    *args: str, stdin: bytes = b"", tmp_path: Path, extra: dict[str, str] | None = None
) -> tuple[subprocess.CompletedProcess[bytes], str]:
    """`python -m bot ARGS` on the test's own SQLite database (with `extra` settings); the
    result and the URL."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'data' / 'chat.db'}"
    env = {**os.environ, "DATABASE_URL": url, "TANYA_DATA_DIR": str(tmp_path / "data")}
    env.update(extra or {})
    result = subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=stdin,
        capture_output=True,
        cwd=ROOT,
        env=env,
        check=False,
        timeout=120,
    )
    return result, url


async def logged(url: str) -> list[tuple[str, str]]:
    engine = create_engine(url)
    async with engine.connect() as connection:
        rows = await connection.execute(text("SELECT action, text_redacted FROM questions"))
        found = [(row[0], row[1]) for row in rows]
    await engine.dispose()
    return found


def test_piped_chat_answers_each_line_and_logs_it(tmp_path: Path) -> None:
    lines = [
        b"brp biaya paspor",
        b"",
        b"\xff\xfe\x00 rusak",
        "🙏".encode(),
        b"x" * 20_000,
        b"nik 3201234567890001",
    ]
    result, url = chat(b"\n".join(lines) + b"\n", tmp_path)
    assert result.returncode == 0, result.stderr.decode()
    out = result.stdout.decode()
    assert "Rp350.000" in out
    assert "Layanan pelanggan" in out
    assert out.count("Bot: ") >= len(lines)
    rows = asyncio.run(logged(url))
    assert len(rows) == len(lines)
    assert all("3201234567890001" not in text_ for _, text_ in rows)


def test_numbered_choice_selects_a_button(tmp_path: Path) -> None:
    result, url = chat(b"paspor\n1\n", tmp_path)
    assert result.returncode == 0, result.stderr.decode()
    out = result.stdout.decode()
    assert "[1]" in out
    actions = [action for action, _ in asyncio.run(logged(url))]
    assert actions == ["clarify", "answer"]


QUESTIONS = [
    "brp biaya paspor",
    "syarat paspor anak",
    "berapa lama paspor jadi",
    "paspor hilang gimana",
] * 5


def readme_example() -> bytes:
    """The piped `make chat` example exactly as the README prints it."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    line = next(ln for ln in readme.splitlines() if ln.startswith("printf ") and "make chat" in ln)
    quoted = line.removeprefix("printf '").split("' |")[0]
    return quoted.replace("\\n", "\n").encode()


def test_twenty_piped_questions_get_twenty_answers_then_the_readme_example(
    tmp_path: Path,
) -> None:
    # The flood guard (12 a minute) is for remote channels: the terminal is never slowed.
    result, url = chat("\n".join(QUESTIONS).encode() + b"\n", tmp_path)
    assert result.returncode == 0, result.stderr.decode()
    assert result.stdout.decode().count("Rp350.000") >= 5
    rows = asyncio.run(flagged(url))
    assert len(rows) == 20
    assert all("flood" not in flags and action != "notice" for action, flags in rows)
    # Same database, same minute: the README's own example still answers both questions.
    again, _ = chat(readme_example(), tmp_path)
    assert again.returncode == 0, again.stderr.decode()
    out = again.stdout.decode()
    assert "Rp350.000" in out
    assert out.count("Bot: ") >= 2
    assert len(asyncio.run(flagged(url))) == 22


async def flagged(url: str) -> list[tuple[str, list[str]]]:
    engine = create_engine(url)
    async with engine.connect() as connection:
        rows = await connection.execute(text("SELECT action, flags FROM questions"))
        found = [(row[0], json.loads(row[1])) for row in rows]
    await engine.dispose()
    return found


def test_the_terminal_shows_the_short_answer_then_the_whole_one(tmp_path: Path) -> None:
    result, url = chat(b"brp biaya paspor\n1\n", tmp_path)
    assert result.returncode == 0, result.stderr.decode()
    short, whole = result.stdout.decode().split("Bot: ")[1:]
    assert "Rp350.000" in short
    assert "Rp1.000.000" not in short  # percepatan is a detail
    assert "[1] 📖 Selengkapnya" in short
    assert "Rp1.000.000" in whole
    assert "Layanan pelanggan" in whole
    assert "👍 Membantu" in whole
    assert [action for action, _ in asyncio.run(logged(url))] == ["answer", "details"]


def test_every_piped_question_is_counted_in_the_report(tmp_path: Path) -> None:
    """Issue 17: 586 questions piped into the chat were reported as 200, because one asked
    how to reach an officer, opened a ticket nobody could answer, and every later question
    went to it. No officer reads the terminal chat: it gives the office's contacts instead,
    answers the rest, and the report counts every line."""
    asked = [q for entry in load(ROOT / "faq.yaml").entries for q in entry.questions]
    lines = [
        *asked[:5],
        "Bagaimana cara menghubungi petugas imigrasi jika saya mengalami kendala?",
        *asked[5:10],
        "saya mau tanya petugas",
        "😂",  # no words to read: counted as not recognised
        *asked[10:577],
    ]
    assert len(lines) == 580
    result, url = chat("\n".join(lines).encode() + b"\n", tmp_path)
    assert result.returncode == 0, result.stderr.decode()
    out = result.stdout.decode()
    assert out.count(NO_OFFICERS) >= 2
    assert "tiket #" not in out
    actions = [action for action, _ in asyncio.run(logged(url))]
    assert len(actions) == 580
    assert not {"ticket", "to_officer"} & set(actions)
    report, _ = bot("report", "--format", "csv", "--out", str(tmp_path / "r"), tmp_path=tmp_path)
    assert report.returncode == 0, report.stderr.decode()
    [daily] = (tmp_path / "r").glob("*_harian.csv")
    with daily.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert sum(int(row["pertanyaan"]) for row in rows) == 580
