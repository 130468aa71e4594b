"""Instagram's bookkeeping on the shared engine: the bot's own sends (so their echoes are
known), refused sends (for /gagal_kirim), each DM conversation's last message and takeover,
and the comments (`CommentStore`, in `comment_store`).

Message ids are kept as SHA-256 hashes (matching an echo needs nothing more) and chats by
`Conversation.chat_hash`: no Instagram id of an applicant is kept here.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, case, func, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.channels.instagram.tables import InstagramChatRow, InstagramDmReplyRow
from bot.storage.base import Clock, StoreBase
from bot.storage.errors import translate_errors
from bot.storage.tables_ops import DeliveryStatusRow

CHANNEL = "instagram"
UNSENT = "unsent:"
ERROR_CHARS = 500


@dataclass(frozen=True, slots=True)
class Failure:
    """A message that did not reach its applicant, as /gagal_kirim lists it."""

    updated_at: dt.datetime
    ticket_id: int | None
    error: str | None


def message_key(mid: str) -> str:
    """What is stored for a message id: its hash."""
    return hashlib.sha256(mid.encode()).hexdigest()


class InstagramStore(StoreBase):
    """Sends, failures and DM conversations; `chat_hash` hashes an IGSID."""

    def __init__(
        self, engine: AsyncEngine, *, chat_hash: Callable[[str], str], clock: Clock | None = None
    ) -> None:
        super().__init__(engine, clock=clock)
        self._chat_hash = chat_hash

    async def record_sent(self, mids: Sequence[str], *, user_hash: str | None) -> None:
        """Remember messages the bot sent, so their echoes are not read as an officer's."""
        rows = [self._delivery(message_key(m), "accepted", user_hash, None, None) for m in mids]
        if rows:
            statement = self._insert(DeliveryStatusRow).values(rows).on_conflict_do_nothing()
            with translate_errors("recording Instagram sends"):
                async with self._sessions.begin() as session:
                    await session.execute(statement)

    async def is_ours(self, mid: str) -> bool:
        """Whether the bot sent this message."""
        with translate_errors("reading an Instagram send"):
            async with self._sessions() as session:
                row = await session.get(DeliveryStatusRow, (CHANNEL, message_key(mid)))
                return row is not None

    async def record_failure(
        self, error: str, *, user_hash: str | None, ticket_id: int | None = None
    ) -> None:
        """Record a message that was refused for good (shown by /gagal_kirim)."""
        key = f"{UNSENT}{uuid.uuid4().hex}"
        row = self._delivery(key, "failed", user_hash, ticket_id, error[:ERROR_CHARS])
        with translate_errors("recording an Instagram failure"):
            async with self._sessions.begin() as session:
                await session.execute(self._insert(DeliveryStatusRow).values(row))

    async def failed_since(self, since: dt.datetime, *, limit: int = 20) -> list[Failure]:
        """Failed deliveries at or after `since`, newest first."""
        statement = (
            select(DeliveryStatusRow)
            .where(*_failed_since(since))
            .order_by(DeliveryStatusRow.updated_at.desc(), DeliveryStatusRow.message_id)
            .limit(max(limit, 0))
        )
        with translate_errors("listing Instagram failures"):
            async with self._sessions() as session:
                rows = await session.scalars(statement)
                return [Failure(row.updated_at, row.ticket_id, row.error) for row in rows]

    async def count_failed_since(self, since: dt.datetime) -> int:
        """How many deliveries failed at or after `since`."""
        statement = select(func.count()).select_from(DeliveryStatusRow)
        with translate_errors("counting Instagram failures"):
            async with self._sessions() as session:
                return await session.scalar(statement.where(*_failed_since(since))) or 0

    async def touch(self, chat_id: str, at: dt.datetime) -> None:
        """The applicant wrote at `at`; a late-delivered older message never shortens it.

        The conversation now waits for a reply since `at`, unless it already waited."""
        statement = self._insert(InstagramChatRow).values(
            chat_hash=self._chat_hash(chat_id), last_inbound_at=at, waiting_since=at
        )
        current, newer = InstagramChatRow.last_inbound_at, statement.excluded.last_inbound_at
        later = case((current.is_(None), newer), (newer > current, newer), else_=current)
        waiting = func.coalesce(InstagramChatRow.waiting_since, statement.excluded.waiting_since)
        statement = statement.on_conflict_do_update(
            index_elements=["chat_hash"], set_={"last_inbound_at": later, "waiting_since": waiting}
        )
        await self._execute(statement, "updating an Instagram conversation")

    async def answered(self, chat_id: str) -> None:
        """A reply reached the conversation: its wait (if one was open) is kept, closed."""
        chat_hash, now = self._chat_hash(chat_id), self._now()
        row = InstagramChatRow
        with translate_errors("recording a reply time on Instagram"):
            async with self._sessions.begin() as session:
                since = await session.scalar(
                    select(row.waiting_since).where(row.chat_hash == chat_hash)
                )
                if since is None:
                    return
                # Closed only if still the wait just read: of two workers, one keeps it.
                closed = await session.execute(
                    update(row)
                    .where(row.chat_hash == chat_hash, row.waiting_since == since)
                    .values(waiting_since=None)
                )
                if closed.rowcount == 1:  # type: ignore[attr-defined]
                    times = {"received_at": since, "replied_at": max(now, since)}
                    await session.execute(self._insert(InstagramDmReplyRow).values(times))

    async def take_over(self, chat_id: str, until: dt.datetime) -> None:
        """An officer wrote in the Instagram app: the bot stays quiet until `until`."""
        now = self._now()
        statement = self._insert(InstagramChatRow).values(
            chat_hash=self._chat_hash(chat_id), taken_over_at=now, takeover_until=until
        )
        statement = statement.on_conflict_do_update(
            index_elements=["chat_hash"], set_={"taken_over_at": now, "takeover_until": until}
        )
        await self._execute(statement, "recording an Instagram takeover")

    async def chat(self, chat_id: str) -> InstagramChatRow | None:
        """The conversation's row: last message and takeover."""
        with translate_errors("reading an Instagram conversation"):
            async with self._sessions() as session:
                return await session.get(InstagramChatRow, self._chat_hash(chat_id))

    async def _execute(self, statement: object, doing: str) -> None:
        with translate_errors(doing):
            async with self._sessions.begin() as session:
                await session.execute(statement)  # type: ignore[call-overload]

    def _delivery(
        self,
        key: str,
        status: str,
        user_hash: str | None,
        ticket_id: int | None,
        error: str | None,
    ) -> dict[str, object]:
        return {
            "channel": CHANNEL,
            "message_id": key,
            "user_hash": user_hash,
            "ticket_id": ticket_id,
            "status": status,
            "error": error,
            "updated_at": self._now(),
        }


def _failed_since(since: dt.datetime) -> tuple[ColumnElement[bool], ...]:
    return (
        DeliveryStatusRow.channel == CHANNEL,
        DeliveryStatusRow.status == "failed",
        DeliveryStatusRow.updated_at >= since,
    )
