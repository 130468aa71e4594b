"""WhatsApp's bookkeeping: what Meta reported about each message we sent (`delivery_status`)
and when each chat last wrote to us (`contact_windows`, for the 24-hour rule).

Meta's status callbacks arrive late, repeated and out of order ("read" before "delivered",
even before our own record of the send), so every write is an upsert that only ever moves a
message forward: accepted < sent < delivered < read < failed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, case, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot.delivery.vocabulary import deferred
from bot.storage.base import Clock, StoreBase
from bot.storage.errors import translate_errors
from bot.storage.group_commit import Write, group_commit
from bot.storage.tables_ops import ContactWindowRow, DeliveryStatusRow

CHANNEL = "whatsapp"
RANK = {"accepted": 0, "sent": 1, "delivered": 2, "read": 3, "failed": 4}
ERROR_CHARS = 500
UNSENT = "unsent:"
Upsert = postgresql.Insert | sqlite.Insert


@dataclass(frozen=True, slots=True)
class Delivery:
    """One sent (or unsendable) message and the last thing known about it; `message_id` is
    as stored (`message_key`)."""

    message_id: str
    status: str
    updated_at: dt.datetime
    user_hash: str | None = None
    ticket_id: int | None = None
    error: str | None = None


class WhatsAppStore(StoreBase):
    """Delivery statuses and contact windows on the shared engine.

    `chat_hash` turns a chat id (a phone number) into the salted hash the windows are kept
    under (`Conversation.chat_hash`).
    """

    def __init__(
        self, engine: AsyncEngine, *, chat_hash: Callable[[str], str], clock: Clock | None = None
    ) -> None:
        super().__init__(engine, clock=clock)
        self._chat_hash = chat_hash

    async def record_sent(
        self,
        message_ids: Sequence[str],
        *,
        user_hash: str | None,
        ticket_id: int | None = None,
    ) -> None:
        """Remember messages the Graph API accepted (a status may already be there)."""
        if message_ids:
            rows = [_row(m, "accepted", user_hash, ticket_id, None) for m in message_ids]
            await self._upsert(rows)

    async def record_status(
        self, message_id: str, status: str, *, error: str | None = None
    ) -> None:
        """Apply a status callback; an older status never overwrites a newer one."""
        if status not in RANK:
            raise ValueError(f"unknown delivery status {status!r}")
        await self._upsert([_row(message_id, status, None, None, error)])

    async def record_failure(
        self, error: str, *, user_hash: str | None, ticket_id: int | None = None
    ) -> str:
        """Record a message that never got a WhatsApp id (refused, or outside the window)."""
        message_id = f"{UNSENT}{uuid.uuid4().hex}"
        await self._upsert([_row(message_id, "failed", user_hash, ticket_id, error)])
        return message_id

    async def delivery(self, message_id: str) -> Delivery | None:
        """What is known about one message."""
        with translate_errors("reading a delivery status"):
            async with self._sessions() as session:
                row = await session.get(DeliveryStatusRow, (CHANNEL, message_key(message_id)))
                return _delivery(row) if row is not None else None

    async def failed_since(self, since: dt.datetime, *, limit: int = 20) -> list[Delivery]:
        """Failed deliveries updated at or after `since`, newest first."""
        statement = (
            select(DeliveryStatusRow)
            .where(*_failed_since(since))
            .order_by(DeliveryStatusRow.updated_at.desc(), DeliveryStatusRow.message_id)
            .limit(max(limit, 0))
        )
        with translate_errors("listing failed deliveries"):
            async with self._sessions() as session:
                return [_delivery(row) for row in await session.scalars(statement)]

    async def count_failed_since(self, since: dt.datetime) -> int:
        """How many deliveries failed at or after `since`."""
        statement = (
            select(func.count()).select_from(DeliveryStatusRow).where(*_failed_since(since))
        )
        with translate_errors("counting failed deliveries"):
            async with self._sessions() as session:
                return await session.scalar(statement) or 0

    async def touch_window(self, chat_id: str, at: dt.datetime) -> None:
        """The chat wrote to us at `at`; a late-delivered older message never shortens it."""
        values = {"channel": CHANNEL, "chat_hash": self._chat_hash(chat_id), "last_inbound_at": at}
        statement = _TOUCH[self._engine.dialect.name]
        if (writes := deferred()) is not None:  # with the inbox row's "handled"
            writes.append(_writing(statement, values))
            return
        await self._write("updating a contact window", _TOUCH, values)

    async def last_inbound(self, chat_id: str) -> dt.datetime | None:
        """When the chat last wrote to us, if ever."""
        with translate_errors("reading a contact window"):
            async with self._sessions() as session:
                row = await session.get(ContactWindowRow, (CHANNEL, self._chat_hash(chat_id)))
                return row.last_inbound_at if row is not None else None

    async def _upsert(self, rows: list[dict[str, Any]]) -> None:
        now = self._now()
        values = [{**r, "updated_at": now} for r in rows]
        # Parameters apart from the statement (executemany for several rows): the statement
        # stays one cached compilation, where `.values([...])` compiled anew on every call.
        await self._write(
            "recording a delivery status", _UPSERT, values[0] if len(values) == 1 else values
        )

    async def _write(self, doing: str, statements: dict[str, Upsert], values: Any) -> None:
        """One of the statements built once, for this engine's dialect, in a group commit
        (with the outbox's and other chats' bookkeeping)."""
        statement = statements[self._engine.dialect.name]
        with translate_errors(doing):
            # Several rows may be several statements (executemany): those keep a transaction.
            single = isinstance(values, dict)
            await group_commit(self._engine).run(_writing(statement, values), one_statement=single)


def _writing(statement: Upsert, values: Any) -> Write:
    async def write(connection: AsyncConnection) -> None:
        await connection.execute(statement, values)

    return write


def _row(
    message_id: str,
    status: str,
    user_hash: str | None,
    ticket_id: int | None,
    error: str | None,
) -> dict[str, Any]:
    return {
        "channel": CHANNEL,
        "message_id": message_key(message_id),
        "user_hash": user_hash,
        "ticket_id": ticket_id,
        "status": status,
        "error": error[:ERROR_CHARS] if error else None,
    }


def message_key(message_id: str) -> str:
    """What is stored for a message id: Meta's ids (wamid.…) encode the recipient's phone
    number, so only their hash is kept; matching a status callback needs nothing more."""
    if message_id.startswith(UNSENT):
        return message_id
    return hashlib.sha256(message_id.encode()).hexdigest()


def _rank(status: Any) -> ColumnElement[int]:
    # Any: a mapped column and an `excluded.` column are different SQLAlchemy types.
    return case(RANK, value=status, else_=-1)


def _failed_since(since: dt.datetime) -> tuple[ColumnElement[bool], ...]:
    return (
        DeliveryStatusRow.channel == CHANNEL,
        DeliveryStatusRow.status == "failed",
        DeliveryStatusRow.updated_at >= since,
    )


def _delivery(row: DeliveryStatusRow) -> Delivery:
    return Delivery(
        message_id=row.message_id,
        status=row.status,
        updated_at=row.updated_at,
        user_hash=row.user_hash,
        ticket_id=row.ticket_id,
        error=row.error,
    )


def _touch(insert: Callable[..., Upsert]) -> Upsert:
    """The window's upsert; a late-delivered older message never shortens it."""
    statement = insert(ContactWindowRow)
    current, newer = ContactWindowRow.last_inbound_at, statement.excluded.last_inbound_at
    return statement.on_conflict_do_update(
        index_elements=["channel", "chat_hash"],
        set_={"last_inbound_at": case((newer > current, newer), else_=current)},
    )


def _status_upsert(insert: Callable[..., Upsert]) -> Upsert:
    """The status upsert that only ever moves a message forward."""
    statement = insert(DeliveryStatusRow)
    new, old = statement.excluded, DeliveryStatusRow
    ahead = _rank(new.status) > _rank(old.status)
    return statement.on_conflict_do_update(
        index_elements=["channel", "message_id"],
        set_={
            "status": case((ahead, new.status), else_=old.status),
            "error": case((ahead, new.error), else_=old.error),
            "updated_at": case((ahead, new.updated_at), else_=old.updated_at),
            # A callback that came first left these empty; the send fills them in.
            "user_hash": func.coalesce(old.user_hash, new.user_hash),
            "ticket_id": func.coalesce(old.ticket_id, new.ticket_id),
        },
    )


# Built once per dialect (ON CONFLICT lives on the dialects' own insert constructs).
_DIALECTS: dict[str, Callable[..., Upsert]] = {
    "postgresql": postgresql.insert,
    "sqlite": sqlite.insert,
}
_TOUCH = {name: _touch(insert) for name, insert in _DIALECTS.items()}
_UPSERT = {name: _status_upsert(insert) for name, insert in _DIALECTS.items()}
