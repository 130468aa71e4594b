"""The question log around the office's posts, for the report's content record
(`bot.reporting.vocabulary.TopicSource`): per entry and bucket, the questions answered with
it, the 👎 on those answers, and the fallbacks and clarifications that ranked it first.

Built for a log of millions of rows: each statement reads one range of `created_at` (its
index) and is called once per stretch of time the posts' windows cover, never per post, so
overlapping windows read each row once; the entries are a short list of the posts' topics.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import defaultdict
from collections.abc import Collection, Sequence
from typing import Any

from sqlalchemy import Select, case, func, not_, select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.reporting.vocabulary import TopicCount
from bot.storage.errors import translate_errors
from bot.storage.report_sql import UNANSWERED_ACTIONS, bucket_of, not_a_voice
from bot.storage.tables import FeedbackRow, QuestionRow

Q = QuestionRow


class TopicQueries:
    """Read-only counts over an engine the caller owns."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def first_question_at(self) -> dt.datetime | None:
        """When the oldest row of the log was written (older ones were purged or never were)."""
        with translate_errors("reading the start of the question log"):
            async with self._engine.connect() as connection:
                found: dt.datetime | None = await connection.scalar(select(func.min(Q.created_at)))
        return found

    async def topic_counts(
        self, faq_ids: Collection[str], bounds: Sequence[dt.datetime]
    ) -> list[TopicCount]:
        """Counts of `faq_ids` per bucket i, `bounds[i] <= t < bounds[i + 1]`."""
        _check_bounds(bounds)
        if not faq_ids:
            return []
        ids = sorted(set(faq_ids))
        with translate_errors("counting questions around the posts"):
            async with self._engine.connect() as connection:
                answered = (await connection.execute(_answered(ids, bounds))).all()
                near = (await connection.execute(_near(ids, bounds))).all()
        cells: dict[tuple[int, str], list[int]] = defaultdict(lambda: [0, 0, 0])
        for bucket, faq_id, count, down in answered:
            cells[(int(bucket), str(faq_id))][:2] = [int(count), int(down or 0)]
        for bucket, faq_id, count in near:
            cells[(int(bucket), str(faq_id))][2] = int(count)
        return [TopicCount(b, f, *counts) for (b, f), counts in sorted(cells.items())]


def _answered(
    ids: Sequence[str], bounds: Sequence[dt.datetime]
) -> Select[int, str | None, int, Any]:
    """Answers given with each entry per bucket, and the 👎 on them (whenever it was sent),
    as the entries section counts them."""
    bucket = bucket_of(Q.created_at, bounds).label("bucket")
    # An answer may carry votes from several people: the answers are counted distinct.
    down = func.sum(case((not_(FeedbackRow.helpful), 1), else_=0))
    return (
        select(bucket, Q.faq_id, func.count(Q.id.distinct()), down)
        .outerjoin(FeedbackRow, FeedbackRow.question_id == Q.id)
        .where(
            Q.created_at >= bounds[0],
            Q.created_at < bounds[-1],
            Q.action == "answer",
            Q.faq_id.in_(ids),
        )
        .group_by(bucket, Q.faq_id)
    )


def _near(ids: Sequence[str], bounds: Sequence[dt.datetime]) -> Select[int, str, int]:
    """Fallbacks and clarifications per bucket and the entry the matcher ranked first (not
    complaints or suggestions, as in the entries section)."""
    bucket = bucket_of(Q.created_at, bounds).label("bucket")
    first = Q.candidates[(0, "faq_id")].as_string()
    top = first.label("top")
    return (
        select(bucket, top, func.count())
        .where(
            Q.created_at >= bounds[0],
            Q.created_at < bounds[-1],
            Q.action.in_(UNANSWERED_ACTIONS),
            first.in_(ids),
            not_a_voice(),
        )
        .group_by(bucket, top)
    )


def _check_bounds(bounds: Sequence[dt.datetime]) -> None:
    # A caller's bug, said plainly rather than as a driver error or an empty answer.
    if len(bounds) < 2:
        raise ValueError("at least two bounds are needed")
    if any(b.tzinfo is None for b in bounds):
        raise ValueError("naive datetime: bounds must carry a timezone")
    if any(low >= high for low, high in itertools.pairwise(bounds)):
        raise ValueError("bounds must be strictly increasing")
