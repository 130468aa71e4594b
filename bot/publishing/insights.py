"""Reading a published post's insights (reach, saves, shares, comments) every
`INSIGHTS_EVERY_HOURS` for `INSIGHTS_DAYS` after it went out; the latest read is kept for the
report. Each reading is booked in the database before it is made, so of several workers one
reads each post; a refused reading waits for the next booking."""

from __future__ import annotations

import logging

from bot.core.errors import DeliveryError
from bot.publishing.settings import PublishSettings
from bot.publishing.vocabulary import InsightRecords, Platform

logger = logging.getLogger(__name__)


class InsightsReader:
    """Reads the insights that are due and keeps them."""

    def __init__(
        self, records: InsightRecords, platform: Platform, settings: PublishSettings
    ) -> None:
        self._records, self._platform, self._settings = records, platform, settings

    async def read_due(self) -> int:
        """Read every post whose reading is due; how many were read."""
        read = 0
        for publication_id, media_id, published_at in await self._records.due_insights(
            every=self._settings.insights_every
        ):
            try:
                metrics = await self._platform.metrics(media_id)
                permalink = await self._platform.permalink(media_id)
            except DeliveryError as exc:
                # Missing permission (instagram_business_manage_insights) lands here too.
                logger.warning("insights of media %s not read: %s", media_id, exc)
                continue
            until = published_at + self._settings.insights_for
            await self._records.keep_insights(
                publication_id, metrics, permalink=permalink, until=until
            )
            read += 1
        return read
