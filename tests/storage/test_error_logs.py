"""A database error logged with its traceback names the statement, never its bound values
(an officer's id and name, a chat id, an applicant's text)."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.core.errors import StorageError
from bot.storage import Store

OFFICER_ID, OFFICER_NAME = "7001234987", "Siti Petugas Rahasia"
CHAT_ID, QUESTION = "6281377778888", "pertanyaan rahasia pemohon"

REFUSE = {
    # PostgreSQL's own message would add "DETAIL: Failing row contains (...)" with every value.
    "postgresql": [
        "ALTER TABLE tickets ADD CONSTRAINT refuse_owner CHECK (owner_name IS NULL) NOT VALID"
    ],
    "sqlite": [
        "CREATE TRIGGER refuse_owner BEFORE UPDATE OF owner_name ON tickets "
        "BEGIN SELECT RAISE(ABORT, 'owner refused'); END"
    ],
}


async def refuse_claims(engine: AsyncEngine) -> None:
    async with engine.begin() as connection:
        for statement in REFUSE[engine.dialect.name]:
            await connection.execute(text(statement))


async def test_a_failed_statement_logs_no_parameters(
    engine: AsyncEngine, caplog: pytest.LogCaptureFixture
) -> None:
    store = Store(engine)
    ticket = await store.open_ticket(
        channel="whatsapp",
        chat_id=CHAT_ID,
        user_hash="h" * 64,
        question=QUESTION,
        guesses=(),
        context=(),
    )
    await refuse_claims(engine)
    logger = logging.getLogger("bot.test")
    with caplog.at_level(logging.ERROR):
        try:
            await store.claim_ticket(ticket.id, OFFICER_ID, OFFICER_NAME)
        except StorageError:
            logger.exception("claim failed")
        else:
            pytest.fail("the refused claim went through")
    logged = caplog.text
    assert "claim failed" in logged
    assert "UPDATE tickets" in logged  # the statement and traceback are there
    for value in (OFFICER_ID, OFFICER_NAME, CHAT_ID, QUESTION):
        assert value not in logged
