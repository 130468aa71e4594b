"""Subscribers and announcements: with `announce_sending` (claims, outcomes, leases) this
implements `bot.announcements.vocabulary.AnnouncementRecords`.

Every state change is one conditional UPDATE whose WHERE clause states what must still be
true; the database checks it and writes the row as one step (PostgreSQL makes a racing UPDATE
wait for the row lock and re-checks the condition on the new row; SQLite has one writer at a
time), so of several workers only one finds it true.
"""

from __future__ import annotations

from typing import cast

from sqlalchemy import (
    ColumnElement,
    Insert,
    Integer,
    String,
    func,
    insert,
    literal,
    select,
    true,
    update,
)
from sqlalchemy.sql.dml import ReturningInsert, ReturningUpdate

from bot.announcements.vocabulary import Announcement, AnnouncementStatus
from bot.storage.announce_sending import D, S, SendingMixin, move_announcement
from bot.storage.errors import translate_errors
from bot.storage.tables_console import AdminAccountRow
from bot.storage.tables_ops import AnnouncementRow


class AnnouncementStore(SendingMixin):
    """Subscribers and announcements over the shared engine (sending: `SendingMixin`)."""

    async def set_subscribed(
        self, channel: str, chat_id: str, *, subscribed: bool, office_id: str | None = None
    ) -> bool:
        """Opt in or out; False if it already was so (and for opting out when never in).
        An opt-in records the chat's office (`move` keeps it current)."""
        statement = (
            self._opt_in(channel, chat_id, office_id)
            if subscribed
            else self._opt_out(channel, chat_id)
        )
        with translate_errors("changing a subscription"):
            async with self._engine.begin() as connection:
                return (await connection.execute(statement)).first() is not None

    async def move(self, channel: str, chat_id: str, office_id: str | None) -> None:
        """The chat changed office: its subscription (if any) follows it."""
        statement = (
            update(S).where(S.channel == channel, S.chat_id == chat_id).values(office_id=office_id)
        )
        with translate_errors("moving a subscription"):
            async with self._engine.begin() as connection:
                await connection.execute(statement)

    def _opt_in(self, channel: str, chat_id: str, office_id: str | None) -> ReturningInsert[str]:
        # The upsert writes (and returns a row) only when the chat was not subscribed yet.
        now = self._now()
        values = {
            "channel": channel,
            "chat_id": chat_id,
            "subscribed": True,
            "updated_at": now,
            "office_id": office_id,
        }
        return (
            self._insert(S)
            .values(values)
            .on_conflict_do_update(
                index_elements=["channel", "chat_id"],
                set_={"subscribed": True, "updated_at": now, "office_id": office_id},
                where=S.subscribed.is_(False),
            )
            .returning(S.channel)
        )

    def _opt_out(self, channel: str, chat_id: str) -> ReturningUpdate[str]:
        return (
            update(S)
            .where(S.channel == channel, S.chat_id == chat_id, S.subscribed.is_(True))
            .values(subscribed=False, updated_at=self._now())
            .returning(S.channel)
        )

    async def subscriber_counts(self, *, office_id: str | None = None) -> dict[str, int]:
        """Current subscribers per channel: of `office_id`, or of every office (None)."""
        statement = (
            select(S.channel, func.count())
            .where(S.subscribed.is_(True), _audience(office_id))
            .group_by(S.channel)
        )
        with translate_errors("counting subscribers"):
            async with self._engine.connect() as connection:
                return {channel: n for channel, n in await connection.execute(statement)}

    async def create_announcement(
        self, text: str, created_by: str, *, office_id: str | None = None
    ) -> Announcement:
        """Store a draft for `office_id`'s subscribers (None: every office's)."""
        now = self._now()
        values = {
            "text": text,
            "created_by": created_by,
            "created_at": now,
            "status": "draft",
            "office_id": office_id,
        }
        statement = insert(AnnouncementRow).values(values).returning(AnnouncementRow.id)
        with translate_errors("drafting an announcement"):
            async with self._engine.begin() as connection:
                number = (await connection.execute(statement)).scalar_one()
        return Announcement(number, text, created_by, "draft", now, office_id)

    async def account_office(self, name: str) -> str | None:
        """The one office a console account acts for; None: every office (or no account)."""
        statement = select(AdminAccountRow.office_id).where(AdminAccountRow.name == name)
        with translate_errors("reading an account's office"):
            async with self._engine.connect() as connection:
                return (await connection.execute(statement)).scalar_one_or_none()

    async def confirm_announcement(
        self, announcement_id: int, channels: tuple[str, ...]
    ) -> int | None:
        """Draft -> sending, and in the same transaction one pending row per subscriber of
        its office (of every office when it has none)."""
        confirm = move_announcement(
            announcement_id, "draft", "sending", confirmed_at=self._now()
        ).returning(AnnouncementRow.office_id)
        count = select(func.count()).where(D.announcement_id == announcement_id)
        with translate_errors("confirming an announcement"):
            async with self._engine.begin() as connection:
                confirmed = (await connection.execute(confirm)).first()
                if confirmed is None:
                    return None
                await connection.execute(_fill(announcement_id, channels, confirmed.office_id))
                return int((await connection.execute(count)).scalar_one())

    async def cancel_announcement(self, announcement_id: int) -> bool:
        """Draft -> cancelled; False unless it was a draft."""
        with translate_errors("cancelling an announcement"):
            async with self._engine.begin() as connection:
                moved = await connection.execute(
                    move_announcement(announcement_id, "draft", "cancelled")
                )
                return moved.first() is not None

    async def get_announcement(self, announcement_id: int) -> Announcement | None:
        """One announcement."""
        found = await self._announcements(AnnouncementRow.id == announcement_id)
        return found[0] if found else None

    async def sending_announcements(self) -> list[Announcement]:
        """Confirmed announcements not finished yet, oldest first."""
        return await self._announcements(AnnouncementRow.status == "sending")

    async def _announcements(self, condition: ColumnElement[bool]) -> list[Announcement]:
        statement = select(AnnouncementRow).where(condition).order_by(AnnouncementRow.id)
        with translate_errors("reading announcements"):
            async with self._sessions() as session:
                rows = await session.scalars(statement)
                return [
                    Announcement(
                        r.id,
                        r.text,
                        r.created_by,
                        cast(AnnouncementStatus, r.status),
                        r.created_at,
                        r.office_id,
                    )
                    for r in rows
                ]


def _audience(office_id: str | None) -> ColumnElement[bool]:
    """Subscribers an announcement for `office_id` reaches: that office's only, or everyone
    (a subscriber with no office hears only what is for every office)."""
    return S.office_id == office_id if office_id is not None else true()


def _fill(announcement_id: int, channels: tuple[str, ...], office_id: str | None) -> Insert:
    """One pending delivery row per current subscriber of the audience."""
    recipients = select(
        literal(announcement_id, Integer), S.channel, S.chat_id, literal("pending", String)
    ).where(S.subscribed.is_(True), S.channel.in_(channels), _audience(office_id))
    return insert(D).from_select(["announcement_id", "channel", "chat_id", "status"], recipients)
