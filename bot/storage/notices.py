"""Pinned notices (the outage notice) and once-a-day alerts, in the database so every worker
shows the same notice and only one worker sends an alert."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, select, update

from bot.core.vocabulary import Notice
from bot.storage.base import StoreBase
from bot.storage.errors import translate_errors
from bot.storage.tables_ops import NoticeRow, ScheduleRow

OUTAGE = "outage"


class NoticeStore(StoreBase):
    """Notices by key, and a daily lease for alerts."""

    async def get(self, key: str = OUTAGE) -> Notice | None:
        """The notice under `key`, if set."""
        with translate_errors("reading a notice"):
            async with self._engine.connect() as connection:
                row = (
                    await connection.execute(select(NoticeRow).where(NoticeRow.key == key))
                ).first()
        return Notice(row.text, row.set_at, row.set_by) if row else None

    async def put(self, text: str, set_by: str, key: str = OUTAGE) -> Notice:
        """Set (or replace) the notice."""
        notice = Notice(text, self._now(), set_by)
        values = {"key": key, "text": text, "set_at": notice.set_at, "set_by": set_by}
        statement = self._insert(NoticeRow).values(values)
        statement = statement.on_conflict_do_update(index_elements=["key"], set_=values)
        with translate_errors("pinning a notice"):
            async with self._engine.begin() as connection:
                await connection.execute(statement)
        return notice

    async def clear(self, key: str = OUTAGE) -> bool:
        """Remove the notice; False if there was none."""
        with translate_errors("clearing a notice"):
            async with self._engine.begin() as connection:
                result = await connection.execute(delete(NoticeRow).where(NoticeRow.key == key))
        return bool(result.rowcount)

    async def claim_daily(self, name: str) -> bool:
        """True for exactly one caller per day and name (one conditional UPDATE after a
        do-nothing insert), so several workers send a daily alert once."""
        now = self._now()
        with translate_errors("claiming a daily job"):
            async with self._engine.begin() as connection:
                seed = {"name": name, "next_run_at": now, "last_run_at": None}
                await connection.execute(
                    self._insert(ScheduleRow).values(seed).on_conflict_do_nothing()
                )
                result = await connection.execute(
                    update(ScheduleRow)
                    .where(ScheduleRow.name == name, ScheduleRow.next_run_at <= now)
                    .values(last_run_at=now, next_run_at=now + dt.timedelta(days=1))
                )
        return bool(result.rowcount)
