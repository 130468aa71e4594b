"""Revision 0002 (tickets) on a database that already holds a question log from 0001."""

from __future__ import annotations

import datetime as dt
from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, insert, inspect
from sqlalchemy.ext.asyncio import AsyncEngine
from support.records import question
from support.rows import count_questions, feedback_for

from bot.core.vocabulary import FeedbackRecord
from bot.runtime.schema import full_metadata
from bot.storage import Store, create_engine, upgrade
from bot.storage.database import downgrade
from bot.storage.tables import QuestionRow

from .helpers import T0, open_one

QUESTION_LOG = {"alembic_version", "questions", "feedback"}


def _state(connection: Connection) -> tuple[set[str], list[Any]]:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    tables = set(inspect(connection).get_table_names())
    return tables, list(compare_metadata(context, full_metadata()))


async def _logged(store: Store) -> int:
    record = question(channel="telegram", user_hash="a" * 64, created_at=T0)
    question_id = await store.log_question(record)
    await store.add_feedback(FeedbackRecord(question_id, helpful=True, user_hash="a" * 64))
    return question_id


async def _logged_at_0001(store: Store, engine: AsyncEngine) -> int:
    """A question and its 👍 as revision 0001 stored them: today's log also writes columns
    that later revisions added."""
    record = question(channel="telegram", user_hash="a" * 64, created_at=T0)
    names = ("created_at", "channel", "user_hash", "text_redacted", "normalized", "action")
    names += ("faq_id", "score", "latency_ms", "kb_version")
    row = {name: getattr(record, name) for name in names} | {"candidates": [], "flags": []}
    table = QuestionRow.__table__
    async with engine.begin() as connection:
        inserted = await connection.execute(insert(table).values(row).returning(table.c.id))
        question_id = int(inserted.scalar_one())
    await store.add_feedback(FeedbackRecord(question_id, helpful=True, user_hash="a" * 64))
    return question_id


async def test_upgrade_from_0001_keeps_the_question_log(db_url: str) -> None:
    engine = create_engine(db_url)
    store = Store(engine)
    try:
        await upgrade(engine, "0001")
        question_id = await _logged_at_0001(store, engine)

        await upgrade(engine)
        async with engine.connect() as connection:
            tables, diff = await connection.run_sync(_state)
        assert (tables, diff) == ({"alembic_version", *full_metadata().tables}, [])
        assert await count_questions(store) == 1
        assert len(await feedback_for(store, question_id)) == 1
        assert await store.recent_texts("a" * 64, limit=5) == ["berapa biaya paspor"]
        assert (await open_one(store)).status == "open"
    finally:
        await store.close()


async def test_downgrade_to_0001_drops_only_the_tickets(db_url: str) -> None:
    engine = create_engine(db_url)
    store = Store(engine)
    try:
        await upgrade(engine)
        await _logged(store)
        await open_one(store)

        await downgrade(engine, "0001")
        async with engine.connect() as connection:
            tables, _ = await connection.run_sync(_state)
        assert tables == QUESTION_LOG
        assert await store.messages_since("a" * 64, T0 - dt.timedelta(days=1)) == 1
    finally:
        await store.close()
