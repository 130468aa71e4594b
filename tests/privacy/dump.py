"""Every value in every table, as text: what "0 in the clear in any table" is checked on."""

from __future__ import annotations

import json

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.storage.tables import Base


async def table_texts(engine: AsyncEngine) -> list[tuple[str, str, str]]:
    """(table, column, value as text) for every non-empty value of every model table."""
    found: list[tuple[str, str, str]] = []
    async with engine.connect() as connection:
        for table in Base.metadata.sorted_tables:
            for row in (await connection.execute(select(table))).mappings():
                for column, value in row.items():
                    if value is not None and value != "":
                        text = value if isinstance(value, str) else json.dumps(value, default=str)
                        found.append((table.name, column, text))
    return found


def containing(texts: list[tuple[str, str, str]], needle: str) -> list[tuple[str, str, str]]:
    return [entry for entry in texts if needle in entry[2]]
