"""The one place the driver's errors are translated into `StorageError` (bot.core.errors)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from alembic.util import CommandError
from sqlalchemy.exc import SQLAlchemyError

from bot.core.errors import StorageError

# StorageError is named here too: storage modules raise it beside `translate_errors`.
__all__ = ["DriverError", "StorageError", "translate_errors"]


class DriverError(Exception):
    """The driver's error as logged: its type, message and traceback, without the row values
    PostgreSQL adds in DETAIL ("Failing row contains (…)", "Key (chat_id)=(…)")."""


@contextmanager
def translate_errors(action: str) -> Iterator[None]:
    """Re-raise driver, connection and migration failures inside the block as `StorageError`."""
    try:
        yield
    # asyncpg lets socket errors (refused, timed out) through unwrapped, hence OSError.
    except (SQLAlchemyError, OSError, CommandError) as exc:
        # The message stays short; the error is kept as __cause__ for whoever logs it, its
        # bound parameters hidden by the engine (hide_parameters) and its DETAIL dropped.
        raise StorageError(f"{action} failed: {type(exc).__name__}") from _scrubbed(exc)


def _scrubbed(exc: BaseException) -> DriverError:
    # Chaining the scrubbed copy (with the original traceback) instead of `exc` also leaves
    # the driver's own exception chain, which repeats the DETAIL, out of every logged trace.
    lines = [line for line in str(exc).splitlines() if not line.lstrip().startswith("DETAIL:")]
    message = f"{type(exc).__module__}.{type(exc).__name__}: " + "\n".join(lines)
    return DriverError(message).with_traceback(exc.__traceback__)
