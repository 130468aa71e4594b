"""Errors raised by the storage layer, and the one place foreign errors are translated."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from alembic.util import CommandError
from sqlalchemy.exc import SQLAlchemyError

from bot.errors import BotError


class StorageError(BotError):
    """The database could not do what was asked; the driver's error is chained as the cause."""


@contextmanager
def translate_errors(action: str) -> Iterator[None]:
    """Re-raise driver, connection and migration failures inside the block as `StorageError`."""
    try:
        yield
    # asyncpg lets socket errors (refused, timed out) through unwrapped, hence OSError.
    except (SQLAlchemyError, OSError, CommandError) as exc:
        # The message stays short: SQLAlchemy's text would repeat statement parameters, and
        # the full error is kept as __cause__ for whoever logs it.
        raise StorageError(f"{action} failed: {type(exc).__name__}") from exc
