"""Persistence for the question log and the tickets: engines, migrations and the `Store`."""

from bot.storage.database import create_engine, normalise_url, open_database, upgrade
from bot.storage.errors import StorageError
from bot.storage.store import Store

__all__ = ["StorageError", "Store", "create_engine", "normalise_url", "open_database", "upgrade"]
