"""Tickets per office on SQLite and PostgreSQL: the office is stored with the ticket, and a
move to another office is one conditional step that exactly one of several racers wins."""

from __future__ import annotations

import asyncio
from dataclasses import replace

from bot.core.handover import TicketMoves
from bot.storage import Store

from .helpers import FakeClock, open_one, second_store


async def open_for(store: Store, office_id: str | None, chat_id: str = "chat-1") -> int:
    return (await open_one(store, chat_id, office_id=office_id)).id


async def test_the_office_is_stored_and_read_back(tickets: Store) -> None:
    with_office = await open_for(tickets, "kotabumi")
    without = await open_for(tickets, None, chat_id="chat-2")
    found = await tickets.get_ticket(with_office)
    assert found is not None
    assert found.office_id == "kotabumi"
    assert (await tickets.active_ticket("telegram", "chat-1")) == found
    assert [t.office_id for t in await tickets.open_tickets()] == ["kotabumi", None]
    plain = await tickets.get_ticket(without)
    assert plain is not None
    assert plain.office_id is None


async def test_a_move_reopens_the_ticket_in_the_new_office(
    tickets: Store, clock: FakeClock
) -> None:
    moves: TicketMoves = tickets
    ticket_id = await open_for(tickets, "kotabumi")
    claim = await tickets.claim_ticket(ticket_id, "officer-7", "Budi")
    assert claim.ticket is not None
    moved_at = clock.advance(minutes=4)

    moved = await moves.move_ticket(ticket_id, to_office="kalianda", from_office="kotabumi")

    assert moved == replace(
        claim.ticket,
        office_id="kalianda",
        status="open",
        owner_id=None,
        owner_name=None,
        claimed_at=None,
        last_reminded_at=moved_at,
    )
    assert await tickets.get_ticket(ticket_id) == moved


async def test_a_move_from_an_office_the_ticket_has_left_does_nothing(tickets: Store) -> None:
    ticket_id = await open_for(tickets, "kotabumi")
    stale = await tickets.move_ticket(ticket_id, to_office="kalianda", from_office=None)
    assert stale is None
    other = await tickets.move_ticket(ticket_id, to_office="kalianda", from_office="kalianda")
    assert other is None
    ticket = await tickets.get_ticket(ticket_id)
    assert ticket is not None
    assert ticket.office_id == "kotabumi"


async def test_a_ticket_without_office_can_be_moved(tickets: Store) -> None:
    ticket = await open_one(tickets)
    moved = await tickets.move_ticket(ticket.id, to_office="kotabumi", from_office=None)
    assert moved is not None
    assert moved.office_id == "kotabumi"


async def test_closed_and_missing_tickets_are_not_moved(tickets: Store) -> None:
    ticket_id = await open_for(tickets, "kotabumi")
    await tickets.close_ticket(ticket_id)
    assert (
        await tickets.move_ticket(ticket_id, to_office="kalianda", from_office="kotabumi") is None
    )
    assert await tickets.move_ticket(999_999, to_office="kalianda", from_office=None) is None
    closed = await tickets.get_ticket(ticket_id)
    assert closed is not None
    assert (closed.status, closed.office_id) == ("closed", "kotabumi")


async def test_racing_moves_have_exactly_one_winner(tickets: Store, db_url: str) -> None:
    ticket_id = await open_for(tickets, "kotabumi")
    targets = ("kalianda", "bandar-lampung")
    # Two engines, as two worker processes would have, each with several callers.
    async with second_store(db_url) as other:
        stores = (tickets, other)
        moves = await asyncio.gather(
            *(
                stores[n % 2].move_ticket(
                    ticket_id, to_office=targets[n % 2], from_office="kotabumi"
                )
                for n in range(10)
            )
        )
    won = [m for m in moves if m is not None]
    assert len(won) == 1
    assert await tickets.get_ticket(ticket_id) == won[0]
