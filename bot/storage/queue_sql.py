"""The inbox's and outbox's statements, built once (issue 22): building a statement costs
more CPU than running it, and a statement built once keeps one cached compilation. Each
claim and each accepted update is one statement, so on PostgreSQL it runs without a
BEGIN/COMMIT around it (`StoreBase._one`).

Parameters are named `new_*`/`the_*` where a column's name would clash with SQLAlchemy's own
parameters of an INSERT's VALUES or an UPDATE's SET.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    Integer,
    String,
    Table,
    any_,
    bindparam,
    case,
    delete,
    exists,
    insert,
    literal_column,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite

from bot.storage.columns import UTCDateTime
from bot.storage.tables_queue import InboxRow, OutboxRow

EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
INBOX: Table = InboxRow.__table__  # type: ignore[assignment]
OUTBOX: Table = OutboxRow.__table__  # type: ignore[assignment]


def _time(name: str) -> BindParameter[dt.datetime]:
    return bindparam(name, type_=UTCDateTime())


def _epoch() -> BindParameter[dt.datetime]:
    return bindparam("the_epoch", EPOCH, type_=UTCDateTime())


# Written into the SQL, not bound: PostgreSQL's generic plans (the autocommit pool's,
# `bot.storage.database`) then know a pending row is rare among the handled ones kept for
# de-duplication and look it up in the status index; with a parameter they expect it in
# every row and scan the table for it (1.2 ms a message with 20,000 rows kept).
PENDING = literal_column("'pending'", String)


def _queued(table: Table, channel: Any, chat_id: Any, below: Any = None) -> ColumnElement[bool]:
    """A pending row of the chat (older than `below`, when given)."""
    earlier = table.alias("earlier")
    older = [] if below is None else [earlier.c.id < below]
    return exists().where(
        earlier.c.status == PENDING,
        earlier.c.channel == channel,
        earlier.c.chat_id == chat_id,
        *older,
    )


def _held_unless_queued(table: Table) -> Any:
    """A new row's lease: held for the caller (`new_until`) when nothing of its chat is
    pending before it; otherwise free (the epoch), to wait its turn behind the older row.
    Rows written earlier in the same transaction count too, so one batch keeps its order."""
    queued = _queued(table, bindparam("new_channel"), bindparam("new_chat_id"))
    return case((queued, _epoch()), else_=_time("new_until"))


def _accept(dialect_insert: Callable[..., Any]) -> Any:
    """Store an update not seen before (its key), leased to the caller when it heads its
    chat; returns nothing for a key already stored."""
    return (
        dialect_insert(INBOX)
        .values(
            key=bindparam("new_key"),
            channel=bindparam("new_channel"),
            chat_id=bindparam("new_chat_id"),
            payload=bindparam("new_payload", type_=INBOX.c.payload.type),
            status="pending",
            received_at=_time("new_now"),
            lease_until=_held_unless_queued(INBOX),
        )
        .on_conflict_do_nothing(index_elements=["key"])
        .returning(INBOX.c.id, INBOX.c.lease_until)
    )


# ON CONFLICT lives on the dialects' own insert constructs.
ACCEPT = {"postgresql": _accept(postgresql.insert), "sqlite": _accept(sqlite.insert)}


def _done(ids: ColumnElement[bool]) -> Any:
    return update(INBOX).where(ids).values(status="done", payload=None, chat_id="")


# PostgreSQL takes the ids as one array: an expanding IN would be rendered again on every
# run, and this statement runs for every message (folded into a large one, `_folded`).
DONE = {
    "postgresql": _done(INBOX.c.id == any_(bindparam("ids", type_=postgresql.ARRAY(Integer)))),
    "sqlite": _done(INBOX.c.id.in_(bindparam("ids", expanding=True))),
}

# Many replies in one statement (executemany: SQLAlchemy's insertmanyvalues), none held.
QUEUE = insert(OUTBOX).returning(OUTBOX.c.id, sort_by_parameter_order=True)

# One reply, held for the caller when it heads its chat.
QUEUE_HELD = (
    insert(OUTBOX)
    .values(
        channel=bindparam("new_channel"),
        chat_id=bindparam("new_chat_id"),
        reply=bindparam("new_reply", type_=OUTBOX.c.reply.type),
        user_hash=bindparam("new_user_hash"),
        parts_sent=0,
        status="pending",
        attempts=0,
        created_at=_time("new_now"),
        next_attempt_at=_time("new_now"),
        lease_until=_held_unless_queued(OUTBOX),
    )
    .returning(OUTBOX.c.id, OUTBOX.c.lease_until)
)


def _claim(table: Table, *, channel: bool = False, keys: bool = False) -> Any:
    """Lease the oldest pending row of up to `the_limit` chats (due now, in the outbox) and
    return them, in one statement. The lease is taken only where it is still free: of two
    workers racing for a row, only one sees it come back."""
    free = table.c.lease_until <= _time("the_now")
    candidate = table.alias("candidate")
    due = [
        candidate.c.status == PENDING,
        candidate.c.lease_until <= _time("the_now"),
        ~_queued(table, candidate.c.channel, candidate.c.chat_id, below=candidate.c.id),
    ]
    if table is OUTBOX:
        due.append(candidate.c.next_attempt_at <= _time("the_now"))
    if channel:
        due.append(candidate.c.channel == bindparam("the_channel"))
    if keys:
        due.append(candidate.c.key.in_(bindparam("the_keys", expanding=True)))
    limit = bindparam("the_limit", type_=table.c.id.type)
    chosen = select(candidate.c.id).where(*due).order_by(candidate.c.id).limit(limit)
    return (
        update(table)
        .where(table.c.id.in_(chosen.scalar_subquery()), free)
        .values(lease_until=_time("the_until"))
        .returning(*table.c)
    )


CLAIM_UPDATES = _claim(INBOX)
CLAIM_UPDATES_AMONG = _claim(INBOX, keys=True)
CLAIM_REPLIES = _claim(OUTBOX, channel=True)

SENDING = select(OUTBOX).where(
    OUTBOX.c.channel == bindparam("the_channel"),
    OUTBOX.c.status == PENDING,
    OUTBOX.c.lease_until > _time("the_now"),
)
SENT = delete(OUTBOX).where(OUTBOX.c.id == bindparam("the_id"))
PARTS_SENT = (
    update(OUTBOX)
    .where(OUTBOX.c.id == bindparam("the_id"))
    .values(parts_sent=bindparam("the_parts"))
)
RETRY = (
    update(OUTBOX)
    .where(OUTBOX.c.id == bindparam("the_id"))
    .values(
        attempts=bindparam("the_attempts"),
        next_attempt_at=_time("the_due"),
        lease_until=_epoch(),
        error=bindparam("the_error"),
    )
)
FAILED = (
    update(OUTBOX)
    .where(OUTBOX.c.id == bindparam("the_id"))
    .values(
        status="failed",
        attempts=bindparam("the_attempts"),
        error=bindparam("the_error"),
        reply=bindparam("the_reply", type_=OUTBOX.c.reply.type),
    )
)
