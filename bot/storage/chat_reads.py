"""The conversation's reads for one message in one statement (`bot.core.vocabulary.ChatReads`): the
sender's flood count, the chat's office and its open ticket's id as scalar subqueries of one
SELECT, built once; only a chat that has an open ticket costs a second statement (its row),
in the same transaction. On PostgreSQL an update handled at once has them read by the very
statement that stores it (`ACCEPT_READING`, `ReadAhead`): no round trip of their own."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from sqlalchemy import BindParameter, String, bindparam, exists, func, literal_column, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.vocabulary import NEVER, ChatOffice, ChatQuery, ChatSnapshot, Ticket
from bot.storage.base import StoreBase
from bot.storage.errors import translate_errors
from bot.storage.queue_sql import ACCEPT
from bot.storage.tables import QuestionRow, TicketRow
from bot.storage.tables_ops import ChatOfficeRow as C
from bot.storage.ticket_rows import ticket_from_row
from bot.storage.tickets import ACTIVE

_CHANNEL: BindParameter[str] = bindparam("channel")
_CHAT_HASH: BindParameter[str] = bindparam("chat_hash")
_CHAT = (C.channel == _CHANNEL, C.chat_hash == _CHAT_HASH)
_SENT = (
    select(func.count())
    .select_from(QuestionRow)
    .where(QuestionRow.user_hash == bindparam("user_hash"))
    .where(QuestionRow.created_at >= bindparam("since"))
)
_TICKET = (
    select(TicketRow.id)
    .where(TicketRow.channel == _CHANNEL, TicketRow.chat_id == bindparam("chat_id"))
    # IN, not != 'closed', so the (channel, chat_id, status) index covers it; written into
    # the SQL (a list of values would be re-rendered on every run, and the generic plan
    # knows what it looks for, as with the queue's `PENDING`).
    .where(TicketRow.status.in_([literal_column(f"'{status}'", String) for status in ACTIVE]))
    .order_by(TicketRow.created_at.desc(), TicketRow.id.desc())
    .limit(1)
)
_COLUMNS = (
    _SENT.scalar_subquery().label("sent"),
    exists().where(*_CHAT).label("stored"),
    select(C.office_id).where(*_CHAT).scalar_subquery().label("office_id"),
    select(C.asked_at.is_not(None)).where(*_CHAT).scalar_subquery().label("asked"),
    _TICKET.scalar_subquery().label("ticket_id"),
)
SNAPSHOT = select(*_COLUMNS)
# PostgreSQL runs a write in a WITH: the accepted update's row with the snapshot beside it
# (none for an update seen before). The reads see the tables as before the insert.
_ACCEPTED = ACCEPT["postgresql"].cte("accepted")
ACCEPT_READING = select(_ACCEPTED.c.id, _ACCEPTED.c.lease_until, *_COLUMNS).select_from(_ACCEPTED)


def snapshot_values(query: ChatQuery) -> dict[str, object]:
    """The parameters of `SNAPSHOT` (and `ACCEPT_READING`'s reads)."""
    return {
        "channel": query.channel,
        "chat_hash": query.chat_hash,
        "chat_id": query.chat_id,
        "user_hash": query.user_hash,
        "since": query.since,
    }


def snapshot_of(row: Any, ticket: Ticket | None) -> ChatSnapshot:
    office = ChatOffice(row.office_id, bool(row.asked)) if row.stored else None
    return ChatSnapshot(int(row.sent), office, ticket)


@dataclass(slots=True)
class ReadAhead:
    """A snapshot read while the update was stored, for its handling to take once."""

    query: ChatQuery
    snapshot: ChatSnapshot
    taken: bool = False

    def take(self, query: ChatQuery) -> ChatSnapshot | None:
        """The snapshot, if it answers `query` and was not taken yet. Its minute of messages
        began when the update was stored, a few milliseconds before `query`'s."""
        counted = (query.since == NEVER) == (self.query.since == NEVER)
        same = dataclasses.replace(query, since=self.query.since) == self.query
        if self.taken or not (counted and same):
            return None
        self.taken = True
        return self.snapshot


class ChatReadsMixin(StoreBase):
    """`snapshot`, for the `Store`."""

    async def snapshot(self, query: ChatQuery) -> ChatSnapshot:
        """The flood count, office and open ticket of one message, in one round trip."""
        values = snapshot_values(query)
        with translate_errors("reading a message's snapshot"):
            # Reads only, one statement: no BEGIN/ROLLBACK around it on PostgreSQL.
            [row] = await self._single(SNAPSHOT, values)
            ticket = None
            if row.ticket_id is not None:  # rare: a chat talking to the officers
                async with AsyncSession(self._autocommit) as session:
                    ticket = ticket_from_row(await session.get_one(TicketRow, row.ticket_id))
        return snapshot_of(row, ticket)
