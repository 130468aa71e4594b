"""A WhatsApp business-scoped user id (~131 characters) fits wherever a chat id is kept."""

from __future__ import annotations

from bot.storage import Store

BSUID = "ID." + "7" * 128


async def test_a_long_chat_id_round_trips(store: Store) -> None:
    ticket = await store.open_ticket(
        channel="whatsapp",
        chat_id=BSUID,
        user_hash="u" * 64,
        question="q",
        guesses=(),
        context=(),
    )
    found = await store.active_ticket("whatsapp", BSUID)
    assert found is not None
    assert (found.id, found.chat_id) == (ticket.id, BSUID)
