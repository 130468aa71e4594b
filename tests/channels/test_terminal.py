"""`python -m bot chat` with piped input: every line answered, the log written, no crash."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import text

from bot.storage import create_engine

ROOT = Path(__file__).resolve().parents[2]


def chat(stdin: bytes, tmp_path: Path) -> tuple[subprocess.CompletedProcess[bytes], str]:
    url = f"sqlite+aiosqlite:///{tmp_path / 'data' / 'chat.db'}"
    env = {**os.environ, "DATABASE_URL": url, "TANYA_DATA_DIR": str(tmp_path / "data")}
    result = subprocess.run(
        [sys.executable, "-m", "bot", "chat"],
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
