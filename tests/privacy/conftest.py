"""The fake Graph API for this suite's WhatsApp tests (the Telegram fixtures are top-level)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from fakes.whatsapp_api import FakeGraph


@pytest.fixture
async def graph() -> AsyncIterator[FakeGraph]:
    async with FakeGraph() as fake:
        yield fake
