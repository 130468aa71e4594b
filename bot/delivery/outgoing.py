"""A reply on its way to a chat, and how it is written to the outbox (JSON) and read back.

`collecting()` lets the inbox worker gather the replies a turn produces, so they are stored in
the same transaction that marks the update handled instead of being sent on the spot.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from bot.core.vocabulary import Button, Reply


@dataclass(frozen=True, slots=True)
class Outgoing:
    """One reply for one chat on one channel."""

    channel: str
    chat_id: str
    reply: Reply
    user_hash: str | None = None


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


def reply_to_json(reply: Reply) -> dict[str, Any]:
    """The outbox's JSON form of a reply."""
    buttons = [[button.label, button.data] for button in reply.buttons]
    return {"text": reply.text, "buttons": buttons, "keyboard": reply.keyboard}


def reply_from_json(data: dict[str, Any]) -> Reply:
    """Read a reply back from the outbox."""
    buttons = tuple(Button(str(label), str(value)) for label, value in data.get("buttons", ()))
    return Reply(str(data["text"]), buttons, bool(data.get("keyboard", False)))
