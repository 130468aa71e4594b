"""The statements every message runs are rendered once (issue 22): an expanding IN (a list
of values) is rendered again into the SQL on every run, which cost ~2% of a worker's CPU."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.dialects import postgresql

from bot.storage import queue_sql
from bot.storage.chat_reads import ACCEPT_READING, SNAPSHOT

EVERY_MESSAGE = {
    "snapshot": SNAPSHOT,
    "accept reading": ACCEPT_READING,
    "accept": queue_sql.ACCEPT["postgresql"],
    "done": queue_sql.DONE["postgresql"],
    "queue held": queue_sql.QUEUE_HELD,
    "claim updates": queue_sql.CLAIM_UPDATES,
    "claim replies": queue_sql.CLAIM_REPLIES,
    "sent": queue_sql.SENT,
}


@pytest.mark.parametrize("name", EVERY_MESSAGE)
def test_a_statement_every_message_runs_is_rendered_once(name: str) -> None:
    statement: Any = EVERY_MESSAGE[name]
    sql = str(statement.compile(dialect=postgresql.asyncpg.dialect()))
    assert "POSTCOMPILE" not in sql
