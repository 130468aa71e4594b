"""Publishing's parts (issue 20): the desk every process has (the console schedules and
cancels through it, the report reads the published posts' reach), and for `serve` the
slides' route and the background publisher on the first running channel that publishes
(Instagram), once `PUBLIC_BASE_URL` says where the platform fetches the slides."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Iterable

from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.routing import Route

from bot.channels.contract import RunningChannel
from bot.publishing import media
from bot.publishing.desk import Desk
from bot.publishing.insights import InsightsReader
from bot.publishing.settings import PublishSettings
from bot.publishing.steps import Duties
from bot.publishing.worker import Publisher
from bot.storage.publication_media import InsightStore, MediaStore
from bot.storage.publications import PublicationStore

logger = logging.getLogger(__name__)


def desk(engine: AsyncEngine) -> Desk:
    """Schedule, list and cancel publications; the published posts with their insights."""
    return Desk(PublicationStore(engine), InsightStore(engine))


def media_route(engine: AsyncEngine) -> Route:
    """`GET /media/<token>.jpg`: the slides at their expiring links."""
    return media.media_route(MediaStore(engine))


def publisher(
    settings: PublishSettings,
    channels: Iterable[RunningChannel],
    engine: AsyncEngine,
    *,
    alert: Callable[[str], Awaitable[None]],
) -> Publisher | None:
    """The background publisher, when a channel publishes and the slides can be fetched."""
    platform = next((c.publishing for c in channels if c.publishing is not None), None)
    if platform is None:
        return None
    if not settings.public_url:
        # Many offices use Instagram for messages alone: a note, not a warning.
        logger.info("publishing is off: PUBLIC_BASE_URL is not set")
        return None
    duties = Duties(PublicationStore(engine), MediaStore(engine), platform)
    insights = InsightsReader(InsightStore(engine), platform, settings)
    return Publisher(duties, insights, settings, alert=alert)
