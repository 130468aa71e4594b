"""The fake Bot API of the Telegram announcement tests: Telegram's 30 messages a second."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from fakes.telegram_api import FakeTelegram
from telegram_harness import GROUP


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram(max_per_second=30) as server:
        server.add_group(GROUP, "Petugas Imigrasi Kalianda")
        yield server
