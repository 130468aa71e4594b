"""Suara pemohon for the admin console (`bot.console.vocabulary` `Voices`): the complaints and
suggestions of a period with their handling, filtered by topic and handling, their counts per
week, topic, kind and handling (the report's own weekly buckets), and marking one handled."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import update

from bot.console.vocabulary import HeardVoice, VoiceFilter, VoiceTally
from bot.storage.base import StoreBase
from bot.storage.errors import translate_errors
from bot.storage.report_voices import voice_entries, voice_entry, voice_tally
from bot.storage.tables import ComplaintRow


class VoiceStore(StoreBase):
    """Complaints and suggestions over an engine the caller owns."""

    async def voices(self, chosen: VoiceFilter, *, limit: int) -> list[HeardVoice]:
        """The newest that `chosen` lets through first (redacted texts only)."""
        with translate_errors("reading complaints"):
            async with self._sessions() as session:
                rows = (await session.execute(voice_entries(chosen, limit))).all()
        return [HeardVoice(*row) for row in rows]

    async def tally(self, bounds: Sequence[dt.datetime]) -> list[VoiceTally]:
        """Per week (bucket i from bounds[i] to bounds[i + 1]), topic, kind and handling."""
        with translate_errors("counting complaints"):
            async with self._sessions() as session:
                rows = (await session.execute(voice_tally(bounds))).all()
        return [
            VoiceTally(bucket, topic, kind, bool(done), n) for bucket, topic, kind, done, n in rows
        ]

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
