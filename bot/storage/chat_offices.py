"""Each chat's office (issue 21): the applicant's choice, or that the bot has asked for it.
Kept per salted chat hash, so the table holds choices, not who made them."""

from __future__ import annotations

from sqlalchemy import select

from bot.core.vocabulary import ChatOffice
from bot.storage.base import StoreBase
from bot.storage.errors import translate_errors
from bot.storage.tables_ops import ChatOfficeRow as C


class ChatOfficeStore(StoreBase):
    """Implements `bot.core.offices.ChatOffices`: one row per chat, each write one upsert."""

    async def chosen(self, channel: str, chat_hash: str) -> ChatOffice | None:
        """The chat's stored office and whether it was asked; None for a new chat."""
        query = select(C.office_id, C.asked_at).where(
            C.channel == channel, C.chat_hash == chat_hash
        )
        with translate_errors("reading a chat's office"):
            async with self._engine.connect() as connection:
                row = (await connection.execute(query)).first()
        return ChatOffice(row.office_id, row.asked_at is not None) if row else None

    async def choose(self, channel: str, chat_hash: str, office_id: str) -> None:
        """Remember the chat's office (a choice also answers the question where it lives)."""
        now = self._now()
        await self._upsert(channel, chat_hash, {"office_id": office_id, "updated_at": now})

    async def mark_asked(self, channel: str, chat_hash: str) -> None:
        """Remember that the chat was asked where the applicant lives."""
        now = self._now()
        await self._upsert(channel, chat_hash, {"asked_at": now, "updated_at": now})

    async def _upsert(self, channel: str, chat_hash: str, changes: dict[str, object]) -> None:
        values = {"channel": channel, "chat_hash": chat_hash, **changes}
        statement = (
            self._insert(C)
            .values(values)
            .on_conflict_do_update(index_elements=["channel", "chat_hash"], set_=changes)
        )
        with translate_errors("storing a chat's office"):
            async with self._engine.begin() as connection:
                await connection.execute(statement)
