"""Process entry points: the terminal chat, Telegram long polling and the webhook server
(any mix of the listed channels, `bot.runtime.channels`). Each runs what `app.running` (the
composition root) built for it: starts the channels, runs the background duties, and stops
everything on a signal. Nothing concrete is built here.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import AsyncIterator, Callable, Coroutine, Iterator, Mapping, Sequence
from typing import Any

import uvicorn
from starlette.applications import Starlette

from bot.channels.contract import RunningChannel
from bot.channels.telegram.durable import POLL_SECONDS, Poller
from bot.channels.telegram.running import TelegramRunning
from bot.core.errors import ConfigError
from bot.reporting.digest import Tell, send_digest_if_due, send_office_digests_if_due
from bot.reporting.settings import ReportSettings
from bot.reporting.vocabulary import RecordSources
from bot.runtime.app import App, running, telegram_wiring
from bot.runtime.app.feature_settings import report_settings
from bot.runtime.config import Settings
from bot.runtime.health import Health
from bot.runtime.http_guard import http_config
from knowledge.errors import KnowledgeError

logger = logging.getLogger(__name__)

TICK_SECONDS = 60.0


def run_loop(main: Coroutine[Any, Any, None], *, fast: bool) -> None:
    """Run a long-lived process's `main`; `fast`: on uvloop where it is installed (a tenth
    to a fifth less CPU per webhook request and per API call, benchmarks/http_stack.py).
    The terminal chat has no load to speak of and keeps the standard loop."""
    with asyncio.Runner(loop_factory=_fast_loop() if fast else None) as runner:
        runner.run(main)


def _fast_loop() -> Callable[[], asyncio.AbstractEventLoop] | None:
    try:
        import uvloop
    except ImportError:  # not installed on Windows (pyproject.toml): the standard loop
        return None
    return uvloop.new_event_loop


async def run_chat(settings: Settings) -> None:
    """The terminal chat on the configured database."""
    async with running(settings, "chat") as app:
        assert app.terminal is not None  # built for "chat"
        await app.terminal.run()


async def tick(app: App, *, every: float = TICK_SECONDS) -> None:
    """Background duties, safe on every worker: reminders (leased in the database) and
    picking up a changed faq.yaml (so all workers follow a reload)."""
    reporting = report_settings(app.settings, app.offices)
    application = app.telegram.application if app.telegram else None
    office_admins = telegram_wiring.office_admin_sends(app.settings, application)
    while True:
        try:
            await app.escalation.remind()
            await app.escalation.repost()  # ticket posts the officers' group refused earlier
            app.announcements.sender.kick()  # resumes unfinished announcements
            app.refresh_knowledge()
            await app.alert_expired()
            await upkeep(app.channels)  # each channel's own duties (Instagram's token)
            if app.publisher is not None:  # the office's due posts and their insights
                app.publisher.kick()
            await app.pipeline.store.forget_old()  # handled update keys, old failed replies
            await digests(app, reporting, office_admins)
        except KnowledgeError as exc:
            logger.error("faq.yaml changed but is invalid; still serving the old one: %s", exc)
        except Exception:  # a failed round must not stop later reminders
            logger.exception("background round failed")
        await asyncio.sleep(every)


async def digests(app: App, reporting: ReportSettings, office_admins: Mapping[str, Tell]) -> None:
    """The weekly digests (issue 4): every office's to the admin chat, and each office's own
    to its office admins privately (issue 21); each is claimed by one worker in the database."""
    kb = app.conversation.matcher.kb
    await send_digest_if_due(
        app.reports,
        app.admins.send,
        reporting,
        kb,
        posts=app.posts,  # per-post figures, when a channel with posts runs here
        record=RecordSources(app.publications, app.reports.topics),
    )
    await send_office_digests_if_due(app.reports, office_admins, reporting, kb)


async def upkeep(channels: Sequence[RunningChannel]) -> None:
    """Each channel's periodic duties; one channel's failure does not skip the others."""
    for channel in channels:
        try:
            await channel.upkeep()
        except Exception:
            logger.exception("%s upkeep failed", channel.name)


def _require_token(settings: Settings) -> None:
    if not settings.telegram.token:
        raise ConfigError("TELEGRAM_BOT_TOKEN is not set")


async def run_polling(settings: Settings, *, tick_every: float = TICK_SECONDS) -> None:
    """Telegram long polling until SIGINT/SIGTERM; an unreachable API is retried, not fatal."""
    _require_token(settings)
    async with polling(settings) as app:
        stopped = _stop_event()
        background = asyncio.create_task(tick(app, every=tick_every))
        await stopped.wait()
        background.cancel()
        await app.announcements.sender.stop()  # while Telegram can still send


@contextlib.asynccontextmanager
async def polling(settings: Settings, *, poll_seconds: int = POLL_SECONDS) -> AsyncIterator[App]:
    """`python -m bot telegram` without its background duties, until the block ends."""
    async with (
        running(settings, "polling", poll_seconds=poll_seconds) as app,
        health_kept(app.health),  # a lost or unwritable database is logged even unpolled
        telegram_polling(app),
    ):
        yield app


@contextlib.asynccontextmanager
async def health_kept(health: Health) -> AsyncIterator[None]:
    """The database check's own upkeep loop (`Health.keep_fresh`) for the block, its first
    result in before the block starts."""
    await health.refresh()
    keeping = asyncio.create_task(health.keep_fresh())
    try:
        yield
    finally:
        keeping.cancel()
        await asyncio.gather(keeping, return_exceptions=True)


@contextlib.asynccontextmanager
async def telegram_polling(app: App) -> AsyncIterator[None]:
    """Poll Telegram into the durable inbox, handle and send, until the block ends.

    PTB's Updater is not used: it confirms updates to Telegram before they are handled. An
    unreachable API at start-up is retried in the background (the channel is "degraded").
    """
    telegram = app.telegram  # built for "polling", with a poller
    assert telegram is not None
    assert telegram.poller is not None
    await telegram.running.start()
    try:
        # The inbox worker stops first (its updates in hand finish within their grace) while
        # Telegram can still send: a send cut off by the channel stopping would drop its update.
        async with app.pipeline.running():
            polling = asyncio.create_task(_poll_once_started(telegram.running, telegram.poller))
            try:
                yield
            finally:
                polling.cancel()
                await asyncio.gather(polling, return_exceptions=True)
    finally:
        await telegram.running.stop()


async def _poll_once_started(running: TelegramRunning, poller: Poller) -> None:
    await running.started()
    await poller.run()


async def run_webhook(
    settings: Settings, *, host: str, port: int, tick_every: float = TICK_SECONDS
) -> None:
    """The webhook server until SIGINT/SIGTERM (uvicorn handles the signals)."""
    check_webhook_settings(settings)
    async with running(settings, "serve") as app, serving(app) as asgi:
        timeout, limits = settings.http_timeout_seconds, app.body_limits
        config = http_config(asgi, host=host, port=port, timeout=timeout, limits=limits)
        background = asyncio.create_task(tick(app, every=tick_every))
        await GracefulServer(config).serve()
        background.cancel()
        await app.announcements.sender.stop()  # while Telegram can still send


def check_webhook_settings(settings: Settings) -> None:
    """`serve` runs any mix of the listed channels, or none (then the admin console alone);
    refuse a half-configured one, naming what is missing."""
    for listed in settings.channels:
        if missing := listed.settings.missing():
            name = listed.channel.name
            raise ConfigError(f"{name} is half configured; not set: {', '.join(missing)}")
    if not any(listed.settings.enabled for listed in settings.channels):
        logger.info("no channel configured: serving the admin console (/admin/) alone")


@contextlib.asynccontextmanager
async def serving(app: App) -> AsyncIterator[Starlette]:
    """Start the channels `app` was built with and yield the server's ASGI app.

    A channel whose API is down starts in the background (Telegram: /telegram answers 503
    until it has, and Telegram redelivers those updates); the others serve at once."""
    assert app.asgi is not None  # built for "serve"
    async with health_kept(app.health):
        for channel in app.channels:
            await channel.start()
        try:
            # Inside the channels, as for polling: updates in hand finish while they can send.
            async with app.pipeline.running():
                yield app.asgi
        finally:
            for channel in reversed(app.channels):
                await channel.stop()


class GracefulServer(uvicorn.Server):
    """uvicorn re-raises SIGTERM after shutting down, which ends the process with -15 before
    our own clean-up; here the signal only asks the server to stop."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        loop = asyncio.get_running_loop()
        for name in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(name, self.handle_exit, name, None)
        try:
            yield
        finally:
            for name in (signal.SIGINT, signal.SIGTERM):
                loop.remove_signal_handler(name)


def _stop_event() -> asyncio.Event:
    """An event set by SIGINT or SIGTERM."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for name in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(name, stop.set)
    return stop
