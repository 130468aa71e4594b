"""Fixtures for the ticket tests; the database fixtures come from tests/conftest.py."""

from __future__ import annotations

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.storage import Store

from .helpers import FakeClock


@pytest.fixture
def clock() -> FakeClock:
    """A clock at `helpers.T0` that the test moves by hand."""
    return FakeClock()


@pytest.fixture
def tickets(engine: AsyncEngine, clock: FakeClock) -> Store:
    """A store on the migrated test database whose "now" is `clock`."""
    return Store(engine, clock=clock)
