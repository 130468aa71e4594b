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

from sqlalchemy import ColumnElement, bindparam, case, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.delivery.vocabulary import deferred
from bot.storage.base import Clock, StoreBase
from bot.storage.columns import UTCDateTime
from bot.storage.errors import translate_errors
from bot.storage.group_commit import group_commit
from bot.storage.steps import Step, Steps
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
        values = {"w_channel": CHANNEL, "w_chat_hash": self._chat_hash(chat_id), "w_at": at}
        if (writes := deferred()) is not None:  # with the inbox row's "handled"
            writes.append(Step(_TOUCH[self._engine.dialect.name], values))
            return
        await self._write("updating a contact window", _TOUCH, values)

    async def last_inbound(self, chat_id: str) -> dt.datetime | None:
        """When the chat last wrote to us, if ever."""
        with translate_errors("reading a contact window"):
            async with self._sessions() as session:
                row = await session.get(ContactWindowRow, (CHANNEL, self._chat_hash(chat_id)))
                return row.last_inbound_at if row is not None else None

    async def _upsert(self, rows: list[dict[str, Any]]) -> None:
        now, upserts = self._now(), _UPSERTS[self._engine.dialect.name]
        values = [{**r, "updated_at": now} for r in rows]
        if len(values) > len(upserts):  # many rows: one statement, its rows as executemany
            await self._write("recording a delivery status", _UPSERT, values)
            return
        # A reply's few messages: a statement built once each (parameters named apart, so
        # they fold with the outbox row's deletion into one statement: `bot.storage.steps`).
        steps = [
            Step(upserts[n], {f"s{n}_{name}": value for name, value in row.items()})
            for n, row in enumerate(values)
        ]
        with translate_errors("recording a delivery status"):
            await group_commit(self._engine).run(
                Steps(tuple(steps)), one_statement=len(steps) == 1
            )

    async def _write(self, doing: str, statements: dict[str, Upsert], values: Any) -> None:
        """One of the statements built once, for this engine's dialect, in a group commit
        (with the outbox's and other chats' bookkeeping)."""
        statement = statements[self._engine.dialect.name]
        with translate_errors(doing):
            # Several rows may be several statements (executemany): those keep a transaction.
            single = isinstance(values, dict)
            await group_commit(self._engine).run(Step(statement, values), one_statement=single)


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
    """The window's upsert; a late-delivered older message never shortens it. Parameters
    named apart (`w_*`), so it folds with other steps (`bot.storage.steps`)."""
    statement = insert(ContactWindowRow).values(
        channel=bindparam("w_channel"),
        chat_hash=bindparam("w_chat_hash"),
        last_inbound_at=bindparam("w_at", type_=UTCDateTime()),
    )
    current, newer = ContactWindowRow.last_inbound_at, statement.excluded.last_inbound_at
    return statement.on_conflict_do_update(
        index_elements=["channel", "chat_hash"],
        set_={"last_inbound_at": case((newer > current, newer), else_=current)},
    )


def _status_upsert(insert: Callable[..., Upsert], prefix: str | None = None) -> Upsert:
    """The status upsert that only ever moves a message forward; with `prefix`, for one row
    whose parameters are named `<prefix><column>`."""
    statement = insert(DeliveryStatusRow)
    if prefix is not None:
        columns = DeliveryStatusRow.__table__.c
        statement = statement.values(
            {name: bindparam(prefix + name, type_=columns[name].type) for name in _STATUS_FIELDS}
        )
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
_STATUS_FIELDS = (
    "channel", "message_id", "user_hash", "ticket_id", "status", "error", "updated_at"
)  # fmt: skip
_UPSERT = {name: _status_upsert(insert) for name, insert in _DIALECTS.items()}
# One row each, up to a long reply's messages.
_UPSERTS = {
    name: [_status_upsert(insert, f"s{n}_") for n in range(4)]
    for name, insert in _DIALECTS.items()
}
