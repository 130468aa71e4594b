"""The inbox's and outbox's every-message statements under PostgreSQL's generic plans (the
autocommit pool forces them, `bot.storage.database`) on tables as they are after weeks of
work: handled keys kept for de-duplication, failed replies kept for the admins. A status
compared with a parameter made the accepting statement scan the whole inbox (1.2 ms a
message at 20,000 rows kept); each must look its rows up in an index."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import BindParameter, DateTime, Integer, text
from sqlalchemy.dialects import postgresql
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot.storage import queue_sql
from bot.storage.chat_reads import ACCEPT_READING, SNAPSHOT

STATEMENTS = {
    "accept": queue_sql.ACCEPT["postgresql"],
    "accept reading": ACCEPT_READING,
    "snapshot": SNAPSHOT,
    "queue held": queue_sql.QUEUE_HELD,
    "claim updates": queue_sql.CLAIM_UPDATES,
    "claim replies": queue_sql.CLAIM_REPLIES,
    "sending": queue_sql.SENDING,
}
KEPT = 20_000
NOW = dt.datetime(2026, 12, 7, 8, 0, tzinfo=dt.UTC)
SPECIAL = {"the_limit": 10, "new_payload": "{}", "new_reply": "{}"}

WEEKS_OF_WORK = (
    f"INSERT INTO inbox (key, channel, chat_id, payload, status, received_at, lease_until)"
    f" SELECT 'whatsapp:' || g, 'whatsapp', '', NULL, 'done', now(), now()"
    f" FROM generate_series(1, {KEPT}) g",
    "INSERT INTO outbox (channel, chat_id, reply, parts_sent, status, attempts, created_at,"
    " next_attempt_at, lease_until) SELECT 'whatsapp', '628' || g, '{}', 0, 'failed', 9,"
    f" now(), now(), now() FROM generate_series(1, {KEPT // 4}) g",
    "INSERT INTO questions (created_at, channel, user_hash, text_redacted, normalized, action,"
    " score, candidates, latency_ms, kb_version, flags) SELECT now(), 'whatsapp',"
    " md5(g::text), 'x', 'x', 'answer', 0.9, '[]', 1, 'v', '[]'"
    f" FROM generate_series(1, {KEPT}) g",
    "ANALYZE",
    "SET plan_cache_mode = force_generic_plan",
)


def _literal(name: str, bind: BindParameter[Any]) -> str:
    """A value as an untyped SQL literal: the prepared statement's casts give it its type."""
    value = SPECIAL.get(name, bind.value)
    kind = getattr(bind.type, "impl", bind.type)
    if isinstance(kind, DateTime):
        value = (value or NOW).isoformat()
    elif value is None:
        value = "1" if isinstance(kind, Integer) else "x"
    return "'" + str(value).replace("'", "''") + "'"


async def generic_plan(connection: AsyncConnection, name: str) -> str:
    compiled = STATEMENTS[name].compile(dialect=postgresql.asyncpg.dialect())
    handle = name.replace(" ", "_")
    await connection.execute(text(f"PREPARE {handle} AS {compiled}"))
    names = compiled.positiontup or []
    args = ", ".join(_literal(n, compiled.binds[n]) for n in names)
    rows = await connection.execute(text(f"EXPLAIN EXECUTE {handle}({args})"))
    return "\n".join(row[0] for row in rows)


@pytest.mark.parametrize("db_url", ["postgres"], indirect=True)
async def test_every_message_statement_finds_its_rows_by_index(engine: AsyncEngine) -> None:
    async with engine.connect() as connection:
        for statement in WEEKS_OF_WORK:
            await connection.execute(text(statement))
        await connection.commit()
        for name in STATEMENTS:
            plan = await generic_plan(connection, name)
            for table in ("inbox", "outbox", "questions"):
                assert f"Seq Scan on {table}" not in plan, f"{name}:\n{plan}"
