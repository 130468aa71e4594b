"""The FAQ-draft queue on SQLite and PostgreSQL: adding, one pending draft per ticket (also
when two workers press at once), reviewing, and driver errors as StorageError."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.core.vocabulary import Candidate
from bot.storage import StorageError, Store, create_engine
from bot.storage.drafts import Drafts
from bot.suggestions.vocabulary import FaqDraft

T0 = dt.datetime(2026, 11, 30, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def drafts(engine: AsyncEngine) -> Drafts:
    return Drafts(engine, clock=lambda: T0)


async def answered_ticket(store: Store, answer: str | None = "Boleh, asal di keranjang.") -> int:
    ticket = await store.open_ticket(
        channel="telegram",
        chat_id="chat-1",
        user_hash="a" * 64,
        question="bolehkah membawa kucing ke ruang tunggu",
        guesses=(Candidate("di-kantor", 0.3),),
        context=(),
    )
    if answer is not None:
        await store.record_officer_reply(ticket.id, "7001", "Rina", "Nanti saya cek dulu.")
        await store.record_officer_reply(ticket.id, "7002", "Sari", answer)
    return ticket.id


async def test_a_draft_is_stored_pending_and_read_back(drafts: Drafts) -> None:
    added = await drafts.add(
        source="log", questions=["mpaspor tu apaan"], entry_id="mpaspor-apa", created_by="admin"
    )

    assert added == FaqDraft(
        id=added.id,
        created_at=T0,
        source="log",
        ticket_id=None,
        entry_id="mpaspor-apa",
        questions=("mpaspor tu apaan",),
        answer=None,
        status="pending",
        created_by="admin",
    )
    assert await drafts.pending() == [added]


async def test_a_ticket_becomes_a_draft_with_the_officers_last_answer(
    drafts: Drafts, store: Store
) -> None:
    ticket_id = await answered_ticket(store)

    added = await drafts.add_from_ticket(ticket_id, created_by="Sari")

    assert added is not None
    assert added.created
    draft = added.draft
    assert (draft.source, draft.ticket_id, draft.entry_id) == ("ticket", ticket_id, None)
    assert draft.questions == ("bolehkah membawa kucing ke ruang tunggu",)
    assert (draft.answer, draft.created_by, draft.status) == (
        "Boleh, asal di keranjang.",
        "Sari",
        "pending",
    )


async def test_pressing_twice_keeps_one_pending_draft(drafts: Drafts, store: Store) -> None:
    ticket_id = await answered_ticket(store)

    first = await drafts.add_from_ticket(ticket_id, created_by="Sari")
    second = await drafts.add_from_ticket(ticket_id, created_by="Rina")

    assert first is not None
    assert second is not None
    assert (first.created, second.created) == (True, False)
    assert second.draft == first.draft
    assert await drafts.pending() == [first.draft]


async def test_presses_from_two_workers_at_once_make_one_draft(
    db_url: str, engine: AsyncEngine, store: Store
) -> None:
    ticket_id = await answered_ticket(store)
    other = create_engine(db_url)
    try:
        queues = [Drafts(engine), Drafts(other)] * 3
        results = await asyncio.gather(
            *(
                queue.add_from_ticket(ticket_id, created_by=f"P{i}")
                for i, queue in enumerate(queues)
            )
        )
    finally:
        await other.dispose()

    assert all(result is not None for result in results)
    assert sum(result.created for result in results if result) == 1
    assert len({result.draft.id for result in results if result}) == 1
    assert len(await Drafts(engine).pending()) == 1


async def test_a_reviewed_draft_leaves_room_for_a_new_one(drafts: Drafts, store: Store) -> None:
    ticket_id = await answered_ticket(store)
    first = await drafts.add_from_ticket(ticket_id, created_by="Sari")
    assert first is not None

    rejected = await drafts.decide(first.draft.id, "rejected")
    again = await drafts.add_from_ticket(ticket_id, created_by="Sari")

    assert rejected is not None
    assert rejected.status == "rejected"
    assert again is not None
    assert again.created
    assert again.draft.id != first.draft.id
    assert await drafts.pending() == [again.draft]
    assert await drafts.decide(9999, "accepted") is None
    assert await drafts.decide(first.draft.id, "accepted") is None, "a decision is final"


async def test_no_draft_without_an_officer_answer(drafts: Drafts, store: Store) -> None:
    unanswered = await answered_ticket(store, answer=None)

    assert await drafts.add_from_ticket(unanswered, created_by="Sari") is None
    assert await drafts.add_from_ticket(424242, created_by="Sari") is None
    assert await drafts.pending() == []


async def test_driver_errors_become_storage_errors(drafts: Drafts, engine: AsyncEngine) -> None:
    with pytest.raises(StorageError, match="adding a draft failed"):
        await drafts.add(source="surat", questions=["x"])  # type: ignore[arg-type]
    with pytest.raises(StorageError, match="adding a draft failed"):
        await drafts.add(source="ticket", questions=["x"], ticket_id=424242)
