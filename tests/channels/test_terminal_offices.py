"""The terminal chat shows the routing to offices (issue 21): the default deployment binds
Kalianda and never asks; with OFFICE=ask it asks where the applicant lives, once."""

from __future__ import annotations

import asyncio
from pathlib import Path

from sqlalchemy import text

from bot.core.offices import ASK
from bot.storage import create_engine

from .test_terminal import bot


async def offices_logged(url: str) -> list[str | None]:
    engine = create_engine(url)
    async with engine.connect() as connection:
        rows = await connection.execute(text("SELECT office_id FROM questions ORDER BY id"))
        found = [row[0] for row in rows]
    await engine.dispose()
    return found


def test_the_default_chat_is_kalianda_and_names_another_areas_office(tmp_path: Path) -> None:
    lines = b"brp biaya paspor\nsaya dari way kanan, bikin paspor di mana?\n"
    result, url = bot("chat", stdin=lines, tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr.decode()
    out = result.stdout.decode()
    assert ASK not in out
    assert "Warga Kabupaten Way Kanan biasanya dilayani Kantor Imigrasi Kotabumi" in out
    assert "[1] 🏢 Pakai Kantor Imigrasi Kotabumi" in out
    assert asyncio.run(offices_logged(url)) == ["kalianda", "kalianda"]


def test_an_unbound_chat_asks_where_you_live_and_a_number_answers(tmp_path: Path) -> None:
    # The fee's answer has one button ([1] Selengkapnya); the areas follow it, Way Kanan 11th.
    lines = b"brp biaya paspor\n11\nbrp biaya paspor\n"
    result, url = bot("chat", stdin=lines, tmp_path=tmp_path, extra={"OFFICE": "ask"})
    assert result.returncode == 0, result.stderr.decode()
    out = result.stdout.decode()
    assert out.count(ASK) == 1
    assert "[11] Way Kanan" in out
    assert "Warga Kabupaten Way Kanan dilayani Kantor Imigrasi Kotabumi" in out
    assert asyncio.run(offices_logged(url)) == [None, "kotabumi", "kotabumi"]
