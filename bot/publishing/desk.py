"""The console's way in (`PublicationDesk`) and the report's (`PublishedPosts`): a post is
checked against Instagram's limits before it is kept, so a refusal is shown to the admin who
approved it instead of surfacing hours later as a failed publication."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from bot.publishing import texts
from bot.publishing.vocabulary import (
    InvalidPost,
    Post,
    PostReach,
    Publication,
    PublicationRecords,
    PublishedPosts,
)

# Instagram's carousel and caption limits (content publishing guide, IG User media).
MIN_SLIDES, MAX_SLIDES = 2, 10
MAX_CAPTION = 2200
MAX_HASHTAGS = 30
MAX_MENTIONS = 20
MAX_IMAGE_MIB = 8
JPEG_START = b"\xff\xd8\xff"
_HASHTAG = re.compile(r"(?<!\w)#\w")
_MENTION = re.compile(r"(?<![\w@])@[\w.]")


class Desk:
    """Schedules, lists and cancels publications; reads the published posts' reach."""

    def __init__(self, records: PublicationRecords, posts: PublishedPosts) -> None:
        self._records, self._posts = records, posts

    async def schedule(self, post: Post, when: dt.datetime, approved_by: str) -> int:
        """Keep `post` to be published at `when`; its publication id (InvalidPost if not)."""
        check(post, when, approved_by)
        return await self._records.add(post, planned_at=when, approved_by=approved_by.strip())

    async def publications(self, *, limit: int = 50) -> Sequence[Publication]:
        """The newest publications first."""
        return await self._records.listing(limit=limit)

    async def publication(self, publication_id: int) -> Publication | None:
        """One publication, or None."""
        return await self._records.get(publication_id)

    async def cancel(self, publication_id: int, *, by: str) -> bool:
        """Stop a publication before its publish call; False when it is too late or gone."""
        return await self._records.cancel(publication_id, by=by)

    async def published_posts(
        self, *, since: dt.datetime, until: dt.datetime
    ) -> Sequence[PostReach]:
        """The posts published in `since <= t < until`, with their latest insights."""
        return await self._posts.published_posts(since=since, until=until)


def check(post: Post, when: dt.datetime, approved_by: str) -> None:
    """Raise InvalidPost naming the first thing Instagram (or the desk) would refuse."""
    if not post.entry_id.strip():
        raise InvalidPost(texts.NO_ENTRY)
    if not approved_by.strip():
        raise InvalidPost(texts.NO_APPROVER)
    if when.tzinfo is None:
        raise InvalidPost(texts.NAIVE_TIME)
    _check_slides(post)
    _check_caption(post.caption)


def _check_slides(post: Post) -> None:
    count = len(post.slides)
    if not MIN_SLIDES <= count <= MAX_SLIDES:
        raise InvalidPost(texts.SLIDE_COUNT.format(low=MIN_SLIDES, high=MAX_SLIDES, count=count))
    for number, image in enumerate(post.slides, start=1):
        if not image.startswith(JPEG_START):
            raise InvalidPost(texts.NOT_JPEG.format(number=number))
        if len(image) > MAX_IMAGE_MIB * 1024 * 1024:
            raise InvalidPost(texts.TOO_LARGE.format(number=number, mib=MAX_IMAGE_MIB))
    if post.alt_texts and len(post.alt_texts) != count:
        raise InvalidPost(texts.ALT_COUNT.format(slides=count, alts=len(post.alt_texts)))


def _check_caption(caption: str) -> None:
    if not caption.strip():
        raise InvalidPost(texts.NO_CAPTION)
    if len(caption) > MAX_CAPTION:
        raise InvalidPost(texts.LONG_CAPTION.format(count=len(caption), limit=MAX_CAPTION))
    if (tags := len(_HASHTAG.findall(caption))) > MAX_HASHTAGS:
        raise InvalidPost(texts.HASHTAGS.format(count=tags, limit=MAX_HASHTAGS))
    if (mentions := len(_MENTION.findall(caption))) > MAX_MENTIONS:
        raise InvalidPost(texts.MENTIONS.format(count=mentions, limit=MAX_MENTIONS))
