"""SQL for the report's "Suara pemohon": complaints and suggestions per week and topic, and the
newest of them as examples. Portable on SQLite and PostgreSQL (buckets as in `report_sql`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, func, select

from bot.storage.report_sql import bucket_of
from bot.storage.tables import ComplaintRow


def voice_counts(bounds: Sequence[dt.datetime]) -> Select[int, str, str, int]:
    """Complaints and suggestions per (bucket, topic, kind) between the first and last bound."""
    bucket = bucket_of(ComplaintRow.created_at, bounds).label("bucket")
    return (
        select(bucket, ComplaintRow.topic, ComplaintRow.kind, func.count())
        .where(ComplaintRow.created_at >= bounds[0], ComplaintRow.created_at < bounds[-1])
        .group_by(bucket, ComplaintRow.topic, ComplaintRow.kind)
    )


def voice_examples(
    since: dt.datetime, until: dt.datetime, limit: int
) -> Select[dt.datetime, str, str, str, str | None]:
    """The newest complaints and suggestions of the period (redacted texts only)."""
    return _newest(since, until, limit).with_only_columns(*_EXAMPLE)


def voice_entries(since: dt.datetime, until: dt.datetime, limit: int) -> Select[*tuple[Any, ...]]:
    """The newest of the period as the console lists them: id, example fields, handling."""
    return _newest(since, until, limit).with_only_columns(*_ENTRY)


def voice_entry(voice_id: int) -> Select[*tuple[Any, ...]]:
    """One of them, by id, with the columns of `voice_entries`."""
    return select(*_ENTRY).where(ComplaintRow.id == voice_id)


_EXAMPLE = (
    ComplaintRow.created_at,
    ComplaintRow.topic,
    ComplaintRow.kind,
    ComplaintRow.text_redacted,
    ComplaintRow.faq_id,
)
_ENTRY = (
    ComplaintRow.id,
    *_EXAMPLE,
    ComplaintRow.handled_at,
    ComplaintRow.handled_by,
    ComplaintRow.note,
)


def _newest(since: dt.datetime, until: dt.datetime, limit: int) -> Select[*tuple[Any, ...]]:
    return (
        select(ComplaintRow.id)
        .where(ComplaintRow.created_at >= since, ComplaintRow.created_at < until)
        .order_by(ComplaintRow.created_at.desc(), ComplaintRow.id.desc())
        .limit(limit)
    )
