"""Helpers for the ticket tests: a hand-moved clock, a second store, a standard ticket."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from bot.core.vocabulary import Candidate, Ticket, TicketLifecycle
from bot.storage import Store, create_engine

T0 = dt.datetime(2025, 3, 1, 9, 30, tzinfo=dt.UTC)
GUESSES = (Candidate("biaya-paspor", 0.41), Candidate("syarat-paspor", 0.33))
CONTEXT = ("halo", "mau tanya soal paspor")
QUESTION = "Paspor saya hilang di luar negeri, bagaimana?"


class FakeClock:
    """A clock the test moves by hand."""

    def __init__(self, start: dt.datetime = T0) -> None:
        self.now = start

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta: float) -> dt.datetime:
        self.now += dt.timedelta(**delta)
        return self.now


@asynccontextmanager
async def second_store(url: str) -> AsyncIterator[Store]:
    """A store on its own engine and pool, as another worker process would have."""
    store = Store(create_engine(url))
    try:
        yield store
    finally:
        await store.close()


async def open_one(
    store: TicketLifecycle,
    chat_id: str = "chat-1",
    question: str = QUESTION,
    *,
    office_id: str | None = None,
) -> Ticket:
    """Open a ticket from a Telegram chat with the standard guesses and context."""
    return await store.open_ticket(
        channel="telegram",
        chat_id=chat_id,
        user_hash="a" * 64,
        question=question,
        guesses=GUESSES,
        context=CONTEXT,
        office_id=office_id,
    )
