"""The conversation's reads for one message in one statement (`bot.core.vocabulary.ChatReads`): the
sender's flood count, the chat's office and its open ticket's id as scalar subqueries of one
SELECT, built once; only a chat that has an open ticket costs a second statement (its row),
in the same transaction."""

from __future__ import annotations

from sqlalchemy import BindParameter, bindparam, exists, func, literal, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.vocabulary import ChatOffice, ChatQuery, ChatSnapshot
from bot.storage.base import StoreBase
from bot.storage.errors import translate_errors
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
    # IN, not != 'closed', so the (channel, chat_id, status) index covers it; a bound
    # parameter each, as a list of values would be re-rendered on every run.
    .where(TicketRow.status.in_([literal(status) for status in ACTIVE]))
    .order_by(TicketRow.created_at.desc(), TicketRow.id.desc())
    .limit(1)
)
SNAPSHOT = select(
    _SENT.scalar_subquery().label("sent"),
    exists().where(*_CHAT).label("stored"),
    select(C.office_id).where(*_CHAT).scalar_subquery().label("office_id"),
    select(C.asked_at.is_not(None)).where(*_CHAT).scalar_subquery().label("asked"),
    _TICKET.scalar_subquery().label("ticket_id"),
)


class ChatReadsMixin(StoreBase):
    """`snapshot`, for the `Store`."""

    async def snapshot(self, query: ChatQuery) -> ChatSnapshot:
        """The flood count, office and open ticket of one message, in one round trip."""
        values = {
            "channel": query.channel,
            "chat_hash": query.chat_hash,
            "chat_id": query.chat_id,
            "user_hash": query.user_hash,
            "since": query.since,
        }
        with translate_errors("reading a message's snapshot"):
            # Reads only, mostly one statement: no BEGIN/ROLLBACK around it on PostgreSQL.
            async with self._autocommit.connect() as connection:
                row = (await connection.execute(SNAPSHOT, values)).one()
                ticket = None
                if row.ticket_id is not None:  # rare: a chat talking to the officers
                    async with AsyncSession(connection) as session:
                        ticket = ticket_from_row(await session.get_one(TicketRow, row.ticket_id))
        office = ChatOffice(row.office_id, bool(row.asked)) if row.stored else None
        return ChatSnapshot(int(row.sent), office, ticket)
