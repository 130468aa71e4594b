"""Writes that are one prebuilt statement each (`Step`), and folding several of them into one
statement on PostgreSQL (issue 22).

Under load the cost of a write is mostly its round trip (the socket write and the wake-up on
both sides), not the SQL: a transaction of four small writes is six round trips (BEGIN,
four statements, COMMIT). PostgreSQL runs data-modifying CTEs as one statement, atomic on its
own, so the same writes folded (`WITH a AS (UPDATE …), b AS (INSERT …) INSERT …`) take one.
Each step's statement names its parameters apart from every other step's (`w_*`, `q_*`,
`new_*`, …); a folded statement is built once per combination of steps and cached.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy.ext.asyncio import AsyncConnection

W = TypeVar("W")
_FOLDED: dict[tuple[int, ...], Any] = {}
# Combinations are few (which bookkeeping a message left); a bound keeps a surprise finite.
MOST_FOLDED = 256


@dataclass(frozen=True, slots=True)
class Step:
    """One prebuilt statement and its parameters (a list of them: the statement once per
    row, executemany); a group commit's or a deferred write."""

    statement: Any
    values: dict[str, Any] | list[dict[str, Any]]

    async def __call__(self, connection: AsyncConnection) -> None:
        await connection.execute(self.statement, self.values)


@dataclass(frozen=True, slots=True)
class Steps:
    """Several steps making one write (one row each of a few)."""

    steps: tuple[Step, ...]

    async def __call__(self, connection: AsyncConnection) -> None:
        for step in self.steps:
            await step(connection)


def folded(main: Step, others: Sequence[object]) -> Step | None:
    """`main` with `others` as CTEs before it, as one statement (its result is `main`'s);
    None when they cannot be folded: an other that is not a `Step` or `Steps` (a write of
    several statements, or one whose check needs the others written first), or a statement
    twice, or two steps naming a parameter alike (their values would clash), or a step run
    once per row."""
    steps = [step for step in _flat(others) if isinstance(step, Step)]
    keys = (id(main.statement), *(id(step.statement) for step in steps))
    if len(steps) < len(_flat(others)) or len(set(keys)) < len(keys):
        return None
    rows = [step.values for step in (main, *steps) if isinstance(step.values, dict)]
    if len(rows) < len(steps) + 1:
        return None
    names = [name for values in rows for name in values]
    if len(set(names)) < len(names):
        return None
    if (statement := _FOLDED.get(keys)) is None:
        ctes = [step.statement.cte(f"step_{n}") for n, step in enumerate(steps)]
        statement = main.statement.add_cte(*ctes)
        if len(_FOLDED) < MOST_FOLDED:
            _FOLDED[keys] = statement
    values = {name: value for one in rows for name, value in one.items()}
    return Step(statement, values)


def last_folded(writes: Sequence[object]) -> Step | None:
    """All of `writes` as one statement (the last step as the main one), or None."""
    flat = _flat(writes)
    if not flat or not isinstance(flat[-1], Step):
        return None
    return folded(flat[-1], flat[:-1])


def fewest(writes: Sequence[W]) -> list[W | Step]:
    """`writes` in order, each run of them that folds as one statement (`last_folded`) in its
    place: the sends of several replies (each an outbox row deleted and its message ids
    recorded) take one statement each, not two or three. What does not fold stays as it is."""
    runs: list[list[W]] = []
    for write in writes:
        if runs and last_folded([*runs[-1], write]) is not None:
            runs[-1].append(write)
        else:
            runs.append([write])
    return [last_folded(run) or run[0] for run in runs]


def _flat(writes: Sequence[object]) -> list[object]:
    return [
        part for write in writes for part in (write.steps if isinstance(write, Steps) else [write])
    ]
