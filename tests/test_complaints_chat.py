"""Complaints end to end: piped into `python -m bot chat` (the composition root's wiring, the
SQLite database), thanked in the chat, kept redacted, and counted by `python -m bot report`."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import text

from bot.storage import create_engine

ROOT = Path(__file__).resolve().parents[1]
LINES = (
    "antreannya hampir sejam, capek",
    "kuota penuh terus, gimana dapat jadwal?",
    "berapa biaya paspor",
    "parkiran sempit bgt, hubungi saya 081234567890",
)


def run(*args: str, stdin: str, data: Path) -> subprocess.CompletedProcess[bytes]:
    url = f"sqlite+aiosqlite:///{data / 'chat.db'}"
    env = {**os.environ, "DATABASE_URL": url, "TANYA_DATA_DIR": str(data)}
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=stdin.encode(),
        capture_output=True,
        cwd=ROOT,
        env=env,
        check=False,
        timeout=120,
    )


async def kept(url: str) -> list[tuple[str, str, str]]:
    engine = create_engine(url)
    async with engine.connect() as connection:
        rows = await connection.execute(
            text("SELECT kind, topic, text_redacted FROM complaints ORDER BY id")
        )
        found = [(row[0], row[1], row[2]) for row in rows]
    await engine.dispose()
    return found


def test_the_terminal_chat_thanks_keeps_and_reports_complaints(tmp_path: Path) -> None:
    data = tmp_path / "data"
    chat = run("chat", stdin="\n".join(LINES) + "\n", data=data)
    assert chat.returncode == 0, chat.stderr.decode()
    out = chat.stdout.decode()
    assert out.count("Keluhan Anda kami teruskan ke") == 3
    assert "Tanggal merah berarti kuota penuh" in out  # the answer follows the thanks
    assert "Rp350.000" in out
    assert "Maaf, pertanyaan ini belum bisa saya jawab" not in out
    url = f"sqlite+aiosqlite:///{data / 'chat.db'}"
    assert asyncio.run(kept(url)) == [
        ("keluhan", "antrean", LINES[0]),
        ("keluhan", "antrean", LINES[1]),
        ("keluhan", "fasilitas", "parkiran sempit bgt, hubungi saya [TELEPON]"),
    ]
    out_dir = tmp_path / "laporan"
    report = run("report", "--out", str(out_dir), "--format", "md", stdin="", data=data)
    assert report.returncode == 0, report.stderr.decode()
    (document,) = out_dir.glob("*.md")
    shown = document.read_text(encoding="utf-8")
    assert "## Suara pemohon" in shown
    assert "- Keluhan: 3 · Saran: 0" in shown
    assert "081234567890" not in shown
