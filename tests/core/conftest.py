"""The core over the shipped knowledge base (read once) and a question log in memory."""

from __future__ import annotations

from pathlib import Path

import pytest
from support.memory_log import MemoryLog

from bot.core.conversation import Conversation
from bot.core.vocabulary import Incoming
from knowledge.loader import load
from knowledge.matcher import Matcher

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def matcher() -> Matcher:
    return Matcher(load(ROOT / "faq.yaml"))


@pytest.fixture
def log() -> MemoryLog:
    return MemoryLog()


@pytest.fixture
def core(matcher: Matcher, log: MemoryLog) -> Conversation:
    return Conversation(matcher, log, salt="test-salt")


def says(text: str, user: str = "u1") -> Incoming:
    """A message from `user` on the test channel."""
    return Incoming(channel="test", chat_id=user, user_id=user, text=text)
