"""What publishing speaks: the post handed in, the publication it becomes and its states, the
platform's answers, and the roles the feature needs (the platform a channel plays, the
records storage keeps) or offers (the console's desk, the report's published posts).

A publication moves scheduled → containers (the platform's containers made; their ids kept)
→ publishing (the publish call made, its answer maybe lost) → published (the media id kept);
or ends failed (the tries spent, admins told) or cancelled (before any publish call).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from bot.core.errors import DeliveryError


class State(StrEnum):
    """Where a publication is; the first three are the worker's, the last three final."""

    SCHEDULED = "scheduled"
    CONTAINERS = "containers"
    PUBLISHING = "publishing"
    PUBLISHED = "published"
    FAILED = "failed"
    CANCELLED = "cancelled"


WORKING = (State.SCHEDULED, State.CONTAINERS, State.PUBLISHING)
CANCELLABLE = (State.SCHEDULED, State.CONTAINERS)


class ContainerStatus(StrEnum):
    """A container's `status_code`, as Instagram names it."""

    IN_PROGRESS = "IN_PROGRESS"
    FINISHED = "FINISHED"
    ERROR = "ERROR"
    EXPIRED = "EXPIRED"
    PUBLISHED = "PUBLISHED"


class InvalidPost(ValueError):
    """A post that cannot be scheduled; the message (Indonesian) is for the admin."""


class QuotaFull(DeliveryError):
    """The platform refused a publish: the account's publishing limit is reached."""


@dataclass(frozen=True, slots=True)
class Post:
    """One approved post as the content kit makes it: JPEG slides in order, the caption, the
    knowledge-base entry it is about, and optionally one alt text per slide."""

    entry_id: str
    slides: Sequence[bytes]
    caption: str
    alt_texts: Sequence[str] = ()


@dataclass(frozen=True, slots=True)
class Publication:
    """A scheduled post and how far it got, as the console lists it."""

    id: int
    entry_id: str
    caption: str
    slide_count: int
    planned_at: dt.datetime
    approved_by: str
    state: State
    attempts: int
    due_at: dt.datetime  # when the worker looks at it next (while it is working)
    note: str | None  # the latest error or wait, in words for the admins
    media_id: str | None
    permalink: str | None
    published_at: dt.datetime | None


@dataclass(frozen=True, slots=True)
class PostReach:
    """A published post and its latest insights, for the report (None: not read yet)."""

    publication_id: int
    entry_id: str
    media_id: str | None
    published_at: dt.datetime
    permalink: str | None
    reach: int | None
    saves: int | None
    shares: int | None
    comments: int | None
    read_at: dt.datetime | None


@dataclass(frozen=True, slots=True)
class Quota:
    """The account's publishing limit: posts published in the window, and how many it may."""

    used: int
    total: int

    @property
    def full(self) -> bool:
        return self.used >= self.total


@dataclass(frozen=True, slots=True)
class Metrics:
    """A post's insights as the platform offers them (None where it gave none)."""

    reach: int | None = None
    saves: int | None = None
    shares: int | None = None
    comments: int | None = None
    likes: int | None = None
    interactions: int | None = None


@dataclass(frozen=True, slots=True)
class Claimed:
    """A publication the worker holds (under its lease) with what it needs to go on."""

    id: int
    entry_id: str
    caption: str
    state: State
    attempts: int
    children: tuple[str, ...]  # the item containers made so far
    container_id: str | None  # the carousel container
    publish_started_at: dt.datetime | None


@dataclass(frozen=True, slots=True)
class Slide:
    """One stored slide."""

    position: int
    image: bytes
    alt_text: str | None


class Platform(Protocol):
    """The network side of publishing, as a channel plays it (Instagram's Graph API).

    Failures raise `DeliveryError` (its text says why, in the platform's words); a publish
    refused for the limit raises `QuotaFull`. `publish` is tried once: after a lost answer
    only the container's status tells whether it went out."""

    async def quota(self) -> Quota: ...

    async def create_item(self, image_url: str, *, alt_text: str | None) -> str: ...

    async def create_carousel(self, children: Sequence[str], caption: str) -> str: ...

    async def status(self, container_id: str) -> ContainerStatus: ...

    async def publish(self, container_id: str) -> str: ...

    async def find_media(self, caption: str, *, since: dt.datetime) -> str | None:
        """The id of the account's post with this caption published since `since`."""
        ...

    async def permalink(self, media_id: str) -> str | None: ...

    async def metrics(self, media_id: str) -> Metrics: ...


class PublicationDesk(Protocol):
    """What the console does with publications."""

    async def schedule(self, post: Post, when: dt.datetime, approved_by: str) -> int:
        """Keep `post` to be published at `when`; its publication id. InvalidPost if not."""
        ...

    async def publications(self, *, limit: int = 50) -> Sequence[Publication]:
        """The newest publications first."""
        ...

    async def publication(self, publication_id: int) -> Publication | None: ...

    async def cancel(self, publication_id: int, *, by: str) -> bool:
        """Stop a publication not yet handed to the platform's publish; False when too late."""
        ...


class PublishedPosts(Protocol):
    """What the report reads: the posts published in a period, with their reach."""

    async def published_posts(
        self, *, since: dt.datetime, until: dt.datetime
    ) -> Sequence[PostReach]: ...


class PublicationRecords(Protocol):
    """Storage's side of the desk and the worker: publications and their conditional moves
    (each holds only while `owner`'s lease does; False when it no longer does)."""

    async def add(self, post: Post, *, planned_at: dt.datetime, approved_by: str) -> int: ...

    async def listing(self, *, limit: int) -> list[Publication]: ...

    async def get(self, publication_id: int) -> Publication | None: ...

    async def cancel(self, publication_id: int, *, by: str) -> bool: ...

    async def claim(self, *, owner: str, lease: dt.timedelta) -> Claimed | None: ...

    async def made(
        self, claimed: Claimed, *, owner: str, children: Sequence[str], container_id: str | None
    ) -> bool: ...

    async def publishing(self, claimed: Claimed, *, owner: str, lease: dt.timedelta) -> bool: ...

    async def published(
        self,
        claimed: Claimed,
        *,
        owner: str,
        media_id: str | None,
        permalink: str | None,
        insights_at: dt.datetime | None,
    ) -> bool:
        """Published (the media id unknown when it could not be found): its slides go."""
        ...

    async def later(
        self, claimed: Claimed, *, owner: str, due_at: dt.datetime, note: str, failed: bool
    ) -> bool:
        """Release it until `due_at` with `note`; `failed` counts a try and, when the
        containers died, the caller has moved it back to scheduled first (`restart`)."""
        ...

    async def restart(self, claimed: Claimed, *, owner: str) -> bool:
        """Forget its containers (they failed or expired): it starts again from scheduled."""
        ...

    async def give_up(self, claimed: Claimed, *, owner: str, note: str) -> bool: ...


class MediaFiles(Protocol):
    """Storage's side of the served slides: the links handed to the platform."""

    async def slides(self, publication_id: int) -> list[Slide]: ...

    async def add_links(
        self, publication_id: int, hashes: Sequence[tuple[int, str]], *, expires_at: dt.datetime
    ) -> None: ...

    async def image(self, token_hash: str) -> bytes | None:
        """The slide a live link names; None when unknown or expired."""
        ...

    async def forget_links(self, *, expired_before: dt.datetime) -> int: ...


class InsightRecords(Protocol):
    """Storage's side of the insights: whose are due, and the latest read of each."""

    async def due_insights(self, *, every: dt.timedelta) -> list[tuple[int, str, dt.datetime]]:
        """(publication id, media id, published at) of the posts whose reading is due, each
        booked `every` later (so one worker reads each)."""
        ...

    async def keep_insights(
        self, publication_id: int, metrics: Metrics, *, permalink: str | None, until: dt.datetime
    ) -> None:
        """Store the latest read; no more readings after `until`."""
        ...
