"""Replies gathered while a turn is handled, to be stored instead of sent.

`collecting()` lets the inbox worker gather the replies (`Outgoing`) a turn produces, so they
are stored in the same transaction that marks the update handled instead of being sent on the
spot.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterator
from contextvars import ContextVar
from typing import Any

from bot.delivery.vocabulary import Outgoing

_Bucket = tuple[asyncio.Task[Any] | None, list[Outgoing]]
_collected: ContextVar[_Bucket | None] = ContextVar("collected", default=None)


@contextlib.contextmanager
def collecting() -> Iterator[list[Outgoing]]:
    """Gather what `collect` is given inside the block, by this task only."""
    bucket: list[Outgoing] = []
    token = _collected.set((asyncio.current_task(), bucket))
    try:
        yield bucket
    finally:
        _collected.reset(token)


def collect(items: list[Outgoing]) -> bool:
    """Hand replies to the surrounding `collecting()`; False when there is none (send now).

    A task started inside the block inherits the context but outlives the update (the
    announcement sender): it sends itself rather than fill a bucket nobody reads."""
    found = _collected.get()
    if found is None or found[0] is not asyncio.current_task():
        return False
    found[1].extend(items)
    return True
