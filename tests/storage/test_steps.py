"""Steps folded into one statement (PostgreSQL's data-modifying CTEs): every step's write
lands, atomically; steps that would clash are not folded."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import bindparam, func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.storage.steps import Step, Steps, fewest, folded, last_folded
from bot.storage.tables_ops import ContactWindowRow

AT = dt.datetime(2026, 12, 7, 8, 0, tzinfo=dt.UTC)


def window(prefix: str) -> Step:
    at = ContactWindowRow.__table__.c.last_inbound_at
    statement = insert(ContactWindowRow).values(
        channel=bindparam(f"{prefix}channel"),
        chat_hash=bindparam(f"{prefix}chat_hash"),
        last_inbound_at=bindparam(f"{prefix}at", type_=at.type),
    )
    values = {f"{prefix}channel": "whatsapp", f"{prefix}chat_hash": prefix, f"{prefix}at": AT}
    return Step(statement, values)


A, B, C = window("a_"), window("b_"), window("c_")


async def windows(engine: AsyncEngine) -> int:
    count = select(func.count()).select_from(ContactWindowRow)
    async with engine.connect() as connection:
        return int(await connection.scalar(count) or 0)


async def run(engine: AsyncEngine, write: Step | Steps | None) -> None:
    assert write is not None
    async with engine.begin() as connection:
        await write(connection)


def postgres(engine: AsyncEngine) -> bool:
    return engine.dialect.name == "postgresql"


async def test_folded_steps_all_land_in_one_statement(engine: AsyncEngine) -> None:
    # SQLite has no data-modifying CTEs: there the steps run one by one in a transaction.
    await run(engine, last_folded([A, Steps((B, C))]) if postgres(engine) else Steps((A, B, C)))
    assert await windows(engine) == 3


async def test_a_refused_step_refuses_the_whole_folded_statement(engine: AsyncEngine) -> None:
    await run(engine, A)
    # A's row exists: its key refuses the second insert of it, and B goes with it.
    with pytest.raises(IntegrityError):
        await run(engine, folded(B, [A]) if postgres(engine) else Steps((B, A)))
    assert await windows(engine) == 1


def test_steps_that_would_clash_are_not_folded() -> None:
    assert folded(A, [A]) is None  # the same statement twice
    renamed = Step(B.statement, {**B.values, "a_channel": "lain"})
    assert folded(A, [renamed]) is None  # a parameter named alike
    assert folded(A, [object()]) is None  # not a step
    many = Step(B.statement, [B.values, {**B.values, "b_chat_hash": "lain"}])
    assert folded(A, [many]) is None  # run once per row (executemany): no CTE can hold it


def test_fewest_folds_each_run_that_folds_in_order() -> None:
    again = Step(A.statement, {**A.values, "a_chat_hash": "lain"})  # A's statement again
    runs = fewest([A, B, again, C])
    # A and B fold; `again` repeats A's statement, so it starts the next run (C joins it).
    assert [run.values for run in runs if isinstance(run, Step)] == [
        {**A.values, **B.values},
        {**again.values, **C.values},
    ]
    lone = object()  # not a step: stays as it is, between the runs
    runs_around = fewest([A, lone, B])
    assert len(runs_around) == 3
    assert runs_around[1] is lone
