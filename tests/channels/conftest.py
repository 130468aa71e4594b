"""Fixtures for the Telegram tests: the fake Bot API on loopback and the real bot polling it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from fakes.telegram_api import FakeTelegram
from telegram_harness import GROUP, polling_bot, settings_for

from bot.app import App


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    """The fake Bot API, with the officers' group known to it."""
    async with FakeTelegram() as server:
        server.add_group(GROUP, "Petugas Imigrasi Kalianda")
        yield server


@pytest.fixture
async def bot(fake: FakeTelegram, db_url: str, tmp_path: Path) -> AsyncIterator[App]:
    """The real bot (PTB, core, database) long-polling the fake."""
    async with polling_bot(settings_for(fake, db_url, tmp_path)) as app:
        yield app
