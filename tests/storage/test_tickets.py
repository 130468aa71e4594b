"""Tickets on SQLite and PostgreSQL: lifecycle, races between callers and between engines
(as two worker processes would be), reminders and staff posts."""

from __future__ import annotations

import asyncio
import datetime as dt
from dataclasses import replace
from typing import cast

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.core.vocabulary import (
    Author,
    Claim,
    Ticket,
    TicketLifecycle,
    TicketMessage,
    TicketPosts,
    TicketThreads,
)
from bot.storage import StorageError, Store

from .helpers import CONTEXT, GUESSES, QUESTION, T0, FakeClock, open_one, second_store

WIB = dt.timezone(dt.timedelta(hours=7), "WIB")


async def test_the_store_serves_each_ticket_role(store: Store) -> None:
    # What the escalation, the officers' commands and the staff chat are given, used only
    # through those roles.
    lifecycle: TicketLifecycle = store
    threads: TicketThreads = store
    posts: TicketPosts = store
    opened = await lifecycle.open_ticket(
        channel="telegram", chat_id="7", user_hash="h" * 64, question="q", guesses=(), context=()
    )
    assert await lifecycle.active_ticket("telegram", "7") == opened
    assert [t.id for t in await threads.open_tickets()] == [opened.id]
    await posts.link_post(opened.id, "telegram", "-100", "5")
    assert await posts.ticket_for_post("telegram", "-100", "5") == opened.id


async def test_open_stores_question_guesses_and_context(tickets: Store, clock: FakeClock) -> None:
    opened = await open_one(tickets)
    assert opened == Ticket(
        id=opened.id,
        channel="telegram",
        chat_id="chat-1",
        user_hash="a" * 64,
        status="open",
        question=QUESTION,
        guesses=GUESSES,
        created_at=T0,
    )
    assert await tickets.get_ticket(opened.id) == opened
    assert await tickets.ticket_context(opened.id) == CONTEXT
    assert await tickets.ticket_context(999_999) is None
    assert await tickets.ticket_messages(opened.id) == [
        TicketMessage(opened.id, "applicant", QUESTION, T0)
    ]
    assert await tickets.get_ticket(999_999) is None


async def test_lifecycle_claim_reply_close(tickets: Store, clock: FakeClock) -> None:
    opened = await open_one(tickets)
    claimed_at = clock.advance(minutes=3)
    claim = await tickets.claim_ticket(opened.id, "officer-7", "Budi")
    assert claim.won
    assert claim.ticket == replace(
        opened, status="claimed", owner_id="officer-7", owner_name="Budi", claimed_at=claimed_at
    )

    replied_at = clock.advance(minutes=2)
    answered = await tickets.record_officer_reply(opened.id, "officer-7", "Budi", "Lapor KBRI.")
    assert answered == replace(claim.ticket, status="answered", first_reply_at=replied_at)

    clock.advance(minutes=1)
    again = await tickets.record_officer_reply(opened.id, "officer-9", "Sari", "Bawa surat.")
    assert again == answered  # first reply time and owner are kept

    closed_at = clock.advance(minutes=1)
    closed = await tickets.close_ticket(opened.id)
    assert closed == replace(answered, status="closed", closed_at=closed_at)
    assert await tickets.get_ticket(opened.id) == closed
    assert [(m.author, m.officer_name) for m in await tickets.ticket_messages(opened.id)] == [
        ("applicant", None),
        ("officer", "Budi"),
        ("officer", "Sari"),
    ]


async def test_reply_without_claim_makes_the_replier_owner(
    tickets: Store, clock: FakeClock
) -> None:
    ticket = await open_one(tickets)
    replied_at = clock.advance(minutes=5)

    answered = await tickets.record_officer_reply(ticket.id, "officer-3", "Rina", "Sudah bisa.")

    assert answered is not None
    assert (answered.status, answered.owner_id, answered.owner_name) == (
        "answered",
        "officer-3",
        "Rina",
    )
    assert answered.claimed_at == answered.first_reply_at == replied_at
    late = await tickets.claim_ticket(ticket.id, "officer-4", "Dewi")
    assert late == Claim(answered, won=False)


async def test_claim_race_has_exactly_one_winner(tickets: Store) -> None:
    ticket = await open_one(tickets)

    claims = await asyncio.gather(
        *(tickets.claim_ticket(ticket.id, f"officer-{n}", f"Officer {n}") for n in range(10))
    )

    winners = [c for c in claims if c.won]
    assert len(winners) == 1
    owner = winners[0].ticket
    assert owner is not None
    assert {c.ticket for c in claims} == {owner}
    assert await tickets.get_ticket(ticket.id) == owner


async def test_claim_race_across_two_engines(db_url: str, tickets: Store) -> None:
    ticket = await open_one(tickets)
    async with second_store(db_url) as other:
        stores = (tickets, other)
        claims = await asyncio.gather(
            *(stores[n % 2].claim_ticket(ticket.id, f"o{n}", f"Officer {n}") for n in range(20))
        )

    assert sum(c.won for c in claims) == 1
    assert len({c.ticket.owner_id for c in claims if c.ticket is not None}) == 1
    assert all(c.ticket is not None for c in claims)


async def test_claiming_a_closed_or_missing_ticket(tickets: Store) -> None:
    ticket = await open_one(tickets)
    closed = await tickets.close_ticket(ticket.id)

    assert await tickets.claim_ticket(ticket.id, "o1", "Budi") == Claim(closed, won=False)
    assert await tickets.claim_ticket(999_999, "o1", "Budi") == Claim(None, won=False)


async def test_reply_on_closed_or_missing_ticket_is_none(tickets: Store) -> None:
    ticket = await open_one(tickets)
    await tickets.close_ticket(ticket.id)

    assert await tickets.record_officer_reply(ticket.id, "o1", "Budi", "terlambat") is None
    assert await tickets.record_officer_reply(999_999, "o1", "Budi", "?") is None
    assert len(await tickets.ticket_messages(ticket.id)) == 1  # no officer message added


async def test_close_twice_and_close_missing(tickets: Store) -> None:
    ticket = await open_one(tickets)

    assert await tickets.close_ticket(ticket.id) is not None
    assert await tickets.close_ticket(ticket.id) is None
    assert await tickets.close_ticket(999_999) is None


async def test_active_ticket_follows_the_status(tickets: Store, clock: FakeClock) -> None:
    assert await tickets.active_ticket("telegram", "chat-1") is None
    first = await open_one(tickets)
    clock.advance(seconds=1)
    second = await open_one(tickets)
    await open_one(tickets, chat_id="chat-2")

    assert await tickets.active_ticket("telegram", "chat-1") == second  # the newest
    await tickets.close_ticket(second.id)
    assert await tickets.active_ticket("telegram", "chat-1") == first
    claimed = (await tickets.claim_ticket(first.id, "o1", "Budi")).ticket
    assert await tickets.active_ticket("telegram", "chat-1") == claimed
    answered = await tickets.record_officer_reply(first.id, "o1", "Budi", "ok")
    assert await tickets.active_ticket("telegram", "chat-1") == answered
    await tickets.close_ticket(first.id)
    assert await tickets.active_ticket("telegram", "chat-1") is None
    assert await tickets.active_ticket("whatsapp", "chat-2") is None


async def test_open_tickets_oldest_first_without_closed(tickets: Store, clock: FakeClock) -> None:
    opened = []
    for n in range(4):
        opened.append(await open_one(tickets, chat_id=f"chat-{n}"))
        clock.advance(minutes=1)
    await tickets.close_ticket(opened[1].id)
    claimed = (await tickets.claim_ticket(opened[2].id, "o1", "Budi")).ticket

    assert await tickets.open_tickets() == [opened[0], claimed, opened[3]]


async def test_thread_order_and_limit(tickets: Store, clock: FakeClock) -> None:
    ticket = await open_one(tickets)
    for n in range(5):
        clock.advance(seconds=1)
        await tickets.add_ticket_message(ticket.id, "applicant", f"pesan {n}")
    clock.advance(seconds=1)
    await tickets.add_ticket_message(ticket.id, "bot", "Pesan diteruskan.")
    await tickets.add_ticket_message(ticket.id, "officer", "Baik.", officer_name="Sari")

    last = await tickets.ticket_messages(ticket.id, limit=3)
    assert last == [
        TicketMessage(ticket.id, "applicant", "pesan 4", T0 + dt.timedelta(seconds=5)),
        TicketMessage(ticket.id, "bot", "Pesan diteruskan.", T0 + dt.timedelta(seconds=6)),
        TicketMessage(ticket.id, "officer", "Baik.", T0 + dt.timedelta(seconds=6), "Sari"),
    ]
    assert len(await tickets.ticket_messages(ticket.id)) == 8
    assert await tickets.ticket_messages(ticket.id, limit=0) == []
    assert await tickets.ticket_messages(999_999) == []


async def test_bad_thread_messages_are_refused(tickets: Store) -> None:
    ticket = await open_one(tickets)

    with pytest.raises(StorageError):
        await tickets.add_ticket_message(999_999, "applicant", "tiket tidak ada")
    with pytest.raises(StorageError):  # the CHECK constraint, on both backends
        await tickets.add_ticket_message(ticket.id, cast(Author, "robot"), "?")


async def test_due_reminders_timing(tickets: Store, clock: FakeClock) -> None:
    wait = dt.timedelta(minutes=5)
    ticket = await open_one(tickets)

    assert await tickets.due_reminders(now=T0 + dt.timedelta(minutes=4), unclaimed_for=wait) == []
    at_5 = T0 + wait
    assert await tickets.due_reminders(now=at_5, unclaimed_for=wait) == [
        replace(ticket, last_reminded_at=at_5)
    ]
    at_9 = T0 + dt.timedelta(minutes=9)
    assert await tickets.due_reminders(now=at_9, unclaimed_for=wait) == []
    at_10 = T0 + dt.timedelta(minutes=10)
    assert [
        t.last_reminded_at for t in await tickets.due_reminders(now=at_10, unclaimed_for=wait)
    ] == [at_10]

    await tickets.claim_ticket(ticket.id, "o1", "Budi")
    assert await tickets.due_reminders(now=T0 + dt.timedelta(hours=1), unclaimed_for=wait) == []


async def test_due_reminders_skip_answered_and_closed(tickets: Store, clock: FakeClock) -> None:
    answered, closed, waiting = [await open_one(tickets, chat_id=f"c{n}") for n in range(3)]
    await tickets.record_officer_reply(answered.id, "o1", "Budi", "ok")
    await tickets.close_ticket(closed.id)
    now = T0 + dt.timedelta(hours=1)

    due = await tickets.due_reminders(now=now, unclaimed_for=dt.timedelta(minutes=5))
    assert [t.id for t in due] == [waiting.id]


async def test_due_reminders_are_taken_once_under_concurrency(tickets: Store) -> None:
    opened = {(await open_one(tickets, chat_id=f"c{n}")).id for n in range(5)}
    now, wait = T0 + dt.timedelta(minutes=30), dt.timedelta(minutes=5)

    batches = await asyncio.gather(
        *(tickets.due_reminders(now=now, unclaimed_for=wait) for _ in range(10))
    )

    taken = [t.id for batch in batches for t in batch]
    assert sorted(taken) == sorted(opened)


async def test_due_reminders_take_the_oldest_up_to_a_limit(
    tickets: Store, clock: FakeClock
) -> None:
    opened = [(await open_one(tickets, chat_id=f"c{n}")).id for n in range(7)]
    now, wait = T0 + dt.timedelta(minutes=30), dt.timedelta(minutes=5)
    first = await tickets.due_reminders(now=now, unclaimed_for=wait, limit=3)
    second = await tickets.due_reminders(now=now, unclaimed_for=wait, limit=3)
    rest = await tickets.due_reminders(now=now, unclaimed_for=wait, limit=3)
    assert [[t.id for t in batch] for batch in (first, second, rest)] == [
        opened[:3],
        opened[3:6],
        opened[6:],
    ]
    assert await tickets.due_reminders(now=now, unclaimed_for=wait, limit=3) == []


@pytest.mark.parametrize("limit", [None, 3])
async def test_due_reminders_are_taken_once_across_two_engines(
    db_url: str, tickets: Store, limit: int | None
) -> None:
    opened = {(await open_one(tickets, chat_id=f"c{n}")).id for n in range(20)}
    now, wait = T0 + dt.timedelta(minutes=30), dt.timedelta(minutes=5)
    async with second_store(db_url) as other:
        stores = (tickets, other)
        batches = await asyncio.gather(
            *(
                stores[n % 2].due_reminders(now=now, unclaimed_for=wait, limit=limit)
                for n in range(10)
            )
        )

    taken = [t.id for batch in batches for t in batch]
    assert len(taken) == len(set(taken))
    if limit is None:
        assert set(taken) == opened
    else:  # ten rounds of three could take them all, but a round skips what another holds
        assert all(len(batch) <= limit for batch in batches)
        assert set(taken) <= opened


async def test_due_reminders_need_a_positive_wait(tickets: Store) -> None:
    with pytest.raises(ValueError, match="positive"):
        await tickets.due_reminders(now=T0, unclaimed_for=dt.timedelta(0))


async def test_times_in_other_zones_are_stored_as_utc(tickets: Store, clock: FakeClock) -> None:
    clock.now = dt.datetime(2025, 3, 1, 16, 30, tzinfo=WIB)
    ticket = await open_one(tickets)
    reply = await tickets.record_officer_reply(ticket.id, "o1", "Budi", "ok")

    assert reply is not None
    assert ticket.created_at == reply.first_reply_at == T0
    assert ticket.created_at.utcoffset() == dt.timedelta(0)
    due_wib = dt.datetime(2025, 3, 1, 16, 35, tzinfo=WIB)
    closed = await open_one(tickets, chat_id="c2")
    await tickets.close_ticket(closed.id)
    assert await tickets.due_reminders(now=due_wib, unclaimed_for=dt.timedelta(minutes=5)) == []


async def test_staff_posts(tickets: Store) -> None:
    first, second = await open_one(tickets), await open_one(tickets, chat_id="c2")

    await tickets.link_post(first.id, "telegram", "-100staff", "41")
    await tickets.link_post(first.id, "telegram", "-100staff", "41")  # idempotent
    await tickets.link_post(second.id, "telegram", "-100staff", "41")  # first link kept
    await tickets.link_post(second.id, "telegram", "-100other", "41")

    assert await tickets.ticket_for_post("telegram", "-100staff", "41") == first.id
    assert await tickets.ticket_for_post("telegram", "-100other", "41") == second.id
    assert await tickets.ticket_for_post("telegram", "-100staff", "42") is None
    with pytest.raises(StorageError):
        await tickets.link_post(999_999, "telegram", "-100staff", "43")


async def test_deleting_a_ticket_deletes_its_thread_and_posts(
    tickets: Store, engine: AsyncEngine
) -> None:
    ticket = await open_one(tickets)
    await tickets.link_post(ticket.id, "telegram", "-100staff", "41")

    async with engine.begin() as connection:
        await connection.execute(text("DELETE FROM tickets WHERE id = :id"), {"id": ticket.id})
    assert await tickets.ticket_messages(ticket.id) == []
    assert await tickets.ticket_for_post("telegram", "-100staff", "41") is None
