"""The complete schema: importing every table module puts all models on `Base.metadata`,
which Alembic compares the migrations with and foreign keys between modules resolve in."""

from __future__ import annotations

from bot.storage import (
    tables,
    tables_console,
    tables_content,
    tables_ops,
    tables_publishing,
    tables_queue,
)
from bot.storage.columns import Base, UTCDateTime

MODULES = (tables, tables_ops, tables_queue, tables_console, tables_publishing, tables_content)
metadata = Base.metadata

__all__ = ["MODULES", "Base", "UTCDateTime", "metadata"]
