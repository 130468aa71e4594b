"""Process entry points: the terminal chat, Telegram long polling and the webhook server
(Telegram, WhatsApp, or both). Each runs what `app.running` (the composition root) built for
it: starts the channels, runs the background duties, and stops everything on a signal.
Nothing concrete is built here.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import AsyncIterator, Iterator
from functools import partial

import uvicorn
from starlette.applications import Starlette

from bot.channels.telegram.channel import CHANNEL, TelegramApp
from bot.channels.telegram.durable import POLL_SECONDS, Poller
from bot.channels.whatsapp.settings import WhatsAppSettings
from bot.core.errors import ConfigError
from bot.reporting.digest import send_digest_if_due
from bot.runtime.app import App, running
from bot.runtime.app.feature_settings import report_settings
from bot.runtime.channel_start import start_with_backoff
from bot.runtime.config import Settings
from bot.runtime.health import Health
from bot.runtime.http_guard import http_config
from knowledge.errors import KnowledgeError

logger = logging.getLogger(__name__)

TICK_SECONDS = 60.0


async def run_chat(settings: Settings) -> None:
    """The terminal chat on the configured database."""
    async with running(settings, "chat") as app:
        assert app.terminal is not None  # built for "chat"
        await app.terminal.run()


async def tick(app: App, *, every: float = TICK_SECONDS) -> None:
    """Background duties, safe on every worker: reminders (leased in the database) and
    picking up a changed faq.yaml (so all workers follow a reload)."""
    reporting = report_settings(app.settings)
    while True:
        try:
            await app.escalation.remind()
            await app.escalation.repost()  # ticket posts the officers' group refused earlier
            app.announcements.sender.kick()  # resumes unfinished announcements
            app.refresh_knowledge()
            await app.alert_expired()
            await app.pipeline.store.forget_old()  # handled update keys, old failed replies
            # Reports (issue 4): the weekly digest; one worker claims it in the database.
            await send_digest_if_due(
                app.reports, app.admins.send, reporting, app.conversation.matcher.kb
            )
        except KnowledgeError as exc:
            logger.error("faq.yaml changed but is invalid; still serving the old one: %s", exc)
        except Exception:  # a failed round must not stop later reminders
            logger.exception("background round failed")
        await asyncio.sleep(every)


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
    application, poller = telegram.application, telegram.poller
    async with app.pipeline.running():
        starting = _start_in_background(app, application)
        polling = asyncio.create_task(_poll_once_started(starting, poller))
        try:
            yield
        finally:
            polling.cancel()
            await asyncio.gather(polling, return_exceptions=True)
            await _stop_telegram(application, starting)


def _start_in_background(app: App, application: TelegramApp) -> asyncio.Task[None]:
    start = partial(_start_telegram, application)
    return asyncio.create_task(start_with_backoff(CHANNEL, start, app.health))


async def _poll_once_started(starting: asyncio.Task[None], poller: Poller) -> None:
    await asyncio.shield(starting)
    await poller.run()


async def _start_telegram(application: TelegramApp) -> None:
    """Initialise (getMe) and start. Safe to call again after a failure."""
    await application.initialize()
    if not application.running:
        await application.start()


async def _stop_telegram(application: TelegramApp, starting: asyncio.Task[None]) -> None:
    starting.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await starting
    if application.running:
        await application.stop()
    await application.shutdown()


async def run_webhook(
    settings: Settings, *, host: str, port: int, tick_every: float = TICK_SECONDS
) -> None:
    """The webhook server until SIGINT/SIGTERM (uvicorn handles the signals)."""
    check_webhook_settings(settings)
    async with running(settings, "serve") as app, serving(app) as asgi:
        config = http_config(asgi, host=host, port=port, timeout=settings.http_timeout_seconds)
        background = asyncio.create_task(tick(app, every=tick_every))
        await GracefulServer(config).serve()
        background.cancel()
        await app.announcements.sender.stop()  # while Telegram can still send


def check_webhook_settings(settings: Settings) -> None:
    """`serve` runs Telegram, WhatsApp or both; refuse a half-configured or open webhook."""
    telegram, whatsapp = settings.telegram, settings.whatsapp
    if missing := _missing_whatsapp(whatsapp):
        raise ConfigError(f"WhatsApp is half configured; not set: {', '.join(missing)}")
    if telegram.token and not telegram.webhook_secret:
        raise ConfigError("TELEGRAM_WEBHOOK_SECRET is not set: the webhook would accept anyone")
    if not telegram.token and not whatsapp.enabled:
        raise ConfigError("serve needs TELEGRAM_BOT_TOKEN, or the WHATSAPP_* settings, or both")


def _missing_whatsapp(whatsapp: WhatsAppSettings) -> list[str]:
    required = {
        "WHATSAPP_TOKEN": bool(whatsapp.token),
        "WHATSAPP_APP_SECRET": bool(whatsapp.app_secret),
        "WHATSAPP_VERIFY_TOKEN": bool(whatsapp.verify_token),
        "WHATSAPP_PHONE_NUMBER_ID": bool(whatsapp.phone_number_id),
    }
    if not any(required.values()):
        return []
    return [name for name, given in required.items() if not given]


@contextlib.asynccontextmanager
async def serving(app: App) -> AsyncIterator[Starlette]:
    """Start the channels `app` was built with and yield the server's ASGI app.

    WhatsApp serves at once; Telegram starts in the background (its API may be down), and
    /telegram answers 503 until it has (Telegram redelivers those updates)."""
    assert app.asgi is not None  # built for "serve"
    if app.whatsapp is not None:
        app.health.channel("whatsapp", "ok")
    async with health_kept(app.health), app.pipeline.running():
        if app.telegram is None:
            yield app.asgi
            return
        application = app.telegram.application
        starting = _start_in_background(app, application)
        try:
            yield app.asgi
        finally:
            await _stop_telegram(application, starting)


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
