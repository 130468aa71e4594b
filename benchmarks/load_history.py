"""What weeks of work leave in the database before a load run: handled updates' keys (kept 14
days to recognise a redelivery), failed replies (kept 30 days for the admins) and earlier
questions. An empty inbox flatters every statement that looks for a chat's pending rows: a
plan that scans the table is as fast as one that does not (see
tests/storage/test_generic_plans.py).

BENCH_KEPT=N sets the handled keys and the earlier questions (default 20,000, a few days of a
busy office; 0 starts empty, as the runs before 2026-12-07 16:00 did); a quarter as many failed
replies."""

from __future__ import annotations

import os

import asyncpg

from benchmarks.load_meter import HISTORY_VERSION

KEPT = int(os.environ.get("BENCH_KEPT", "20000"))

_KEYS = """
INSERT INTO inbox (key, channel, chat_id, payload, status, received_at, lease_until)
SELECT $1 || ':kept-' || g, $1, '', NULL, 'done', now() - (g % 13) * interval '1 day', now()
FROM generate_series(1, $2::int) g
"""
_FAILED = """
INSERT INTO outbox (channel, chat_id, reply, parts_sent, status, attempts, created_at,
                    next_attempt_at, lease_until, error)
SELECT $1, 'kept-' || g, '{"text": "-"}', 0, 'failed', 9, now() - (g % 29) * interval '1 day',
       now(), now(), 'blocked'
FROM generate_series(1, $2::int) g
"""
_QUESTIONS = """
INSERT INTO questions (created_at, channel, user_hash, text_redacted, normalized, action,
                       faq_id, score, candidates, latency_ms, kb_version, flags)
SELECT now() - (g % 13) * interval '1 day', $1, md5('kept-' || g % 5000), 'berapa biaya paspor',
       'berapa biaya paspor', 'answer', 'biaya-paspor', 0.9, '[]', 1, $3, '[]'
FROM generate_series(1, $2::int) g
"""


async def fill(dsn: str, channel: str, kept: int = KEPT) -> None:
    """Add `kept` handled keys and earlier questions of `channel`, and a quarter as many
    failed replies, then ANALYZE, as a database that has worked for a while has statistics."""
    if kept <= 0:
        return
    connection = await asyncpg.connect(dsn)
    try:
        await connection.execute(_KEYS, channel, kept)
        await connection.execute(_FAILED, channel, kept // 4)
        await connection.execute(_QUESTIONS, channel, kept, HISTORY_VERSION)
        await connection.execute("ANALYZE")
    finally:
        await connection.close()


def described(kept: int = KEPT) -> str:
    """The history a report names in its set-up."""
    return f"{kept:,} handled updates and earlier questions kept" if kept > 0 else "empty tables"
