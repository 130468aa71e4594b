"""The content record ("Did it help?"): every post the office published up to the end of the
report period, what it reached, and what changed around it.

Per post, for its topic (the entry it is about): the questions answered with that entry, the
unanswered questions (fallbacks, "Maksud Anda…?") whose closest entry it was, and the 👎 on its
answers, in the weeks before the post and the weeks after it. Windows are cut short where the
log has no data (it starts later, or the period ends sooner), so the figures are also given per
week: windows of different lengths then compare fairly. It is a before/after, never a claim
that the post caused the change (holidays, rule changes and outages move questions too).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from bot.reporting.vocabulary import (
    PostQuestions,
    PostSource,
    PublishedPost,
    RecordSources,
    TopicSource,
)

WEEKS_AROUND = 2
RECORD_LIMIT = 100  # the newest posts; an office posting weekly has two years of them
# Below a day a rate says little: one question in two hours would read as 84 a week.
MIN_DAYS = 1.0
EARLIEST = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)  # "every post": before any the bot made
WEEK = dt.timedelta(weeks=1)


@dataclass(frozen=True, slots=True)
class Window:
    """A stretch of time before or after a post, `start <= t < end`."""

    start: dt.datetime
    end: dt.datetime
    clipped: bool  # shorter than the weeks asked for: the log had no data for the rest

    @property
    def days(self) -> float:
        """Its length in days (0 when there was no data at all)."""
        return max(0.0, (self.end - self.start).total_seconds() / 86_400)

    def per_week(self, count: int) -> float | None:
        """`count` as a weekly rate; None for a window too short to say."""
        return count * 7 / self.days if self.days >= MIN_DAYS else None


@dataclass(frozen=True, slots=True)
class Counts:
    """A topic's questions in one window."""

    answered: int = 0  # answered with the entry
    unanswered: int = 0  # fallbacks and clarifications that ranked the entry first
    unhelpful: int = 0  # 👎 on the answers given with the entry


@dataclass(frozen=True, slots=True)
class PostRecord:
    """One published post: what was posted, what it reached, and its topic before and after."""

    entry_id: str
    title: str
    media_id: str | None
    published_at: dt.datetime
    permalink: str | None
    reach: int | None  # insights: None until they were read
    saves: int | None
    shares: int | None
    comments: int | None
    asked: PostQuestions | None  # its comments' questions; None: no channel logs comments
    before: Window
    after: Window
    counts_before: Counts
    counts_after: Counts


@dataclass(frozen=True, slots=True)
class ContentRecord:
    """The published posts, newest first, with the weeks each side of a post compared."""

    posts: tuple[PostRecord, ...]
    weeks: int = WEEKS_AROUND
    published: int = 0  # all published up to the end, of which `posts` are the newest

    @property
    def capped(self) -> bool:
        """Only the newest `RECORD_LIMIT` posts are here."""
        return self.published > len(self.posts)


async def content_record(
    sources: RecordSources,
    *,
    until: dt.datetime,
    titles: Mapping[str, str],
    posts: PostSource | None = None,
    weeks: int = WEEKS_AROUND,
) -> ContentRecord:
    """The record of every post published before `until` (the end of the data: the period's
    end, or now), compared over `weeks` each side."""
    published = await sources.published.published_posts(since=EARLIEST, until=until)
    newest = sorted(published, key=lambda p: p.published_at, reverse=True)[:RECORD_LIMIT]
    if not newest:
        return ContentRecord((), weeks)
    log_start = await sources.topics.first_question_at()
    windows = [around(p.published_at, weeks=weeks, log_start=log_start, end=until) for p in newest]
    table = await _counted(sources.topics, {p.entry_id for p in newest}, windows)
    asked = await _comment_questions(posts, newest, until)
    records = tuple(
        _record(post, pair, table, titles, asked)
        for post, pair in zip(newest, windows, strict=True)
    )
    return ContentRecord(records, weeks, len(published))


def around(
    at: dt.datetime, *, weeks: int, log_start: dt.datetime | None, end: dt.datetime
) -> tuple[Window, Window]:
    """The windows before and after a post at `at`: `weeks` each, cut to the data there is
    (from the log's first row to `end`)."""
    span = weeks * WEEK
    data = log_start if log_start is not None else end  # an empty log has no data at all
    first = max(at - span, data)
    before = Window(min(first, at), at, first > at - span)
    start, last = max(at, data), min(at + span, end)
    after = Window(min(start, last), last, start > at or last < at + span)
    return before, after


_Table = Mapping[str, Mapping[dt.datetime, Counts]]  # entry -> start of a stretch -> counts


async def _counted(
    topics: TopicSource, faq_ids: set[str], windows: Sequence[tuple[Window, Window]]
) -> _Table:
    """Counts per entry and stretch (the time between two neighbouring window edges)."""
    edges = sorted(
        {moment for pair in windows for w in pair if w.days > 0 for moment in (w.start, w.end)}
    )
    found: dict[str, dict[dt.datetime, Counts]] = {faq_id: {} for faq_id in faq_ids}
    # One pair of statements per stretch of time the windows cover, so gaps between
    # far-apart posts are never read and overlapping windows read each row once.
    for low, high in _spans(w for pair in windows for w in pair if w.days > 0):
        bounds = [edge for edge in edges if low <= edge <= high]
        for row in await topics.topic_counts(faq_ids, bounds):
            counts = Counts(row.answered, row.unanswered, row.unhelpful)
            found[row.faq_id][bounds[row.bucket]] = counts
    return found


def _spans(windows: Iterable[Window]) -> list[tuple[dt.datetime, dt.datetime]]:
    """The windows merged where they touch or overlap, in order."""
    merged: list[tuple[dt.datetime, dt.datetime]] = []
    for window in sorted(windows, key=lambda w: w.start):
        if merged and window.start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], window.end))
        else:
            merged.append((window.start, window.end))
    return merged


def _sum(stretches: Mapping[dt.datetime, Counts], window: Window) -> Counts:
    """The counts of the stretches inside `window` (its edges are stretch edges)."""
    inside = [counts for start, counts in stretches.items() if window.start <= start < window.end]
    return Counts(
        sum(c.answered for c in inside),
        sum(c.unanswered for c in inside),
        sum(c.unhelpful for c in inside),
    )


async def _comment_questions(
    posts: PostSource | None, published: Sequence[PublishedPost], until: dt.datetime
) -> Mapping[str, PostQuestions] | None:
    """Each post's comment questions since it went out, by media id (None: nothing logs
    comments in this configuration)."""
    if posts is None:
        return None
    oldest = min(post.published_at for post in published)
    figures = await posts.post_figures(since=oldest, until=max(until, oldest))
    return {post.post: post for post in figures.posts}


def _record(
    post: PublishedPost,
    windows: tuple[Window, Window],
    table: _Table,
    titles: Mapping[str, str],
    asked: Mapping[str, PostQuestions] | None,
) -> PostRecord:
    before, after = windows
    questions = None
    if asked is not None and post.media_id is not None:
        questions = asked.get(post.media_id, PostQuestions(post.media_id, 0, 0, 0, 0))
    return PostRecord(
        entry_id=post.entry_id,
        title=titles.get(post.entry_id, post.entry_id),
        media_id=post.media_id,
        published_at=post.published_at,
        permalink=post.permalink,
        reach=post.reach,
        saves=post.saves,
        shares=post.shares,
        comments=post.comments,
        asked=questions,
        before=before,
        after=after,
        counts_before=_sum(table[post.entry_id], before),
        counts_after=_sum(table[post.entry_id], after),
    )


def latest_by_entry(record: ContentRecord) -> dict[str, dt.datetime]:
    """When each entry was last posted about."""
    latest: dict[str, dt.datetime] = {}
    for post in record.posts:  # newest first: the first of each entry is its latest
        latest.setdefault(post.entry_id, post.published_at)
    return latest
