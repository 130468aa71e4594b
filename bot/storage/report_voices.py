"""SQL for "Suara pemohon", in the report and the admin console: complaints and suggestions per
week and topic (for the console also per handled or not), and the newest of them, for the
console filtered by topic and handling. Portable on SQLite and PostgreSQL (buckets as in
`report_sql`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, case, func, select

from bot.console.vocabulary import VoiceFilter
from bot.storage.report_sql import bucket_of
from bot.storage.tables import ComplaintRow, QuestionRow


def voice_counts(
    bounds: Sequence[dt.datetime], *, office: str | None = None
) -> Select[int, str, str, int]:
    """Complaints and suggestions per (bucket, topic, kind) between the first and last bound;
    with `office`, only those heard in that office's questions."""
    return heard_in(_per_week(bounds), office)


def heard_in(statement: Select[*tuple[Any, ...]], office: str | None) -> Select[*tuple[Any, ...]]:
    """`statement` over complaints kept to those of `office`'s questions (all when None)."""
    if office is None:
        return statement
    # A complaint has no office of its own: it is the office of the question it was heard in.
    return statement.join(QuestionRow, QuestionRow.id == ComplaintRow.question_id).where(
        QuestionRow.office_id == office
    )


def voice_tally(bounds: Sequence[dt.datetime]) -> Select[int, str, str, int, int]:
    """As `voice_counts`, split by handled (1) or not (0), for the console's counts."""
    handled = case((ComplaintRow.handled_at.is_(None), 0), else_=1).label("handled")
    return _per_week(bounds, handled)


def _per_week(bounds: Sequence[dt.datetime], *more: Any) -> Select[*tuple[Any, ...]]:
    bucket = bucket_of(ComplaintRow.created_at, bounds).label("bucket")
    return (
        select(bucket, ComplaintRow.topic, ComplaintRow.kind, *more, func.count())
        .where(ComplaintRow.created_at >= bounds[0], ComplaintRow.created_at < bounds[-1])
        # By the labels, as report_sql.bucket_counts does: the CASE stays in once.
        .group_by(bucket, ComplaintRow.topic, ComplaintRow.kind, *more)
    )


def voice_examples(
    since: dt.datetime, until: dt.datetime, limit: int, *, office: str | None = None
) -> Select[dt.datetime, str, str, str, str | None]:
    """The newest complaints and suggestions of the period (redacted texts only)."""
    return heard_in(_newest(since, until, limit).with_only_columns(*_EXAMPLE), office)


def voice_entries(chosen: VoiceFilter, limit: int) -> Select[*tuple[Any, ...]]:
    """The newest that `chosen` lets through, as the console lists them: id, example fields,
    handling."""
    query = _newest(chosen.since, chosen.until, limit)
    if chosen.topic is not None:
        query = query.where(ComplaintRow.topic == chosen.topic)
    if chosen.handled is not None:
        handled = ComplaintRow.handled_at.is_not(None)
        query = query.where(handled if chosen.handled else ~handled)
    return query.with_only_columns(*_ENTRY)


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
