"""Suara pemohon for the admin console (`bot.console.vocabulary` `Voices`): the complaints and
suggestions of a period with their handling, filtered by topic, handling and office, their
counts per week, topic, kind and handling (the report's own weekly buckets), and marking one
handled. A complaint belongs to the office its question was asked at."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Select, select, update

from bot.console.vocabulary import HeardVoice, VoiceFilter, VoiceTally
from bot.storage.base import StoreBase
from bot.storage.errors import translate_errors
from bot.storage.report_voices import voice_entries, voice_entry, voice_tally
from bot.storage.tables import ComplaintRow, QuestionRow

Picked = TypeVar("Picked", bound=Select[*tuple[Any, ...]])


class VoiceStore(StoreBase):
    """Complaints and suggestions over an engine the caller owns."""

    async def voices(self, chosen: VoiceFilter, *, limit: int) -> list[HeardVoice]:
        """The newest that `chosen` lets through first (redacted texts only)."""
        statement = _of(voice_entries(chosen, limit), chosen.office)
        with translate_errors("reading complaints"):
            async with self._sessions() as session:
                rows = (await session.execute(statement)).all()
        return [HeardVoice(*row) for row in rows]

    async def tally(
        self, bounds: Sequence[dt.datetime], *, office: str | None = None
    ) -> list[VoiceTally]:
        """Per week (bucket i from bounds[i] to bounds[i + 1]), topic, kind and handling."""
        with translate_errors("counting complaints"):
            async with self._sessions() as session:
                rows = (await session.execute(_of(voice_tally(bounds), office))).all()
        return [
            VoiceTally(bucket, topic, kind, bool(done), n) for bucket, topic, kind, done, n in rows
        ]

    async def handle_voice(
        self, voice_id: int, who: str, note: str, *, office: str | None = None
    ) -> HeardVoice | None:
        """Mark one handled now by `who` with `note`; the row as it was (None: no such row,
        or, with `office`, one asked at another office)."""
        with translate_errors("marking a complaint handled"):
            async with self._sessions.begin() as session:
                before = (await session.execute(_of(voice_entry(voice_id), office))).first()
                if before is None:
                    return None
                await session.execute(
                    update(ComplaintRow)
                    .where(ComplaintRow.id == voice_id)
                    .values(handled_at=self._now(), handled_by=who, note=note)
                )
        return HeardVoice(*before)


def _of(statement: Picked, office: str | None) -> Picked:
    """`statement` narrowed to the complaints asked at `office` (None: unchanged)."""
    return statement if office is None else statement.where(asked_at(office))


def asked_at(office: str) -> ColumnElement[bool]:
    """The complaint's question was asked at `office`."""
    at_office = select(QuestionRow.id).where(QuestionRow.office_id == office)
    return ComplaintRow.question_id.in_(at_office)
