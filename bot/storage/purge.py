"""Retention: delete what is past its time, and forget how to reach applicants of old tickets."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import delete, update

from bot.storage.base import StoreBase
from bot.storage.errors import translate_errors
from bot.storage.tables import ProcessedUpdateRow, QuestionRow, TicketRow
from bot.storage.tables_ops import DeliveryStatusRow

# A ticket's chat id is only needed to deliver an answer; a month after closing it goes.
CHAT_ID_GRACE = dt.timedelta(days=30)
# Meta and Telegram retry deliveries for days; keys older than this can no longer repeat.
UPDATE_KEYS_KEPT = dt.timedelta(days=14)


@dataclass(frozen=True, slots=True)
class Purged:
    """How many rows each step removed or scrubbed."""

    questions: int
    tickets: int
    chat_ids: int
    update_keys: int
    statuses: int


class RetentionStore(StoreBase):
    """One method, one transaction: the purge either happens whole or not at all."""

    async def purge(self, *, older_than: dt.timedelta) -> Purged:
        """Delete questions (with their feedback) and closed tickets older than the cut-off."""
        now = self._now()
        cutoff = now - older_than
        with translate_errors("purging old data"):
            async with self._engine.begin() as connection:
                questions = await connection.execute(
                    delete(QuestionRow).where(QuestionRow.created_at < cutoff)
                )
                tickets = await connection.execute(
                    delete(TicketRow).where(
                        TicketRow.status == "closed", TicketRow.closed_at < cutoff
                    )
                )
                scrubbed = await connection.execute(
                    update(TicketRow)
                    .where(TicketRow.status == "closed", TicketRow.closed_at < now - CHAT_ID_GRACE)
                    .where(TicketRow.chat_id != "")
                    .values(chat_id="")
                )
                keys = await connection.execute(
                    delete(ProcessedUpdateRow).where(
                        ProcessedUpdateRow.created_at < now - UPDATE_KEYS_KEPT
                    )
                )
                statuses = await connection.execute(
                    delete(DeliveryStatusRow).where(DeliveryStatusRow.updated_at < cutoff)
                )
        return Purged(
            questions.rowcount,
            tickets.rowcount,
            scrubbed.rowcount,
            keys.rowcount,
            statuses.rowcount,
        )
