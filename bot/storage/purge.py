"""Retention: delete what is past its time, and forget how to reach applicants once nothing
needs to reach them any more.

What each table keeps, and for how long, is listed in docs/admin.md ("Retention"); this module
is the one place that enforces it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sqlalchemy import Delete, Update, delete, exists, func, select, update

from bot.storage.base import StoreBase
from bot.storage.errors import translate_errors
from bot.storage.tables import QuestionRow, TicketMessageRow, TicketRow
from bot.storage.tables_ops import (
    AnnouncementDeliveryRow,
    AnnouncementRow,
    ContactWindowRow,
    DeliveryStatusRow,
    SubscriberRow,
)

# A closed ticket's chat id was needed to send the closing notice (and its retries); a day
# later nothing is sent to it any more.
CHAT_ID_GRACE = dt.timedelta(days=1)
# WhatsApp's customer-service window: an older contact says nothing about what may be sent.
WINDOW = dt.timedelta(hours=24)
# An announcement's recipient rows give the admin the tally when it ends; a day later they go.
RECIPIENTS_KEPT = dt.timedelta(days=1)

T, M, D, A = TicketRow, TicketMessageRow, AnnouncementDeliveryRow, AnnouncementRow
# A channel's own tables (storage does not know them): given the time and the cut-off, the
# statements to run with their labels, as `bot.channels.contract.Channel.retention` gives them.
ChannelRetention = Callable[[dt.datetime, dt.datetime], Sequence[tuple[str, Delete | Update]]]


@dataclass(frozen=True, slots=True)
class Purged:
    """How many rows each step removed or scrubbed."""

    questions: int
    tickets: int
    chat_ids: int
    statuses: int
    windows: int = 0
    subscribers: int = 0
    recipients: int = 0
    channels: tuple[tuple[str, int], ...] = ()  # (label, rows) of the channels' own tables


class RetentionStore(StoreBase):
    """One method, one transaction: the purge either happens whole or not at all."""

    async def purge(
        self, *, older_than: dt.timedelta, channels: Sequence[ChannelRetention] = ()
    ) -> Purged:
        """Delete and scrub everything past its retention (`_statements`, then each
        channel's own steps)."""
        now = self._now()
        cutoff = now - older_than
        steps = [step for retention in channels for step in retention(now, cutoff)]
        with translate_errors("purging old data"):
            async with self._engine.begin() as connection:
                core = [(await connection.execute(s)).rowcount for s in _statements(now, cutoff)]
                own = [(label, (await connection.execute(s)).rowcount) for label, s in steps]
        questions, tickets, chat_ids, statuses, windows, subscribers, recipients = core
        return Purged(
            questions, tickets, chat_ids, statuses, windows, subscribers, recipients, tuple(own)
        )


def _statements(now: dt.datetime, cutoff: dt.datetime) -> list[Delete | Update]:
    """In `Purged` order: questions (their feedback cascades), tickets (closed, or left
    without any activity, before the cut-off; their thread and posts cascade), chat ids of
    closed tickets, delivery statuses, contact windows, opted-out subscribers,
    and the recipients of finished announcements."""
    recent_message = exists().where(M.ticket_id == T.id, M.created_at >= cutoff)
    abandoned = (T.status != "closed") & (T.created_at < cutoff) & ~recent_message
    ended = func.coalesce(A.finished_at, A.created_at) < now - RECIPIENTS_KEPT
    finished = select(A.id).where(A.status.in_(("done", "cancelled")), ended)
    return [
        delete(QuestionRow).where(QuestionRow.created_at < cutoff),
        delete(T).where(((T.status == "closed") & (T.closed_at < cutoff)) | abandoned),
        update(T)
        .where(T.status == "closed", T.closed_at < now - CHAT_ID_GRACE, T.chat_id != "")
        .values(chat_id=""),
        delete(DeliveryStatusRow).where(DeliveryStatusRow.updated_at < cutoff),
        delete(ContactWindowRow).where(ContactWindowRow.last_inbound_at < now - WINDOW),
        delete(SubscriberRow).where(SubscriberRow.subscribed.is_(False)),
        delete(D).where(D.announcement_id.in_(finished)),
    ]
