"""Subscribers, announcements and their deliveries: implements
`bot.announce_model.AnnouncementStore`.

Every state change is one conditional UPDATE whose WHERE clause states what must still be
true; the database checks it and writes the row as one step (PostgreSQL makes a racing UPDATE
wait for the row lock and re-checks the condition on the new row; SQLite has one writer at a
time), so of several workers only one finds it true. A delivery row is claimed by stamping
`attempted_at`; that stamp is the claim's fencing token, required by every later write.
"""

from __future__ import annotations

import datetime as dt
from typing import cast

from sqlalchemy import (
    ColumnElement,
    Integer,
    String,
    and_,
    case,
    exists,
    func,
    insert,
    literal,
    or_,
    select,
    update,
)
from sqlalchemy.sql.dml import ReturningInsert, ReturningUpdate
from sqlalchemy.sql.expression import Executable

from bot.announce_model import (
    OPTED_OUT,
    RETRY,
    Announcement,
    AnnouncementStatus,
    Lease,
    Recipient,
    SendResult,
    Tally,
)
from bot.storage.base import StoreBase
from bot.storage.errors import translate_errors
from bot.storage.tables_ops import (
    AnnouncementDeliveryRow,
    AnnouncementRow,
    ScheduleRow,
    SubscriberRow,
)

D, S = AnnouncementDeliveryRow, SubscriberRow
ERROR_CHARS = 200  # the column's width; PostgreSQL refuses longer values


class AnnouncementStore(StoreBase):
    """Announcements over the shared engine."""

    async def set_subscribed(self, channel: str, chat_id: str, *, subscribed: bool) -> bool:
        """Opt in or out; False if it already was so (and for opting out when never in)."""
        statement = (
            self._opt_in(channel, chat_id) if subscribed else self._opt_out(channel, chat_id)
        )
        with translate_errors("changing a subscription"):
            async with self._engine.begin() as connection:
                return (await connection.execute(statement)).first() is not None

    def _opt_in(self, channel: str, chat_id: str) -> ReturningInsert[tuple[str]]:
        # The upsert writes (and returns a row) only when the chat was not subscribed yet.
        now = self._now()
        values = {"channel": channel, "chat_id": chat_id, "subscribed": True, "updated_at": now}
        return (
            self._insert(S)
            .values(values)
            .on_conflict_do_update(
                index_elements=["channel", "chat_id"],
                set_={"subscribed": True, "updated_at": now},
                where=S.subscribed.is_(False),
            )
            .returning(S.channel)
        )

    def _opt_out(self, channel: str, chat_id: str) -> ReturningUpdate[tuple[str]]:
        return (
            update(S)
            .where(S.channel == channel, S.chat_id == chat_id, S.subscribed.is_(True))
            .values(subscribed=False, updated_at=self._now())
            .returning(S.channel)
        )

    async def subscriber_counts(self) -> dict[str, int]:
        """Current subscribers per channel."""
        statement = (
            select(S.channel, func.count()).where(S.subscribed.is_(True)).group_by(S.channel)
        )
        with translate_errors("counting subscribers"):
            async with self._engine.connect() as connection:
                return {channel: n for channel, n in await connection.execute(statement)}

    async def create_announcement(self, text: str, created_by: str) -> Announcement:
        """Store a draft."""
        now = self._now()
        values = {"text": text, "created_by": created_by, "created_at": now, "status": "draft"}
        statement = insert(AnnouncementRow).values(values).returning(AnnouncementRow.id)
        with translate_errors("drafting an announcement"):
            async with self._engine.begin() as connection:
                number = (await connection.execute(statement)).scalar_one()
        return Announcement(number, text, created_by, "draft", now)

    async def confirm_announcement(
        self, announcement_id: int, channels: tuple[str, ...]
    ) -> int | None:
        """Draft -> sending, and in the same transaction one pending row per subscriber."""
        confirm = _move(announcement_id, "draft", "sending", confirmed_at=self._now())
        recipients = select(
            literal(announcement_id, Integer), S.channel, S.chat_id, literal("pending", String)
        ).where(S.subscribed.is_(True), S.channel.in_(channels))
        fill = insert(D).from_select(
            ["announcement_id", "channel", "chat_id", "status"], recipients
        )
        count = select(func.count()).where(D.announcement_id == announcement_id)
        with translate_errors("confirming an announcement"):
            async with self._engine.begin() as connection:
                if (await connection.execute(confirm)).first() is None:
                    return None
                await connection.execute(fill)
                return int((await connection.execute(count)).scalar_one())

    async def cancel_announcement(self, announcement_id: int) -> bool:
        """Draft -> cancelled; False unless it was a draft."""
        with translate_errors("cancelling an announcement"):
            async with self._engine.begin() as connection:
                moved = await connection.execute(_move(announcement_id, "draft", "cancelled"))
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
                    )
                    for r in rows
                ]

    async def claim_deliveries(
        self, announcement_id: int, channel: str, *, limit: int, lease: dt.timedelta
    ) -> list[Recipient]:
        """Claim up to `limit` pending rows nobody holds (or whose claim expired), in one
        UPDATE; rows whose subscriber opted out since the confirmation become skipped."""
        now = self._now()
        claimable = and_(
            D.announcement_id == announcement_id,
            D.channel == channel,
            D.status == "pending",
            or_(D.attempted_at.is_(None), D.attempted_at < now - lease),
        )
        # SKIP LOCKED only spares PostgreSQL workers from queueing on each other's rows; the
        # conditions repeated in the UPDATE are what make the claim exclusive (SQLite has no
        # row locks and drops it). MATERIALIZED: as a plain subquery PostgreSQL may scan it
        # again, skip the rows this very UPDATE just locked, and claim more than `limit`.
        pick = (
            select(D.chat_id)
            .where(claimable)
            .order_by(D.chat_id)
            .limit(limit)
            .with_for_update(skip_locked=True)
            .cte("pick")
            .prefix_with("MATERIALIZED", dialect="postgresql")
        )
        gone = ~exists().where(
            S.channel == D.channel, S.chat_id == D.chat_id, S.subscribed.is_(True)
        )
        statement = (
            update(D)
            .where(claimable, D.chat_id.in_(select(pick.c.chat_id)))
            .values(
                attempted_at=now,
                status=case((gone, "skipped"), else_=D.status),
                error=case((gone, f"{OPTED_OUT}: before delivery"), else_=D.error),
            )
            .returning(D.chat_id, D.status, D.error)
        )
        with translate_errors("claiming deliveries"):
            async with self._engine.begin() as connection:
                rows = (await connection.execute(statement)).all()
        return [
            Recipient(
                announcement_id,
                channel,
                chat_id,
                now,
                "skipped" if status == "skipped" else "pending",
                retried=_retried(error),
            )
            for chat_id, status, error in rows
        ]

    async def record_delivery(self, recipient: Recipient, result: SendResult) -> bool:
        """Write the outcome if the claim still holds; unsubscribe in the same transaction."""
        error = result.error[:ERROR_CHARS] if result.error else None
        record = _fenced(recipient).values(status=result.status, error=error)
        with translate_errors("recording a delivery"):
            async with self._engine.begin() as connection:
                held = (await connection.execute(record)).first() is not None
                if held and result.unsubscribe:
                    await connection.execute(
                        update(S)
                        .where(S.channel == recipient.channel, S.chat_id == recipient.chat_id)
                        .values(subscribed=False, updated_at=self._now())
                    )
        return held

    async def retry_later(self, recipient: Recipient, error: str) -> None:
        """Keep the row pending and claimed: claimable again once the lease expires."""
        await self._write(_fenced(recipient).values(error=error[:ERROR_CHARS]))

    async def release(self, recipient: Recipient) -> None:
        """Give a claimed, unsent row back at once."""
        await self._write(_fenced(recipient).values(attempted_at=None))

    async def finish_announcement(self, announcement_id: int) -> Tally | None:
        """Sending -> done once no row is pending; the tally, for the one caller that did it."""
        pending = exists().where(D.announcement_id == announcement_id, D.status == "pending")
        finish = _move(announcement_id, "sending", "done", finished_at=self._now()).where(~pending)
        opted = func.sum(case((D.error.like(f"{OPTED_OUT}%"), 1), else_=0))
        counts = (
            select(D.status, func.count(), opted)
            .where(D.announcement_id == announcement_id)
            .group_by(D.status)
        )
        with translate_errors("finishing an announcement"):
            async with self._engine.begin() as connection:
                if (await connection.execute(finish)).first() is None:
                    return None
                rows = (await connection.execute(counts)).all()
        by_status = {status: int(n) for status, n, _ in rows}
        return Tally(
            sent=by_status.get("sent", 0),
            failed=by_status.get("failed", 0),
            skipped=by_status.get("skipped", 0),
            opted_out=sum(int(o or 0) for _, _, o in rows),
        )

    async def take_lease(self, name: str, duration: dt.timedelta) -> Lease | None:
        """The named lease if it is free or expired. `schedules.next_run_at` holds the
        expiry and `last_run_at` the holder's token (when it took the lease)."""
        now = self._now()
        seed = self._insert(ScheduleRow).values(name=name, next_run_at=now, last_run_at=None)
        take = (
            update(ScheduleRow)
            .where(ScheduleRow.name == name, ScheduleRow.next_run_at <= now)
            .values(next_run_at=now + duration, last_run_at=now)
            .returning(ScheduleRow.name)
        )
        with translate_errors("taking a lease"):
            async with self._engine.begin() as connection:
                await connection.execute(seed.on_conflict_do_nothing(index_elements=["name"]))
                taken = (await connection.execute(take)).first() is not None
        return Lease(name, now) if taken else None

    async def renew_lease(self, lease: Lease, duration: dt.timedelta) -> bool:
        """Extend a lease still held; False if another holder took it."""
        statement = _held(lease).values(next_run_at=self._now() + duration)
        with translate_errors("renewing a lease"):
            async with self._engine.begin() as connection:
                return (await connection.execute(statement)).first() is not None

    async def drop_lease(self, lease: Lease) -> None:
        """Free a lease still held."""
        await self._write(_held(lease).values(next_run_at=self._now()))

    async def _write(self, statement: Executable) -> None:
        with translate_errors("updating a delivery"):
            async with self._engine.begin() as connection:
                await connection.execute(statement)


def _move(
    announcement_id: int, old: str, new: str, **values: dt.datetime
) -> ReturningUpdate[tuple[int]]:
    return (
        update(AnnouncementRow)
        .where(AnnouncementRow.id == announcement_id, AnnouncementRow.status == old)
        .values(status=new, **values)
        .returning(AnnouncementRow.id)
    )


def _fenced(recipient: Recipient) -> ReturningUpdate[tuple[str]]:
    """An UPDATE of the recipient's row that only matches while our claim holds."""
    return (
        update(D)
        .where(
            D.announcement_id == recipient.announcement_id,
            D.channel == recipient.channel,
            D.chat_id == recipient.chat_id,
            D.status == "pending",
            D.attempted_at == recipient.claimed_at,
        )
        .returning(D.chat_id)
    )


def _held(lease: Lease) -> ReturningUpdate[tuple[str]]:
    return (
        update(ScheduleRow)
        .where(ScheduleRow.name == lease.name, ScheduleRow.last_run_at == lease.token)
        .returning(ScheduleRow.name)
    )


def _retried(error: str | None) -> bool:
    return bool(error and error.startswith(RETRY))
