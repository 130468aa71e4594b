"""Instagram's part of the admin reports (`bot.reporting.vocabulary.PostSource`): per post, how
many questions its comments raised and about which topics; and the minutes to the office's
first reply under comments and in DMs.

The channel's entry offers it (`Channel.post_source`) to the report commands, and the running
channel (`posts`) to /laporan and the weekly digest. Nothing of an applicant is read: posts are
the office's own media ids, and the times carry no conversation.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable

from sqlalchemy import func, select

from bot.channels.instagram.tables import InstagramCommentRow, InstagramDmReplyRow
from bot.reporting.vocabulary import PostFigures, PostQuestions
from bot.storage.base import StoreBase
from bot.storage.errors import translate_errors

LABEL = "Instagram"
# A comment recorded "thread_done" asked in a thread the bot had answered already: a question.
ASKED = frozenset({"answered", "clarified", "fallback", "thread_done"})
UNCLEAR = frozenset({"clarified", "fallback"})

_Count = tuple[str, str, str | None, int]


class InstagramReports(StoreBase):
    """Read-only queries over the comments and the DM reply times."""

    async def post_figures(self, *, since: dt.datetime, until: dt.datetime) -> PostFigures:
        """The figures of comments and DMs that arrived in `since <= t < until`."""
        comments = InstagramCommentRow
        in_period = (comments.created_at >= since, comments.created_at < until)
        counts = (
            select(comments.media_id, comments.action, comments.topic, func.count())
            .where(*in_period)
            .group_by(comments.media_id, comments.action, comments.topic)
        )
        replied = select(comments.created_at, comments.replied_at).where(
            *in_period, comments.replied_at.is_not(None)
        )
        dms = InstagramDmReplyRow
        waits = select(dms.received_at, dms.replied_at).where(
            dms.received_at >= since, dms.received_at < until
        )
        with translate_errors("reading Instagram's report figures"):
            async with self._engine.connect() as connection:
                rows = [
                    (str(m), str(a), t, int(n)) for m, a, t, n in await connection.execute(counts)
                ]
                comment_times = (await connection.execute(replied)).all()
                dm_times = (await connection.execute(waits)).all()
        return PostFigures(LABEL, posts_from(rows), _minutes(comment_times), _minutes(dm_times))


def posts_from(rows: Iterable[_Count]) -> tuple[PostQuestions, ...]:
    """(post, action, topic, count) rows as one line per post, most questions first."""
    actions: dict[str, Counter[str]] = defaultdict(Counter)
    topics: dict[str, Counter[str]] = defaultdict(Counter)
    for post, action, topic, count in rows:
        actions[post][action] += count
        if topic is not None and action in ASKED:
            topics[post][topic] += count
    posts = [
        PostQuestions(
            post=post,
            comments=sum(done.values()),
            questions=sum(done[a] for a in ASKED),
            unclear=sum(done[a] for a in UNCLEAR),
            hidden=done["hidden"],
            topics=tuple(sorted(topics[post].items(), key=lambda item: (-item[1], item[0]))),
        )
        for post, done in actions.items()
    ]
    return tuple(sorted(posts, key=lambda p: (-p.questions, -p.comments, p.post)))


def _minutes(pairs: Iterable[tuple[dt.datetime, dt.datetime | None]]) -> tuple[float, ...]:
    return tuple(
        sorted((end - start).total_seconds() / 60 for start, end in pairs if end is not None)
    )
