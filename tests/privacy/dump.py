"""Every text in every table: what "0 in the clear in any table" is checked on.

Timestamps, numbers and the numbers inside JSON (scores) are left out: they are no text
anyone typed, and a score like 0.8812 would otherwise "contain" a four-digit code.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.runtime.schema import full_metadata


async def table_texts(engine: AsyncEngine) -> list[tuple[str, str, str]]:
    """(table, column, text) for every non-empty text of every model table."""
    found: list[tuple[str, str, str]] = []
    async with engine.connect() as connection:
        for table in full_metadata().sorted_tables:
            for row in (await connection.execute(select(table))).mappings():
                for column, value in row.items():
                    found.extend((table.name, column, text) for text in _strings(value) if text)
    return found


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)


def containing(texts: list[tuple[str, str, str]], needle: str) -> list[tuple[str, str, str]]:
    return [entry for entry in texts if needle in entry[2]]
