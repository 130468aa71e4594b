"""The records of the durable inbox and outbox, and the role (`Queue`) storage plays for them.

Delivery owns these so that it reaches the database only through `Queue`, which
`bot.storage.queue.QueueStore` implements and the composition root hands in. Every `Queue`
method raises `bot.core.errors.StorageError` when the database fails; the pipeline catches
that and falls back.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, Protocol

from bot.core.vocabulary import Button, Reply


@dataclass(frozen=True, slots=True)
class Outgoing:
    """One reply for one chat on one channel."""

    channel: str
    chat_id: str
    reply: Reply
    user_hash: str | None = None


@dataclass(frozen=True, slots=True)
class InboxUpdate:
    """A stored incoming update."""

    key: str
    channel: str
    chat_id: str
    payload: dict[str, Any]
    id: int = 0
    # The channel's parsed form of `payload`, in this process only (never stored): what
    # received it hands it on, so that handling it at once need not parse it again.
    parsed: object = field(default=None, compare=False, repr=False)
    # Who sent it (the channel's user id), in this process only: with it, storing the update
    # can also read what handling it will read first (`reads`, see `reading_ahead`).
    sender: str | None = field(default=None, compare=False, repr=False)
    reads: object = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Pending:
    """A claimed outbox row."""

    id: int
    outgoing: Outgoing
    parts_sent: int
    attempts: int


class Queue(Protocol):
    """The inbox and outbox as the pipeline uses them."""

    async def accept(
        self, updates: Sequence[InboxUpdate], *, hold: float = 0.0
    ) -> tuple[list[str], list[InboxUpdate]]: ...

    async def claim_updates(
        self, limit: int, lease: float, *, keys: Sequence[str] | None = None
    ) -> list[InboxUpdate]: ...

    async def complete(
        self,
        done: Sequence[tuple[int, Sequence[Outgoing]]],
        *,
        hold: float = 0.0,
        writes: Sequence[object] = (),
    ) -> list[Pending]:
        """Mark updates handled, queue their replies and make `writes` (see `deferring`),
        all in one transaction."""
        ...

    async def claim_replies(self, channel: str, limit: int, lease: float) -> list[Pending]: ...

    async def sending(self, channel: str) -> list[Outgoing]:
        """`channel`'s replies leased to a sender now (being sent, not yet finished)."""
        ...

    async def progress(self, reply_id: int, parts_sent: int, *, finished: bool) -> None: ...

    async def retry_later(
        self, reply_id: int, attempts: int, delay: float, error: str
    ) -> None: ...

    async def fail(self, reply_id: int, attempts: int, error: str, *, kept: Reply) -> None: ...

    async def forget_old(self) -> int: ...


# The bookkeeping of the update being handled (its logged question, a contact window), left
# for `Queue.complete` to write in the transaction that marks the update handled: one
# transaction instead of one each, and the update's bookkeeping is stored together with its
# "done" or not at all (a retried update is not logged twice). A context variable, because
# the writes are asked for deep in the core, which knows nothing of the inbox. What a write
# is belongs to storage, which makes and runs them; here they are opaque.
_DEFERRED: ContextVar[list[object] | None] = ContextVar("deferred_writes", default=None)


def deferred() -> list[object] | None:
    """Where to leave a write for the completion of the update being handled; None when
    none is being handled by the inbox (write at once)."""
    return _DEFERRED.get()


@contextmanager
def deferring() -> Iterator[list[object]]:
    """Collect the writes left while handling one update (in this task and its children)."""
    writes: list[object] = []
    token = _DEFERRED.set(writes)
    try:
        yield writes
    finally:
        _DEFERRED.reset(token)


# What was read for the update being handled while it was stored (`InboxUpdate.reads`): one
# round trip for both. Asked for deep in the core like `deferring`'s writes; opaque here, as
# storage both makes it and takes it back.
_AHEAD: ContextVar[object] = ContextVar("read_ahead", default=None)


def read_ahead() -> object:
    """What was read along with storing the update being handled (None: nothing)."""
    return _AHEAD.get()


@contextmanager
def reading_ahead(found: object) -> Iterator[None]:
    """Offer `found` (an update's `reads`) to the handling of that update."""
    token = _AHEAD.set(found)
    try:
        yield
    finally:
        _AHEAD.reset(token)


def reply_to_json(reply: Reply) -> dict[str, Any]:
    """The outbox's JSON form of a reply."""
    buttons = [[button.label, button.data] for button in reply.buttons]
    return {"text": reply.text, "buttons": buttons, "keyboard": reply.keyboard}


def reply_from_json(data: dict[str, Any]) -> Reply:
    """Read a reply back from the outbox."""
    buttons = tuple(Button(str(label), str(value)) for label, value in data.get("buttons", ()))
    return Reply(str(data["text"]), buttons, bool(data.get("keyboard", False)))
