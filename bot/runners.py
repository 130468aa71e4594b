"""Process entry points: the terminal chat, Telegram long polling and the webhook server.

Each builds on `app.running` (the composition root) and attaches the channels it runs.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import sys
from collections.abc import Iterator
from functools import partial

import uvicorn
from telegram import Update

from bot.app import App, running
from bot.channels.telegram import (
    ApplicantHandlers,
    TelegramApp,
    TelegramApplicants,
    build_application,
    on_error,
)
from bot.channels.telegram_admin import AdminHandlers, tell_admins
from bot.channels.telegram_staff import OfficerHandlers, TelegramOfficers
from bot.channels.terminal import TerminalChat
from bot.config import Settings
from bot.errors import ConfigError
from bot.model import Incoming
from bot.storage.drafts import Drafts
from bot.webhook import TelegramWebhook
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
    """Register every Telegram handler and let escalation reach officers and applicants."""
    telegram = app.settings.telegram
    # PTB runs the first matching handler: staff and admin commands go before the applicants'
    # catch-all, which would otherwise answer "/statistik" as a question.
    AdminHandlers(
        telegram.admin_ids,
        app.reports,
        reload=app.reload_knowledge,
        titles=lambda: {e.id: e.title for e in app.conversation.matcher.kb.entries},
        hours=app.settings.office_hours,
        hash_user=lambda uid: app.conversation.user_hash(Incoming("telegram", uid, uid, "")),
        outage=app.outage,
    ).register(application)
    admin_chat = app.settings.digest_chat_id or min(telegram.admin_ids, default=None)
    if admin_chat is not None:
        app.admins.send = partial(tell_admins, application.bot, admin_chat)
    if telegram.officer_chat_id is not None:
        app.staff.officers = TelegramOfficers(application, telegram.officer_chat_id, app.store)
        officers = OfficerHandlers(
            app.escalation, telegram.officer_chat_id, drafts=Drafts.sharing(app.store)
        )
        officers.register(application)
    else:
        logger.warning("TELEGRAM_OFFICER_CHAT_ID is not set: tickets are stored but not posted")
    ApplicantHandlers(app.conversation).register(application)
    app.deliveries.register("telegram", TelegramApplicants(application.bot))
    application.add_error_handler(on_error)


async def tick(app: App, *, every: float = TICK_SECONDS) -> None:
    """Background duties, safe on every worker: reminders (leased in the database) and
    picking up a changed faq.yaml (so all workers follow a reload)."""
    while True:
        try:
            await app.escalation.remind()
            app.refresh_knowledge()
            await app.alert_expired()
        except KnowledgeError as exc:
            logger.error("faq.yaml changed but is invalid; still serving the old one: %s", exc)
        except Exception:  # a failed round must not stop later reminders
            logger.exception("background round failed")
        await asyncio.sleep(every)


def _require_token(settings: Settings) -> None:
    if not settings.telegram.token:
        raise ConfigError("TELEGRAM_BOT_TOKEN is not set")


async def run_polling(settings: Settings, *, tick_every: float = TICK_SECONDS) -> None:
    """Telegram long polling until SIGINT/SIGTERM."""
    _require_token(settings)
    async with running(settings) as app:
        application = build_application(settings.telegram, polling=True)
        wire_telegram(app, application)
        async with application:
            await application.start()
            assert application.updater is not None
            await application.updater.start_polling(allowed_updates=Update.ALL_TYPES)
            background = asyncio.create_task(tick(app, every=tick_every))
            await _until_stopped()
            background.cancel()
            await application.updater.stop()
            await application.stop()


async def run_webhook(
    settings: Settings, *, host: str, port: int, tick_every: float = TICK_SECONDS
) -> None:
    """The webhook server until SIGINT/SIGTERM (uvicorn handles the signals)."""
    _require_token(settings)
    if not settings.telegram.webhook_secret:
        raise ConfigError("TELEGRAM_WEBHOOK_SECRET is not set: the webhook would accept anyone")
    async with running(settings) as app:
        application = build_application(settings.telegram, polling=False)
        wire_telegram(app, application)
        webhook = TelegramWebhook(
            application, settings.telegram.webhook_secret, app.store, app.store.ping
        )
        config = uvicorn.Config(
            webhook.asgi(), host=host, port=port, log_level="warning", lifespan="off"
        )
        async with application:
            await application.start()
            background = asyncio.create_task(tick(app, every=tick_every))
            await GracefulServer(config).serve()
            background.cancel()
            await application.stop()


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


async def _until_stopped() -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for name in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(name, stop.set)
    await stop.wait()
