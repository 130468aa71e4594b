"""The sending side of announcements: claiming delivery rows, recording outcomes, finishing
an announcement, and the per-channel sender lease. Part of `AnnouncementStore`.

A delivery row is claimed by stamping `attempted_at` in one conditional UPDATE; that stamp is
the claim's fencing token, and every later write of the row requires it (see
`bot.announcements.service` for what happens to a claim whose holder died).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ColumnElement, and_, case, exists, func, or_, select, update
from sqlalchemy.sql.dml import ReturningUpdate
from sqlalchemy.sql.expression import Executable

from bot.announcements.vocabulary import (
    OPTED_OUT,
    RETRY,
    Recipient,
    SendingLease,
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


class SendingMixin(StoreBase):
    """Claims, outcomes and leases over the shared engine."""

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
        with translate_errors("claiming deliveries"):
            async with self._engine.begin() as connection:
                rows = (await connection.execute(_claim(claimable, limit, now))).all()
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
        finish = move_announcement(
            announcement_id, "sending", "done", finished_at=self._now()
        ).where(~pending)
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

    async def take_lease(self, name: str, duration: dt.timedelta) -> SendingLease | None:
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
        return SendingLease(name, now) if taken else None

    async def renew_lease(self, lease: SendingLease, duration: dt.timedelta) -> bool:
        """Extend a lease still held; False if another holder took it."""
        statement = _held(lease).values(next_run_at=self._now() + duration)
        with translate_errors("renewing a lease"):
            async with self._engine.begin() as connection:
                return (await connection.execute(statement)).first() is not None

    async def drop_lease(self, lease: SendingLease) -> None:
        """Free a lease still held."""
        await self._write(_held(lease).values(next_run_at=self._now()))

    async def _write(self, statement: Executable) -> None:
        with translate_errors("updating a delivery"):
            async with self._engine.begin() as connection:
                await connection.execute(statement)


def move_announcement(
    announcement_id: int, old: str, new: str, **values: dt.datetime
) -> ReturningUpdate[int]:
    return (
        update(AnnouncementRow)
        .where(AnnouncementRow.id == announcement_id, AnnouncementRow.status == old)
        .values(status=new, **values)
        .returning(AnnouncementRow.id)
    )


def _claim(
    claimable: ColumnElement[bool], limit: int, now: dt.datetime
) -> ReturningUpdate[str, str, str | None]:
    """Stamp `now` on up to `limit` claimable rows; skip those no longer subscribed."""
    # SKIP LOCKED only spares PostgreSQL workers from queueing on each other's rows; the
    # conditions repeated in the UPDATE are what make the claim exclusive (SQLite has no row
    # locks and drops it). MATERIALIZED: as a plain subquery PostgreSQL may scan it again,
    # skip the rows this very UPDATE just locked, and so claim more than `limit`.
    pick = (
        select(D.chat_id)
        .where(claimable)
        .order_by(D.chat_id)
        .limit(limit)
        .with_for_update(skip_locked=True)
        .cte("pick")
        .prefix_with("MATERIALIZED", dialect="postgresql")
    )
    gone = ~exists().where(S.channel == D.channel, S.chat_id == D.chat_id, S.subscribed.is_(True))
    return (
        update(D)
        .where(claimable, D.chat_id.in_(select(pick.c.chat_id)))
        .values(
            attempted_at=now,
            status=case((gone, "skipped"), else_=D.status),
            error=case((gone, f"{OPTED_OUT}: before delivery"), else_=D.error),
        )
        .returning(D.chat_id, D.status, D.error)
    )


def _fenced(recipient: Recipient) -> ReturningUpdate[str]:
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


def _held(lease: SendingLease) -> ReturningUpdate[str]:
    return (
        update(ScheduleRow)
        .where(ScheduleRow.name == lease.name, ScheduleRow.last_run_at == lease.token)
        .returning(ScheduleRow.name)
    )


def _retried(error: str | None) -> bool:
    return bool(error and error.startswith(RETRY))
