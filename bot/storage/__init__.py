"""Persistence through SQLAlchemy: the log, tickets, drafts, announcements, inbox and outbox.

Engines and migrations (`database`), the lane that runs the hottest one-statement work on
PostgreSQL straight on asyncpg from the same Core statements (`lane`), the `Store` and its
parts, the report queries, and the schema (`schema` gathers `tables`, `tables_ops`,
`tables_queue`). May import only
`bot.core.errors` and the vocabulary modules (`bot.core.vocabulary`, `bot.*.vocabulary`),
whose roles it implements; never a feature's logic, a channel or the runtime.
"""

from bot.core.errors import StorageError
from bot.storage.database import create_engine, normalise_url, open_database, upgrade
from bot.storage.store import Store

__all__ = ["StorageError", "Store", "create_engine", "normalise_url", "open_database", "upgrade"]
