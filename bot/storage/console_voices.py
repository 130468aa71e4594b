"""Suara pemohon for the admin console (`bot.console.vocabulary` `Voices`): the complaints and
suggestions of a period with their handling, read with the report's own query, and marking
one handled."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import update

from bot.console.vocabulary import HeardVoice
from bot.storage.base import StoreBase
from bot.storage.errors import translate_errors
from bot.storage.report_voices import voice_entries, voice_entry
from bot.storage.tables import ComplaintRow


class VoiceStore(StoreBase):
    """Complaints and suggestions over an engine the caller owns."""

    async def voices(
        self, *, since: dt.datetime, until: dt.datetime, limit: int
    ) -> list[HeardVoice]:
        """The newest of the period first (redacted texts only)."""
        with translate_errors("reading complaints"):
            async with self._sessions() as session:
                rows = (await session.execute(voice_entries(since, until, limit))).all()
        return [HeardVoice(*row) for row in rows]

    async def handle_voice(self, voice_id: int, who: str, note: str) -> HeardVoice | None:
        """Mark one handled now by `who` with `note`; the row as it was (None: no such row)."""
        with translate_errors("marking a complaint handled"):
            async with self._sessions.begin() as session:
                before = (await session.execute(voice_entry(voice_id))).first()
                if before is None:
                    return None
                await session.execute(
                    update(ComplaintRow)
                    .where(ComplaintRow.id == voice_id)
                    .values(handled_at=self._now(), handled_by=who, note=note)
                )
        return HeardVoice(*before)
