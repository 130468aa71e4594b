"""Fixtures of the console tests; the database fixtures come from tests/conftest.py."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from .helpers import Console, add_account, console


@pytest.fixture
async def web(db_url: str, engine: AsyncEngine, tmp_path: Path) -> AsyncIterator[Console]:
    """The console with the accounts `admin` and `petugas`, nobody signed in."""
    await add_account(engine, "admin")
    await add_account(engine, "petugas", "petugas")
    async with console(db_url, tmp_path) as found:
        yield found
