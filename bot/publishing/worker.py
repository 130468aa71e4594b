"""The background round that publishes what is due, on every `serve` worker: each
publication is claimed under a lease in the database (one worker at a time; a dead worker's
claim frees when its lease ends) and taken as far as it goes (`steps`).

Before anything is made or published the account's publishing limit is read: a full one puts
the publication off (`PUBLISH_LIMIT_WAIT_MINUTES`) without counting a try. A failure is tried
again after a doubling wait, `PUBLISH_ATTEMPTS` times in all; then the publication is failed
and the admins are told. The same round reads the published posts' insights (`insights`) and
forgets the slides' expired links.
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import logging
import secrets
from collections.abc import Awaitable, Callable

from bot.core.errors import DeliveryError, StorageError
from bot.publishing import texts
from bot.publishing.insights import InsightsReader
from bot.publishing.settings import PublishSettings
from bot.publishing.steps import Clock, ContainersDied, Duties, LeaseLost, StepFailed, Steps
from bot.publishing.vocabulary import Claimed, ContainerStatus, QuotaFull, State

logger = logging.getLogger(__name__)

PER_ROUND = 10  # publications one round takes at most; the rest wait for the next minute
FORGET_LINKS_AFTER = dt.timedelta(days=1)


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Publisher:
    """Publishes due publications and reads insights, one round at a time per process."""

    def __init__(
        self,
        duties: Duties,
        insights: InsightsReader,
        settings: PublishSettings,
        *,
        alert: Callable[[str], Awaitable[None]],
        clock: Clock = utc_now,
    ) -> None:
        self._duties, self._insights, self._settings = duties, insights, settings
        self._alert, self._clock = alert, clock
        self.owner = secrets.token_hex(8)  # this process, as the leases name it
        self._steps = Steps(duties, settings, owner=self.owner, clock=clock)
        self._task: asyncio.Task[None] | None = None

    def kick(self) -> None:
        """Run a round in the background unless one is running (the tick calls this)."""
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._background(), name="publishing")

    async def stop(self) -> None:
        """End the background round; a publication it held is resumed after its lease."""
        if self._task is not None and not self._task.done():
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)

    async def round(self) -> None:
        """Publish what is due, read due insights, forget expired links."""
        await self.publish_due()
        await self._insights.read_due()
        forgotten = await self._duties.media.forget_links(
            expired_before=self._clock() - FORGET_LINKS_AFTER
        )
        if forgotten:
            logger.info("%d expired slide links forgotten", forgotten)

    async def publish_due(self) -> int:
        """Take each due publication as far as it goes; how many were taken."""
        taken = 0
        while taken < PER_ROUND:
            claimed = await self._duties.records.claim(
                owner=self.owner, lease=self._settings.lease
            )
            if claimed is None:
                break
            taken += 1
            await self._advance(claimed)
        return taken

    async def _background(self) -> None:
        try:
            await self.round()
        except Exception:  # the next tick starts another round; the records kept their state
            logger.exception("publishing round failed")

    async def _advance(self, claimed: Claimed) -> None:
        try:
            await self._go(claimed)
        except LeaseLost:
            logger.info("publication %d is no longer ours (cancelled or taken over)", claimed.id)
        except ContainersDied as exc:
            if await self._duties.records.restart(claimed, owner=self.owner):
                await self._failed(_restarted(claimed), str(exc))
        except DeliveryError as exc:
            await self._failed(claimed, _why(exc))
        except StorageError:
            # Nothing more can be recorded; the lease ends and a later round resumes.
            logger.exception("publication %d: database failed", claimed.id)

    async def _go(self, claimed: Claimed) -> None:
        settled = await self._steps.settle(claimed)
        if settled is None:
            return
        quota = await self._duties.platform.quota()
        if quota.full:
            note = texts.QUOTA_WAIT.format(used=quota.used, total=quota.total)
            await self._later(settled, self._settings.limit_wait, note, failed=False)
            logger.info("publication %d waits: publishing limit %s", claimed.id, quota)
            return
        made = await self._steps.containers(settled)
        assert made.container_id is not None
        if await self._steps.wait([made.container_id]) is ContainerStatus.PUBLISHED:
            # Out since it was settled (a worker whose lease ran out mid-call): recorded.
            await self._steps.settle(made)
            return
        await self._publish(made)

    async def _publish(self, made: Claimed) -> None:
        try:
            await self._steps.publish(made)
        except QuotaFull:  # the limit filled since it was read: not a failed try
            note = texts.QUOTA_REFUSED
            await self._later(made, self._settings.limit_wait, note, failed=False)
        except DeliveryError as exc:
            # The call may have reached the platform: the next try settles it first.
            await self._failed(dataclasses.replace(made, state=State.PUBLISHING), _why(exc))

    async def _failed(self, claimed: Claimed, reason: str) -> None:
        """Another try after a doubling wait, or, with the tries spent, the end."""
        attempts = claimed.attempts + 1
        if attempts < self._settings.attempts:
            wait = self._settings.retry_after * 2 ** (attempts - 1)
            logger.warning("publication %d failed (%s); again in %s", claimed.id, reason, wait)
            await self._later(claimed, wait, reason, failed=True)
            return
        if not await self._duties.records.give_up(claimed, owner=self.owner, note=reason):
            return
        logger.error("publication %d failed for good: %s", claimed.id, reason)
        # "Publishing" means the last publish call got no answer: it may be out already.
        unsure = claimed.state is State.PUBLISHING
        alert = texts.UNSURE_ALERT if unsure else texts.FAILED_ALERT
        text = alert.format(
            id=claimed.id, entry=claimed.entry_id, attempts=attempts, reason=reason
        )
        try:
            await self._alert(text)
        except Exception:  # the admin chat is down: the log line above and the console remain
            logger.exception("admins not told that publication %d failed", claimed.id)

    async def _later(
        self, claimed: Claimed, wait: dt.timedelta, note: str, *, failed: bool
    ) -> None:
        due = self._clock() + wait
        records = self._duties.records
        await records.later(claimed, owner=self.owner, due_at=due, note=note, failed=failed)


def _why(exc: DeliveryError) -> str:
    """The failure as admins read it: our own words, or the platform's after a prefix."""
    return str(exc) if isinstance(exc, StepFailed) else texts.PLATFORM_SAID.format(reason=exc)


def _restarted(claimed: Claimed) -> Claimed:
    """The claim as `restart` left it: scheduled, its containers forgotten."""
    return dataclasses.replace(
        claimed, state=State.SCHEDULED, children=(), container_id=None, publish_started_at=None
    )
