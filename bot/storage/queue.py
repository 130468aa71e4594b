"""The durable inbox and outbox (see `tables_queue`).

Work is claimed with a lease, one row per chat at a time (the chat's oldest pending row), so
several workers share the queues and one chat's messages are still handled and sent in order.
A worker killed mid-work leaves its lease to run out; another worker, or itself after a
restart, then takes the row again.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from collections.abc import Sequence
from typing import Any, cast

from sqlalchemy import delete
from sqlalchemy.exc import DataError, IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.core.vocabulary import ChatQuery, Reply
from bot.delivery.vocabulary import (
    InboxUpdate,
    Outgoing,
    Pending,
    reply_from_json,
    reply_to_json,
)
from bot.storage import queue_sql as sql
from bot.storage.base import StoreBase
from bot.storage.chat_reads import ACCEPT_READING, ReadAhead, snapshot_of, snapshot_values
from bot.storage.errors import translate_errors
from bot.storage.group_commit import Write, group_commit
from bot.storage.steps import Step, folded
from bot.storage.tables_queue import InboxRow, OutboxRow

logger = logging.getLogger(__name__)

EPOCH = sql.EPOCH
# Telegram and Meta redeliver for days; a key older than this cannot come back.
KEYS_KEPT = dt.timedelta(days=14)
# Failed replies stay for the admins this long.
FAILED_KEPT = dt.timedelta(days=30)


class QueueStore(StoreBase):
    """Inbox and outbox over the shared engine; the `Queue` of `bot.delivery.vocabulary`."""

    async def accept(
        self, updates: Sequence[InboxUpdate], *, hold: float = 0.0
    ) -> tuple[list[str], list[InboxUpdate]]:
        """Store updates not seen before (one transaction): the keys of the new ones, and with
        `hold` those of them that head their chat, leased to the caller to handle at once."""
        if not updates:
            return [], []
        now = self._now()
        until = now + dt.timedelta(seconds=hold) if hold else EPOCH
        added, held = list[InboxUpdate](), list[InboxUpdate]()
        with translate_errors("storing updates"):
            stored = await self._store(updates, now, until)
        for item, statement, rows in stored:
            if not rows:
                continue  # seen before
            added.append(dataclasses.replace(item, id=rows[0].id))
            if hold and rows[0].lease_until > EPOCH:
                reading = statement is ACCEPT_READING
                held.append(_with_reads(added[-1], rows[0]) if reading else added[-1])
        return [item.key for item in added], held

    async def _store(
        self, updates: Sequence[InboxUpdate], now: dt.datetime, until: dt.datetime
    ) -> list[tuple[InboxUpdate, Any, Sequence[Any]]]:
        """Each update with its accepting statement and what that returned."""
        if len(updates) == 1:  # the usual webhook call: one statement, no BEGIN/COMMIT
            statement, values = self._accepting(updates[0], now, until, ahead=True)
            return [(updates[0], statement, await self._single(statement, values))]
        stored = []
        async with self._engine.begin() as connection:
            for item in updates:
                statement, values = self._accepting(item, now, until, ahead=False)
                result = await connection.execute(statement, values)
                stored.append((item, statement, result.all()))
        return stored

    def _accepting(
        self, item: InboxUpdate, now: dt.datetime, until: dt.datetime, *, ahead: bool
    ) -> tuple[Any, dict[str, Any]]:
        """The accepting statement; on PostgreSQL, for one update handled at once, with what
        its handling reads first (`InboxUpdate.reads`): one round trip for both."""
        values = _inbox_values(item, now, until)
        dialect = self._engine.dialect.name
        if ahead and dialect == "postgresql" and isinstance(item.reads, ChatQuery):
            return ACCEPT_READING, {**values, **snapshot_values(item.reads)}
        return sql.ACCEPT[dialect], values

    async def claim_updates(
        self, limit: int, lease: float, *, keys: Sequence[str] | None = None
    ) -> list[InboxUpdate]:
        """Lease the oldest pending update of up to `limit` chats (among `keys`, if given)."""
        if keys is None:
            statement, values = sql.CLAIM_UPDATES, self._claim_values(limit, lease)
        else:
            statement = sql.CLAIM_UPDATES_AMONG
            values = {**self._claim_values(limit, lease), "the_keys": list(keys)}
        with translate_errors("claiming updates"):
            rows = sorted(await self._single(statement, values), key=_id)
        return [InboxUpdate(r.key, r.channel, r.chat_id, r.payload or {}, r.id) for r in rows]

    async def complete(
        self,
        done: Sequence[tuple[int, Sequence[Outgoing]]],
        *,
        hold: float = 0.0,
        writes: Sequence[object] = (),
    ) -> list[Pending]:
        """Mark updates handled, queue their replies and make the writes their handling left
        (`bot.delivery.vocabulary.deferring`), in one transaction. With `hold`, the replies
        that head their chat come back leased to the caller, to send at once."""
        if not done:
            return []
        with translate_errors("completing updates"):
            try:
                return await self._complete(done, hold, cast(Sequence[Write], writes))
            except (IntegrityError, DataError) as exc:
                if not writes:
                    raise
                # A refused log row must not keep the updates (and their chats) unhandled.
                # Its type only: the driver's message may quote the row.
                name = type(exc).__name__
                logger.error("bookkeeping of %d handled update(s) refused (%s)", len(done), name)
            return await self._complete(done, hold, ())

    async def _complete(
        self, done: Sequence[tuple[int, Sequence[Outgoing]]], hold: float, writes: Sequence[Write]
    ) -> list[Pending]:
        ids = [update_id for update_id, _ in done]
        items = [item for _, outgoing in done for item in outgoing]
        if (one := self._folded(ids, items, hold, writes)) is not None:
            rows = await self._single(one.statement, cast(dict[str, Any], one.values))
            row = rows[0] if items else None  # the reply's id and lease
            if row is None or row.lease_until <= EPOCH:
                return []
            return [Pending(row.id, items[0], 0, 0)]
        async with self._engine.begin() as connection:
            await connection.execute(sql.DONE[self._engine.dialect.name], {"ids": ids})
            queued = await self._queue(connection, items, hold=hold)
            for write in writes:
                await write(connection)
        return [Pending(i, o, 0, 0) for (i, held), o in zip(queued, items, strict=True) if held]

    def _folded(
        self, ids: list[int], items: list[Outgoing], hold: float, writes: Sequence[Write]
    ) -> Step | None:
        """A webhook call's completion (no reply or one held, the usual) as one statement
        on PostgreSQL; None otherwise (a transaction then)."""
        if self._engine.dialect.name != "postgresql" or len(items) > 1 or not hold:
            return None
        done = Step(sql.DONE["postgresql"], {"ids": ids})
        if not items:
            return folded(done, writes)
        queued = Step(sql.QUEUE_HELD, _held_values(items[0], self._now(), self._until(hold)))
        return folded(queued, [done, *writes])

    def _until(self, hold: float) -> dt.datetime:
        return self._now() + dt.timedelta(seconds=hold)

    async def claim_replies(self, channel: str, limit: int, lease: float) -> list[Pending]:
        """Lease the oldest due reply of up to `limit` chats on `channel`."""
        values = {**self._claim_values(limit, lease), "the_channel": channel}
        with translate_errors("claiming replies"):
            rows = await self._single(sql.CLAIM_REPLIES, values)
        return [_pending(row) for row in sorted(rows, key=_id)]

    async def sending(self, channel: str) -> list[Outgoing]:
        """`channel`'s pending replies under a lease now: being sent (or about to be)."""
        values = {"the_channel": channel, "the_now": self._now()}
        with translate_errors("reading the replies being sent"):
            rows = await self._single(sql.SENDING, values)
        return [_pending(row).outgoing for row in rows]

    async def progress(self, reply_id: int, parts_sent: int, *, finished: bool) -> None:
        """Record sent parts; a finished reply is deleted."""
        statement = sql.SENT if finished else sql.PARTS_SENT
        step = Step(statement, {"the_id": reply_id, "the_parts": parts_sent})
        # Shared with other sends' (and WhatsApp's bookkeeping): one commit for many.
        with translate_errors("recording a sent reply"):
            await group_commit(self._engine).run(step, one_statement=True)

    async def retry_later(self, reply_id: int, attempts: int, delay: float, error: str) -> None:
        """Put a reply back, due again after `delay` seconds."""
        due = self._now() + dt.timedelta(seconds=delay)
        values = {"the_attempts": attempts, "the_due": due, "the_error": error[:200]}
        await self._set(sql.RETRY, {"the_id": reply_id, **values})

    async def fail(self, reply_id: int, attempts: int, error: str, *, kept: Reply) -> None:
        """Give a reply up: it stays, as failed, for the admins to see, as `kept` (the caller
        redacts it: nobody will receive it as written any more)."""
        values = {"the_attempts": attempts, "the_error": error[:200]}
        await self._set(
            sql.FAILED, {"the_id": reply_id, **values, "the_reply": reply_to_json(kept)}
        )

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

    async def _set(self, statement: Any, values: dict[str, Any]) -> None:
        with translate_errors("updating a reply"):
            await self._single(statement, values)

    def _claim_values(self, limit: int, lease: float) -> dict[str, Any]:
        now = self._now()
        return {"the_now": now, "the_until": now + dt.timedelta(seconds=lease), "the_limit": limit}

    async def _queue(
        self, connection: AsyncConnection, items: Sequence[Outgoing], *, hold: float = 0.0
    ) -> list[tuple[int, bool]]:
        """Queue the replies: (id, held) each. Held ones (with `hold`) head their chat, leased
        to the caller; a webhook call's one or two replies, a statement each. Without `hold`
        (the worker loop's batches) all of them in one statement."""
        if not items:
            return []
        now = self._now()
        if not hold:
            rows = [_outbox_values(item, now) for item in items]
            return [(i, False) for i in (await connection.execute(sql.QUEUE, rows)).scalars()]
        until = now + dt.timedelta(seconds=hold)
        queued = []
        for item in items:
            values = _held_values(item, now, until)
            row = (await connection.execute(sql.QUEUE_HELD, values)).one()
            queued.append((row.id, row.lease_until > EPOCH))
        return queued


def _with_reads(item: InboxUpdate, row: Any) -> InboxUpdate:
    """`item` with the snapshot read beside it, when there is one to hand on. A chat with an
    open ticket also reads the ticket's row: its handling does that itself (rare)."""
    if not isinstance(item.reads, ChatQuery):
        return item
    if row.ticket_id is not None:
        return dataclasses.replace(item, reads=None)
    return dataclasses.replace(item, reads=ReadAhead(item.reads, snapshot_of(row, None)))


def _inbox_values(item: InboxUpdate, now: dt.datetime, until: dt.datetime) -> dict[str, Any]:
    return {
        "new_key": item.key,
        "new_channel": item.channel,
        "new_chat_id": item.chat_id,
        "new_payload": item.payload,
        "new_now": now,
        "new_until": until,
    }


def _outbox_values(item: Outgoing, now: dt.datetime) -> dict[str, Any]:
    return {
        "channel": item.channel,
        "chat_id": item.chat_id,
        "reply": reply_to_json(item.reply),
        "user_hash": item.user_hash,
        "parts_sent": 0,
        "status": "pending",
        "attempts": 0,
        "created_at": now,
        "next_attempt_at": now,
        "lease_until": EPOCH,
    }


def _held_values(item: Outgoing, now: dt.datetime, until: dt.datetime) -> dict[str, Any]:
    return {
        "new_channel": item.channel,
        "new_chat_id": item.chat_id,
        "new_reply": reply_to_json(item.reply),
        "new_user_hash": item.user_hash,
        "new_now": now,
        "new_until": until,
    }


def _id(row: Any) -> int:
    return int(row.id)


def _pending(row: Any) -> Pending:
    outgoing = Outgoing(row.channel, row.chat_id, reply_from_json(row.reply), row.user_hash)
    return Pending(row.id, outgoing, row.parts_sent, row.attempts)
