"""The admin reports' row types and the queries they read, shared by `bot.storage` (which
fills them) and `bot.reporting` (which turns them into text, tables and charts)."""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True, slots=True)
class Activity:
    """What happened in one period."""

    since: dt.datetime
    until: dt.datetime
    answered: int
    clarified: int
    fallback: int
    helpful: int
    unhelpful: int
    tickets_opened: int
    tickets_answered: int
    # Minutes from opening to the first officer reply, for tickets opened in the period.
    first_reply_minutes: tuple[float, ...] = ()
    # Messages handed to the officers (added to a ticket, or asking for a person).
    to_officers: int = 0

    @property
    def questions(self) -> int:
        """Every applicant message: answered, clarified, not understood or to the officers."""
        return self.answered + self.clarified + self.fallback + self.to_officers

    @property
    def median_first_reply(self) -> float | None:
        """Median minutes to the first officer reply, None when no ticket got one."""
        if not self.first_reply_minutes:
            return None
        return statistics.median(self.first_reply_minutes)


@dataclass(frozen=True, slots=True)
class EntryCount:
    """How often one entry was given as the answer, and what applicants thought of it."""

    faq_id: str
    asked: int
    helpful: int
    unhelpful: int
    # 📖 Selengkapnya taps: how often people needed more than the short answer.
    details: int = 0


@dataclass(frozen=True, slots=True)
class UnansweredRow:
    """A question the bot could not answer outright (fallback or clarify)."""

    text_redacted: str
    normalized: str
    created_at: dt.datetime
    top_candidate: str | None
    office_id: str | None = None  # the office it was asked at, when known


@dataclass(frozen=True, slots=True)
class BucketCount:
    """Applicant messages of one channel and outcome in one bucket (a day, a month)."""

    bucket: int
    channel: str
    action: str
    count: int


@dataclass(frozen=True, slots=True)
class TicketTimes:
    """When a ticket was opened, claimed and first answered, and by which officer."""

    id: int
    created_at: dt.datetime
    claimed_at: dt.datetime | None
    first_reply_at: dt.datetime | None
    closed_at: dt.datetime | None
    officer: str | None


@dataclass(frozen=True, slots=True)
class VoiceCount:
    """Complaints or suggestions ("keluhan", "saran") of one topic in one bucket (a week)."""

    bucket: int
    topic: str
    kind: str
    count: int


@dataclass(frozen=True, slots=True)
class VoiceExample:
    """One complaint or suggestion as the applicant wrote it (redacted)."""

    created_at: dt.datetime
    topic: str
    kind: str
    text_redacted: str
    faq_id: str | None  # the entry answered or first offered with it


class ReportSource(Protocol):
    """The queries the reports read; `ReportQueries` is the real one."""

    async def activity(self, *, since: dt.datetime, until: dt.datetime) -> Activity: ...

    async def top_entries(
        self, *, since: dt.datetime, until: dt.datetime, limit: int = 10
    ) -> list[EntryCount]: ...

    async def unanswered(
        self, *, since: dt.datetime, until: dt.datetime, limit: int = 2000
    ) -> list[UnansweredRow]: ...


@dataclass(frozen=True, slots=True)
class PostQuestions:
    """The comments under one of the office's posts in a period, and what they asked."""

    post: str  # the office's own media id: no applicant's id, name or comment id
    comments: int
    questions: int  # comments that asked something (answered, clarified or not understood)
    unclear: int  # of those, the ones not answered outright (clarified or not understood)
    hidden: int  # hidden for exposing personal data
    topics: tuple[tuple[str, int], ...] = ()  # entry ids and their questions, most first


@dataclass(frozen=True, slots=True)
class PostFigures:
    """A channel with posts (Instagram): questions per post, and how fast the office gave a
    first reply under comments and in direct messages (minutes, for items of the period)."""

    channel: str  # how the report names the channel ("Instagram")
    posts: tuple[PostQuestions, ...]  # most questions first
    comment_reply_minutes: tuple[float, ...] = ()
    dm_reply_minutes: tuple[float, ...] = ()

    @property
    def median_comment_reply(self) -> float | None:
        """Median minutes from a comment to the office's first reply under or about it."""
        return (
            statistics.median(self.comment_reply_minutes) if self.comment_reply_minutes else None
        )

    @property
    def median_dm_reply(self) -> float | None:
        """Median minutes from an applicant's waiting DM to the office's first reply."""
        return statistics.median(self.dm_reply_minutes) if self.dm_reply_minutes else None


class PostSource(Protocol):
    """Per-post figures of a channel with posts; the root hands in the configured one."""

    async def post_figures(self, *, since: dt.datetime, until: dt.datetime) -> PostFigures: ...


class PublishedPost(Protocol):
    """One of the office's published posts and its latest insights (None: not read yet);
    `bot.publishing`'s `PostReach` is one."""

    @property
    def entry_id(self) -> str: ...
    @property
    def media_id(self) -> str | None: ...
    @property
    def published_at(self) -> dt.datetime: ...
    @property
    def permalink(self) -> str | None: ...
    @property
    def reach(self) -> int | None: ...
    @property
    def saves(self) -> int | None: ...
    @property
    def shares(self) -> int | None: ...
    @property
    def comments(self) -> int | None: ...


class PublishedSource(Protocol):
    """The posts published in `since <= t < until`, oldest first (the publishing desk)."""

    async def published_posts(
        self, *, since: dt.datetime, until: dt.datetime
    ) -> Sequence[PublishedPost]: ...


@dataclass(frozen=True, slots=True)
class TopicCount:
    """One entry's questions in one bucket: answered with it, its 👎 on those answers, and
    the fallbacks and clarifications that ranked it first."""

    bucket: int
    faq_id: str
    answered: int
    unhelpful: int
    unanswered: int


class TopicSource(Protocol):
    """The question log around the posts (`bot.storage.report_posts.TopicQueries`)."""

    async def first_question_at(self) -> dt.datetime | None:
        """When the oldest question still in the log was asked (None: the log is empty)."""
        ...

    async def topic_counts(
        self, faq_ids: Collection[str], bounds: Sequence[dt.datetime]
    ) -> list[TopicCount]:
        """Counts of `faq_ids` per bucket i, `bounds[i] <= t < bounds[i + 1]`."""
        ...


@dataclass(frozen=True, slots=True)
class RecordSources:
    """What the content record reads; the root hands in the real ones."""

    published: PublishedSource
    topics: TopicSource
