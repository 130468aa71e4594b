"""Fixtures for the `kb suggest` tests: the real knowledge base, and the real core logging
into the test database (the same log the command reads)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.core.conversation import Conversation
from bot.storage import Store
from knowledge.loader import load
from knowledge.matcher import Matcher

ROOT = Path(__file__).resolve().parents[2]
FAQ = ROOT / "faq.yaml"


@pytest.fixture(scope="session")
def matcher() -> Matcher:
    """The repository's knowledge base, indexed once."""
    return Matcher(load(FAQ))


@pytest.fixture
def chat(matcher: Matcher, store: Store) -> Conversation:
    """The conversation core logging every message into the test database."""
    return Conversation(matcher, store, salt="garam-uji")
