"""Fixtures: `rig`, publishing on the test database (SQLite and PostgreSQL) against the fake
Graph API, its slides served on loopback (`harness`)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from .harness import Rig, rigged


@pytest.fixture
async def rig(engine: AsyncEngine) -> AsyncIterator[Rig]:
    async with rigged(engine) as built:
        yield built
