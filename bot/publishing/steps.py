"""One publication's way through the platform, each step kept in the records before the next:
links for the slides, an item container per slide, the carousel container, the wait for
them, then the one publish call.

What makes a post go out once: the containers' ids are stored as soon as they exist, so a
worker that resumes uses them instead of making new ones; the state moves to "publishing"
(conditionally on this worker's lease) before the publish call; and a publication found in
"publishing" is published again only when the platform says its container is not
(`settle`: PUBLISHED means it went out, and its media id is looked up instead).
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from bot.core.errors import DeliveryError
from bot.publishing import texts
from bot.publishing.media import new_link
from bot.publishing.settings import PublishSettings
from bot.publishing.vocabulary import (
    Claimed,
    ContainerStatus,
    MediaFiles,
    Platform,
    PublicationRecords,
    State,
)

logger = logging.getLogger(__name__)
Clock = Callable[[], dt.datetime]
# The platform's clock and ours may differ; a post found up to this much before our publish
# call is still ours.
SKEW = dt.timedelta(minutes=5)
DEAD = (ContainerStatus.ERROR, ContainerStatus.EXPIRED)
FIRST_POLL = 0.25  # seconds; doubling up to PublishSettings.poll_seconds


class LeaseLost(Exception):
    """The publication is no longer this worker's: its lease ran out or it was cancelled."""


class StepFailed(DeliveryError):
    """A step failed for a reason publishing words itself (Indonesian, for the admins)."""


class ContainersDied(StepFailed):
    """A container failed or expired: the post starts again with new ones."""


class StillProcessing(StepFailed):
    """The platform had not finished the containers in time; they are waited for again."""


@dataclass(frozen=True, slots=True)
class Duties:
    """What the worker works with: the records, the slides and the platform."""

    records: PublicationRecords
    media: MediaFiles
    platform: Platform


class Steps:
    """The platform's steps for the publications one worker holds."""

    def __init__(
        self, duties: Duties, settings: PublishSettings, *, owner: str, clock: Clock
    ) -> None:
        self._duties, self._settings, self._owner, self._clock = duties, settings, owner, clock

    async def settle(self, claimed: Claimed) -> Claimed | None:
        """For a publication with a carousel container: None when it is published already
        (recorded now), else the publication to go on with."""
        if claimed.container_id is None:
            return claimed
        status = await self._duties.platform.status(claimed.container_id)
        if status is ContainerStatus.PUBLISHED:
            await self._found(claimed)
            return None
        if status in DEAD:
            raise ContainersDied(texts.CONTAINER_FAILED.format(status=status.value))
        return dataclasses.replace(claimed, state=State.CONTAINERS)

    async def containers(self, claimed: Claimed) -> Claimed:
        """The item containers (made now unless stored) and the carousel container."""
        if claimed.state is State.SCHEDULED:
            claimed = await self._items(claimed)
        if claimed.container_id is None:
            await self.wait(claimed.children)
            caption = claimed.caption
            container = await self._duties.platform.create_carousel(claimed.children, caption)
            await self._kept(claimed, children=claimed.children, container=container)
            claimed = dataclasses.replace(claimed, container_id=container)
        return claimed

    async def wait(self, containers: Sequence[str]) -> ContainerStatus:
        """Until each container is FINISHED (or published: the last one's status says which);
        ContainersDied when one failed."""
        deadline = asyncio.get_running_loop().time() + self._settings.processing.total_seconds()
        status = ContainerStatus.FINISHED
        for container in containers:
            polls = 0
            while True:
                status = await self._duties.platform.status(container)
                if status in (ContainerStatus.FINISHED, ContainerStatus.PUBLISHED):
                    break
                if status in DEAD:
                    raise ContainersDied(texts.CONTAINER_FAILED.format(status=status.value))
                if asyncio.get_running_loop().time() >= deadline:
                    raise StillProcessing(texts.STILL_PROCESSING)
                # An image is usually ready within a second: ask soon, then less often.
                await asyncio.sleep(min(FIRST_POLL * 2**polls, self._settings.poll_seconds))
                polls += 1
        return status

    async def publish(self, claimed: Claimed) -> None:
        """The one publish call, after the state says so; then the post as published."""
        assert claimed.container_id is not None  # made by `containers`
        records = self._duties.records
        if not await records.publishing(claimed, owner=self._owner, lease=self._settings.lease):
            raise LeaseLost
        media_id = await self._duties.platform.publish(claimed.container_id)
        logger.info("publication %d published as media %s", claimed.id, media_id)
        await self._done(claimed, media_id)

    async def _items(self, claimed: Claimed) -> Claimed:
        slides = await self._duties.media.slides(claimed.id)
        if not slides:
            raise StepFailed(texts.NO_SLIDES)
        links = [new_link(self._settings.public_url) for _ in slides]
        expires = self._clock() + self._settings.link_lifetime
        hashes = [(s.position, digest) for s, (_, digest) in zip(slides, links, strict=True)]
        await self._duties.media.add_links(claimed.id, hashes, expires_at=expires)
        platform = self._duties.platform
        children = tuple(
            [
                await platform.create_item(url, alt_text=slide.alt_text)
                for slide, (url, _) in zip(slides, links, strict=True)
            ]
        )
        await self._kept(claimed, children=children, container=None)
        return dataclasses.replace(claimed, state=State.CONTAINERS, children=children)

    async def _kept(
        self, claimed: Claimed, *, children: Sequence[str], container: str | None
    ) -> None:
        records, owner = self._duties.records, self._owner
        if not await records.made(claimed, owner=owner, children=children, container_id=container):
            raise LeaseLost

    async def _found(self, claimed: Claimed) -> None:
        """The container went out before this worker knew (an answer lost, a crash): the
        post's media id is looked up by its caption, from a little before the publish."""
        started = claimed.publish_started_at or self._clock()
        platform = self._duties.platform
        media_id = await platform.find_media(claimed.caption, since=started - SKEW)
        if media_id is None:
            logger.warning("publication %d was published; its media id was not found", claimed.id)
        else:
            logger.info("publication %d had been published as media %s", claimed.id, media_id)
        await self._done(claimed, media_id)

    async def _done(self, claimed: Claimed, media_id: str | None) -> None:
        permalink = None
        if media_id is not None:
            try:
                permalink = await self._duties.platform.permalink(media_id)
            except DeliveryError as exc:  # read again with the insights
                logger.info("permalink of media %s not read: %s", media_id, exc)
        insights_at = self._clock() + self._settings.insights_every if media_id else None
        records = self._duties.records
        if not await records.published(
            claimed,
            owner=self._owner,
            media_id=media_id,
            permalink=permalink,
            insights_at=insights_at,
        ):
            # Published all the same; whoever holds it now finds it PUBLISHED and records it.
            raise LeaseLost
