"""Process entry points: the terminal chat, Telegram long polling and the webhook server
(Telegram, WhatsApp, or both). Each builds on `app.running` (the composition root) and
attaches the channels it runs.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import signal
import sys
from collections.abc import AsyncIterator, Iterator
from functools import partial

import uvicorn
from starlette.applications import Starlette
from starlette.routing import BaseRoute

from bot.channels.telegram.admin import AdminHandlers, tell_admins
from bot.channels.telegram.announce import AnnounceHandlers, TelegramBroadcaster
from bot.channels.telegram.channel import (
    CHANNEL,
    ApplicantHandlers,
    TelegramApp,
    TelegramApplicants,
    build_application,
    on_error,
)
from bot.channels.telegram.durable import POLL_SECONDS, Poller, TelegramHandler, TelegramTransport
from bot.channels.telegram.reports import ReportHandlers
from bot.channels.telegram.staff import OfficerHandlers, TelegramOfficers
from bot.channels.telegram.whatsapp_admin import FailedDeliveries
from bot.channels.terminal import TerminalChat
from bot.channels.whatsapp.webhook import WhatsAppWebhook
from bot.core.errors import ConfigError
from bot.core.vocabulary import Incoming
from bot.reporting.digest import send_if_due as send_digest
from bot.runtime.app import App, running
from bot.runtime.channel_start import gated, start_with_backoff
from bot.runtime.config import Settings, WhatsAppSettings
from bot.runtime.http_guard import http_config
from bot.runtime.webhook import TelegramWebhook, server
from bot.storage.drafts import Drafts
from knowledge.errors import KnowledgeError

logger = logging.getLogger(__name__)

TICK_SECONDS = 60.0


async def run_chat(settings: Settings) -> None:
    """The terminal chat on the configured database."""
    async with running(settings) as app:
        terminal = TerminalChat(
            app.conversation.handle,
            source=sys.stdin.buffer,
            sink=sys.stdout,
            interactive=sys.stdin.isatty(),
        )
        app.deliveries.register("terminal", terminal)
        await terminal.run()


def wire_telegram(app: App, application: TelegramApp) -> None:
    """Register every Telegram handler and let escalation reach officers and applicants.

    PTB runs the first matching handler: staff and admin commands go before the applicants'
    catch-all, which would otherwise answer "/statistik" as a question.
    """
    _wire_admins(app, application)
    _wire_officers(app, application)
    app.announcements.sender.broadcasters.register("telegram", TelegramBroadcaster(application))
    ApplicantHandlers(app.conversation).register(application)
    app.deliveries.register("telegram", TelegramApplicants(application.bot))
    application.add_error_handler(on_error)
    app.pipeline.register("telegram", TelegramHandler(application), TelegramTransport(application))


def _hash_user(app: App, uid: str) -> str:
    """Admin refusals are logged with the question log's salted hash, never the raw id."""
    return app.conversation.user_hash(Incoming("telegram", uid, uid, ""))


def _wire_admins(app: App, application: TelegramApp) -> None:
    """Statistics, reports, reload, outage notice, announcements, failed WhatsApp sends."""
    admins, zone = app.settings.telegram.admin_ids, app.settings.office_hours.zone
    hash_user = partial(_hash_user, app)
    AdminHandlers(
        admins,
        app.reports,
        reload=app.reload_knowledge,
        titles=lambda: {e.id: e.title for e in app.conversation.matcher.kb.entries},
        hours=app.settings.office_hours,
        hash_user=hash_user,
        outage=app.outage,
    ).register(application)
    ReportHandlers(
        admins,
        app.reports,
        kb=lambda: app.conversation.matcher.kb,
        zone=zone,
        remind_after=dt.timedelta(minutes=app.settings.remind_after_minutes),
        hash_user=hash_user,
    ).register(application)
    if app.whatsapp is not None:
        failed = FailedDeliveries(admins, app.whatsapp.store, zone=zone, hash_user=hash_user)
        failed.register(application)
    AnnounceHandlers(admins, app.announcements, hash_user=hash_user).register(application)
    admin_chat = app.settings.digest_chat_id or min(admins, default=None)
    if admin_chat is not None:
        app.admins.send = partial(tell_admins, application.bot, admin_chat)


def _wire_officers(app: App, application: TelegramApp) -> None:
    """The officers' group: ticket posts, claims, answers, drafts for the FAQ."""
    group = app.settings.telegram.officer_chat_id
    if group is None:
        logger.warning("TELEGRAM_OFFICER_CHAT_ID is not set: tickets are stored but not posted")
        return
    app.staff.officers = TelegramOfficers(application, group, app.store)
    drafts = Drafts.sharing(app.store)
    OfficerHandlers(
        app.escalation, group, threads=app.store, posts=app.store, drafts=drafts
    ).register(application)


async def tick(app: App, *, every: float = TICK_SECONDS) -> None:
    """Background duties, safe on every worker: reminders (leased in the database) and
    picking up a changed faq.yaml (so all workers follow a reload)."""
    while True:
        try:
            await app.escalation.remind()
            await app.escalation.repost()  # ticket posts the officers' group refused earlier
            await app.health.report()  # a lost or unwritable database is logged even unpolled
            app.announcements.sender.kick()  # resumes unfinished announcements
            app.refresh_knowledge()
            await app.alert_expired()
            await app.pipeline.store.forget_old()  # handled update keys, old failed replies
            # Reports (issue 4): the weekly digest; one worker claims it in the database.
            await send_digest(
                app.reports, app.admins.send, app.settings, app.conversation.matcher.kb
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
    async with running(settings) as app, telegram_polling(app):
        stopped = _stop_event()
        background = asyncio.create_task(tick(app, every=tick_every))
        await stopped.wait()
        background.cancel()
        await app.announcements.sender.stop()  # while Telegram can still send


@contextlib.asynccontextmanager
async def telegram_polling(app: App, *, poll_seconds: int = POLL_SECONDS) -> AsyncIterator[None]:
    """Poll Telegram into the durable inbox, handle and send, until the block ends.

    PTB's Updater is not used: it confirms updates to Telegram before they are handled. An
    unreachable API at start-up is retried in the background (the channel is "degraded").
    """
    application = build_application(app.settings.telegram, polling=False)
    wire_telegram(app, application)
    poller = Poller(
        application, app.pipeline.intake, backoff=app.pipeline.backoff, timeout=poll_seconds
    )
    async with app.pipeline.running():
        starting = asyncio.create_task(
            start_with_backoff(CHANNEL, partial(_start_telegram, application), app.health)
        )
        polling = asyncio.create_task(_poll_once_started(starting, poller))
        try:
            yield
        finally:
            polling.cancel()
            await asyncio.gather(polling, return_exceptions=True)
            await _stop_telegram(application, starting)


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
    async with running(settings) as app, serving(app) as asgi:
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
    """Start the channels `app` is configured for and yield the server's ASGI app.

    WhatsApp serves at once; Telegram starts in the background (its API may be down), and
    /telegram answers 503 until it has (Telegram redelivers those updates)."""
    routes: list[BaseRoute] = []
    if app.whatsapp is not None:
        routes += WhatsAppWebhook(app.settings.whatsapp, app.whatsapp.inbox).routes()
        app.health.channel("whatsapp", "ok")
    if not app.settings.telegram.token:
        async with app.pipeline.running():
            yield server(routes, app.health)
        return
    application = build_application(app.settings.telegram, polling=False)
    wire_telegram(app, application)
    secret = app.settings.telegram.webhook_secret
    webhook = TelegramWebhook(application, secret, app.pipeline.intake, app.store.ping)
    routes += gated(webhook.routes(), lambda: application.running)
    async with app.pipeline.running():
        starting = asyncio.create_task(
            start_with_backoff(CHANNEL, partial(_start_telegram, application), app.health)
        )
        try:
            yield server(routes, app.health)
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
