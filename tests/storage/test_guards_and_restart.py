"""The flood guard's reads of the question log, and tickets surviving a restart,
on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from bot.core.vocabulary import QuestionRecord
from bot.storage import Store, open_database

from .helpers import CONTEXT, T0, open_one

USER, OTHER = "a" * 64, "b" * 64


def question(text: str, user_hash: str, at: dt.datetime) -> QuestionRecord:
    return QuestionRecord(
        channel="telegram",
        user_hash=user_hash,
        text_redacted=text,
        normalized=text,
        action="answer",
        faq_id=None,
        score=0.0,
        candidates=(),
        latency_ms=1.0,
        kb_version="v1",
        created_at=at,
    )


async def test_messages_since_counts_this_user_from_since(store: Store) -> None:
    minutes = [0, 1, 2, 3, 4]
    await store.log_questions(
        [question(f"q{m}", USER, T0 + dt.timedelta(minutes=m)) for m in minutes]
    )
    await store.log_question(question("lain", OTHER, T0 + dt.timedelta(minutes=3)))

    assert await store.messages_since(USER, T0 + dt.timedelta(minutes=2)) == 3  # inclusive
    assert await store.messages_since(USER, T0) == 5
    assert await store.messages_since(USER, T0 + dt.timedelta(hours=1)) == 0
    assert await store.messages_since("c" * 64, T0) == 0


async def test_recent_texts_are_the_last_ones_oldest_first(store: Store) -> None:
    # Logged out of order: the order comes from created_at, not from insertion.
    for m in (2, 0, 3, 1):
        await store.log_question(question(f"q{m}", USER, T0 + dt.timedelta(minutes=m)))
    await store.log_question(question("lain", OTHER, T0 + dt.timedelta(minutes=9)))

    assert await store.recent_texts(USER, limit=3) == ["q1", "q2", "q3"]
    assert await store.recent_texts(USER, limit=10) == ["q0", "q1", "q2", "q3"]
    assert await store.recent_texts(USER, limit=0) == []
    assert await store.recent_texts("c" * 64, limit=3) == []


async def test_everything_survives_a_restart(db_url: str) -> None:
    engine = await open_database(db_url)
    before = Store(engine)
    try:
        ticket = await open_one(before)
        claim = await before.claim_ticket(ticket.id, "o1", "Budi")
        await before.link_post(ticket.id, "telegram", "-100staff", "41")
        reminded = await open_one(before, chat_id="c2")
        taken = await before.due_reminders(
            now=reminded.created_at + dt.timedelta(hours=1), unclaimed_for=dt.timedelta(minutes=5)
        )
    finally:
        await before.close()

    after = Store(await open_database(db_url))
    try:
        assert await after.get_ticket(ticket.id) == claim.ticket
        assert await after.active_ticket("telegram", "chat-1") == claim.ticket
        assert await after.ticket_context(ticket.id) == CONTEXT
        assert await after.get_ticket(reminded.id) == taken[0]
        assert await after.ticket_for_post("telegram", "-100staff", "41") == ticket.id
        assert [m.text for m in await after.ticket_messages(ticket.id)] == [ticket.question]
        assert await after.claim_ticket(ticket.id, "o2", "Sari") == replace(claim, won=False)
    finally:
        await after.close()
