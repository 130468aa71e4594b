"""Composition root: the only place that knows the concrete classes and wires them."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

from bot.config import Settings
from bot.conversation import Conversation
from bot.storage import Store, open_database
from bot.storage.batch import BatchedLog
from knowledge.loader import load
from knowledge.matcher import Matcher


@dataclass(frozen=True, slots=True)
class App:
    """The wired application for one process."""

    settings: Settings
    conversation: Conversation
    store: Store


def build_matcher(path: Path) -> Matcher:
    """Load and index a knowledge base (raises KnowledgeError if it is broken)."""
    return Matcher(load(path))


@asynccontextmanager
async def running(settings: Settings) -> AsyncIterator[App]:
    """Open the database (migrating it), load the KB, and close everything on exit."""
    matcher = build_matcher(settings.faq_path)
    engine = await open_database(settings.database_url)
    store = Store(engine)
    log = BatchedLog(store)
    conversation = Conversation(
        matcher,
        log,
        salt=settings.salt(),
        thresholds=settings.thresholds,
        long_chars=settings.long_message_chars,
    )
    try:
        yield App(settings, conversation, store)
    finally:
        await log.drain()
        await store.close()
