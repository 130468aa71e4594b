"""The durable inbox and outbox (see `tables_queue`).

Work is claimed with a lease, one row per chat at a time (the chat's oldest pending row), so
several workers share the queues and one chat's messages are still handled and sent in order.
A worker killed mid-work leaves its lease to run out; another worker, or itself after a
restart, then takes the row again.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import and_, delete, exists, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.orm import aliased

from bot.core.vocabulary import Reply
from bot.delivery.vocabulary import (
    InboxUpdate,
    Outgoing,
    Pending,
    reply_from_json,
    reply_to_json,
)
from bot.storage.base import StoreBase
from bot.storage.errors import translate_errors
from bot.storage.group_commit import group_commit
from bot.storage.tables_queue import InboxRow, OutboxRow

EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
# Telegram and Meta redeliver for days; a key older than this cannot come back.
KEYS_KEPT = dt.timedelta(days=14)
# Failed replies stay for the admins this long.
FAILED_KEPT = dt.timedelta(days=30)


Table = type[InboxRow] | type[OutboxRow]


class QueueStore(StoreBase):
    """Inbox and outbox over the shared engine; the `Queue` of `bot.delivery.vocabulary`."""

    async def accept(
        self, updates: Sequence[InboxUpdate], *, hold: float = 0.0
    ) -> tuple[list[str], list[InboxUpdate]]:
        """Store updates not seen before (one transaction): the keys of the new ones, and with
        `hold` those of them that head their chat, leased to the caller to handle at once."""
        if not updates:
            return [], []
        now, added = self._now(), list[InboxUpdate]()
        until = now + dt.timedelta(seconds=hold) if hold else EPOCH
        with translate_errors("storing updates"):
            async with self._engine.begin() as connection:
                for item in updates:
                    statement = (
                        self._insert(InboxRow)
                        .values(_inbox_values(item, now, until))
                        .on_conflict_do_nothing(index_elements=["key"])
                        .returning(InboxRow.id)
                    )
                    if (row_id := (await connection.execute(statement)).scalar()) is not None:
                        added.append(dataclasses.replace(item, id=row_id))
                ids = [item.id for item in added]
                held = await self._hold_heads(connection, InboxRow, ids) if hold else set()
        return [item.key for item in added], [item for item in added if item.id in held]

    async def claim_updates(
        self, limit: int, lease: float, *, keys: Sequence[str] | None = None
    ) -> list[InboxUpdate]:
        """Lease the oldest pending update of up to `limit` chats (among `keys`, if given)."""
        only = None if keys is None else InboxRow.key.in_(keys)
        with translate_errors("claiming updates"):
            async with self._engine.begin() as connection:
                ids = await self._claim(connection, InboxRow, limit, lease, only=only)
                rows = await connection.execute(
                    select(InboxRow).where(InboxRow.id.in_(ids)).order_by(InboxRow.id)
                )
                return [
                    InboxUpdate(r.key, r.channel, r.chat_id, r.payload or {}, r.id) for r in rows
                ]

    async def complete(
        self, done: Sequence[tuple[int, Sequence[Outgoing]]], *, hold: float = 0.0
    ) -> list[Pending]:
        """Mark updates handled and queue their replies, in one transaction. With `hold`, the
        replies that head their chat come back leased to the caller, to send at once."""
        if not done:
            return []
        ids = [update_id for update_id, _ in done]
        items = [item for _, outgoing in done for item in outgoing]
        with translate_errors("completing updates"):
            async with self._engine.begin() as connection:
                await connection.execute(
                    update(InboxRow)
                    .where(InboxRow.id.in_(ids))
                    .values(status="done", payload=None, chat_id="")
                )
                reply_ids = await self._queue(connection, items, hold=hold)
                held = await self._hold_heads(connection, OutboxRow, reply_ids) if hold else []
        return [Pending(i, o, 0, 0) for i, o in zip(reply_ids, items, strict=True) if i in held]

    async def claim_replies(self, channel: str, limit: int, lease: float) -> list[Pending]:
        """Lease the oldest due reply of up to `limit` chats on `channel`."""
        with translate_errors("claiming replies"):
            async with self._engine.begin() as connection:
                ids = await self._claim(connection, OutboxRow, limit, lease, channel=channel)
                rows = await connection.execute(
                    select(OutboxRow).where(OutboxRow.id.in_(ids)).order_by(OutboxRow.id)
                )
                return [_pending(row) for row in rows]

    async def sending(self, channel: str) -> list[Outgoing]:
        """`channel`'s pending replies under a lease now: being sent (or about to be)."""
        statement = select(OutboxRow).where(
            OutboxRow.channel == channel,
            OutboxRow.status == "pending",
            OutboxRow.lease_until > self._now(),
        )
        with translate_errors("reading the replies being sent"):
            async with self._engine.begin() as connection:
                return [_pending(row).outgoing for row in await connection.execute(statement)]

    async def progress(self, reply_id: int, parts_sent: int, *, finished: bool) -> None:
        """Record sent parts; a finished reply is deleted."""
        if finished:
            statement: Any = delete(OutboxRow).where(OutboxRow.id == reply_id)
        else:
            statement = (
                update(OutboxRow).where(OutboxRow.id == reply_id).values(parts_sent=parts_sent)
            )

        async def write(connection: AsyncConnection) -> None:
            await connection.execute(statement)

        # Shared with other sends' (and WhatsApp's bookkeeping): one commit for many.
        with translate_errors("recording a sent reply"):
            await group_commit(self._engine).run(write)

    async def retry_later(self, reply_id: int, attempts: int, delay: float, error: str) -> None:
        """Put a reply back, due again after `delay` seconds."""
        due = self._now() + dt.timedelta(seconds=delay)
        values = {"attempts": attempts, "next_attempt_at": due, "lease_until": EPOCH}
        await self._set(reply_id, {**values, "error": error[:200]})

    async def fail(self, reply_id: int, attempts: int, error: str, *, kept: Reply) -> None:
        """Give a reply up: it stays, as failed, for the admins to see, as `kept` (the caller
        redacts it: nobody will receive it as written any more)."""
        values = {"status": "failed", "attempts": attempts, "error": error[:200]}
        await self._set(reply_id, {**values, "reply": reply_to_json(kept)})

    async def forget_old(self) -> int:
        """Delete handled keys past the channels' redelivery time and old failed replies (they
        name a chat); for the background round."""
        now = self._now()
        statements = [
            delete(InboxRow).where(
                InboxRow.status == "done", InboxRow.received_at < now - KEYS_KEPT
            ),
            delete(OutboxRow).where(
                OutboxRow.status == "failed", OutboxRow.created_at < now - FAILED_KEPT
            ),
        ]
        with translate_errors("forgetting old queue rows"):
            async with self._engine.begin() as connection:
                results = [await connection.execute(statement) for statement in statements]
        return sum(result.rowcount or 0 for result in results)

    async def _set(self, reply_id: int, values: dict[str, Any]) -> None:
        with translate_errors("updating a reply"):
            async with self._engine.begin() as connection:
                await connection.execute(
                    update(OutboxRow).where(OutboxRow.id == reply_id).values(**values)
                )

    async def _queue(
        self, connection: AsyncConnection, items: Sequence[Outgoing], *, hold: float = 0.0
    ) -> list[int]:
        if not items:
            return []
        now = self._now()
        until = now + dt.timedelta(seconds=hold) if hold else EPOCH
        rows = [
            {
                "channel": item.channel,
                "chat_id": item.chat_id,
                "reply": reply_to_json(item.reply),
                "user_hash": item.user_hash,
                "parts_sent": 0,
                "status": "pending",
                "attempts": 0,
                "created_at": now,
                "next_attempt_at": now,
                "lease_until": until,
            }
            for item in items
        ]
        statement = insert(OutboxRow).returning(OutboxRow.id, sort_by_parameter_order=True)
        return list((await connection.execute(statement, rows)).scalars())

    async def _hold_heads(
        self, connection: AsyncConnection, table: Table, ids: Sequence[int]
    ) -> set[int]:
        """Of rows just written leased to the caller, keep those that head their chat; the
        others wait behind an older row of their chat, free for any worker to take later."""
        if not ids:
            return set()
        heads = select(table.id).where(table.id.in_(ids), *_heads(table, self._now()))
        held = set((await connection.execute(heads)).scalars())
        if others := [i for i in ids if i not in held]:
            await connection.execute(
                update(table).where(table.id.in_(others)).values(lease_until=EPOCH)
            )
        return held

    async def _claim(
        self,
        connection: AsyncConnection,
        table: Table,
        limit: int,
        lease: float,
        *,
        channel: str | None = None,
        only: Any = None,
    ) -> list[int]:
        now = self._now()
        free = [table.lease_until <= now]
        due = [*_heads(table, now), *free]
        due += [] if channel is None else [table.channel == channel]
        due += [] if only is None else [only]
        candidates = select(table.id).where(and_(*due)).order_by(table.id).limit(limit)
        ids = list((await connection.execute(candidates)).scalars())
        if not ids:
            return []
        # Conditional: of two workers racing for a row, only one sees it come back.
        claimed = await connection.execute(
            update(table)
            .where(table.id.in_(ids), *free)
            .values(lease_until=now + dt.timedelta(seconds=lease))
            .returning(table.id)
        )
        return list(claimed.scalars())


def _inbox_values(item: InboxUpdate, now: dt.datetime, until: dt.datetime) -> dict[str, Any]:
    return {
        "key": item.key,
        "channel": item.channel,
        "chat_id": item.chat_id,
        "payload": item.payload,
        "status": "pending",
        "received_at": now,
        "lease_until": until,
    }


# Built once: an alias costs a proxy per column, on every claim otherwise.
_EARLIER: dict[Table, Any] = {InboxRow: aliased(InboxRow), OutboxRow: aliased(OutboxRow)}


def _heads(table: Table, now: dt.datetime) -> list[Any]:
    """Pending rows with no older pending row of their chat (and, in the outbox, due now)."""
    earlier = _EARLIER[table]
    head = ~exists().where(
        earlier.status == "pending",
        earlier.channel == table.channel,
        earlier.chat_id == table.chat_id,
        earlier.id < table.id,
    )
    due = [OutboxRow.next_attempt_at <= now] if table is OutboxRow else []
    return [table.status == "pending", head, *due]


def _pending(row: Any) -> Pending:
    outgoing = Outgoing(row.channel, row.chat_id, reply_from_json(row.reply), row.user_hash)
    return Pending(row.id, outgoing, row.parts_sent, row.attempts)
