"""Telegram as a running channel of `serve` and `telegram`: the /telegram route, answering 503
until the Bot API has answered `getMe` (Telegram redelivers), and the start that keeps
retrying an unreachable API in the background while the other channels serve."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Sequence

from bot.channels.contract import FailedSource, HealthBoard, WebRoute
from bot.channels.starting import gated, start_with_backoff
from bot.channels.telegram.channel import CHANNEL, TelegramApp
from bot.channels.telegram.webhook import TelegramWebhook
from bot.core.secret import Secret
from bot.delivery.intake import Intake
from bot.publishing.vocabulary import Platform
from bot.reporting.vocabulary import PostSource


class TelegramRunning:
    """`RunningChannel` for Telegram (the PTB application, built with `updater(None)`)."""

    name = CHANNEL
    failed: FailedSource | None = None  # Telegram sends are retried, never given up on here
    posts: PostSource | None = None  # no posts of the office's: no per-post figures
    publishing: Platform | None = None  # the office publishes no posts to Telegram

    def __init__(
        self, application: TelegramApp, secret: Secret, intake: Intake, health: HealthBoard
    ) -> None:
        self.application = application
        self._webhook = TelegramWebhook(application, secret, intake)
        self._health = health
        self._starting: asyncio.Task[None] | None = None

    def routes(self) -> Sequence[WebRoute]:
        """/telegram, refused with 503 until the application runs."""
        application = self.application
        routes = gated(self._webhook.routes(), lambda: application.running)
        return [WebRoute(route) for route in routes]

    async def start(self) -> None:
        """Start in the background: `getMe` is retried until the API answers."""
        self._starting = asyncio.create_task(
            start_with_backoff(CHANNEL, self._start, self._health)
        )

    async def started(self) -> None:
        """Wait until the application has started (the poller waits for this)."""
        assert self._starting is not None, "start() first"
        await asyncio.shield(self._starting)

    async def stop(self) -> None:
        """Give up starting, or stop the application; then shut it down."""
        if self._starting is not None:
            self._starting.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._starting
        if self.application.running:
            await self.application.stop()
        await self.application.shutdown()

    async def close(self) -> None:
        """Nothing left: PTB's connections close in `stop`."""

    async def upkeep(self) -> None:
        """Nothing periodic: the core's own loop reminds and reposts."""

    async def _start(self) -> None:
        """Initialise (getMe) and start. Safe to call again after a failure."""
        await self.application.initialize()
        if not self.application.running:
            await self.application.start()
