"""The composition root: the only place that builds the concrete classes and wires them.

`running(settings, process)` opens the database, builds the stores, the core and the channels
the process runs, and yields the complete, frozen `App` (`parts`); the runners
(`bot.runtime.runners`) only start, run and stop what it holds. Per process: "chat" builds
the terminal chat, "polling" Telegram with its poller, "serve" the webhook server
(`App.asgi`) with Telegram when its token is set. WhatsApp is built in every process when
configured, so an officer's answer reaches WhatsApp whichever process handles the officer's
Telegram update. Telegram's handlers are wired in `telegram_wiring`; `rooms` routes the core's
outbound seams to whichever chats this process runs. The one-shot commands (report, kb suggest
and drafts, db purge) get their stores from `one_shot(settings)` (`one_shot.py`), which opens
and migrates the database the same way and disposes of it when the command is done.
"""

from __future__ import annotations

import datetime as dt
import logging
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import partial
from typing import Literal

from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.applications import Starlette
from starlette.routing import BaseRoute

from bot.announcements.sender import Sender
from bot.announcements.service import Announcements, Subscriptions
from bot.channels.telegram.channel import TelegramApp, build_application
from bot.channels.telegram.durable import POLL_SECONDS
from bot.channels.terminal import CHANNEL as TERMINAL
from bot.channels.terminal import TerminalChat
from bot.channels.whatsapp.api import GraphClient
from bot.channels.whatsapp.broadcast import WhatsAppBroadcaster
from bot.channels.whatsapp.channel import CHANNEL as WHATSAPP
from bot.channels.whatsapp.channel import WhatsAppApplicants, WhatsAppSender
from bot.channels.whatsapp.durable import WhatsApp, WhatsAppInbox, WhatsAppTransport
from bot.channels.whatsapp.webhook import WhatsAppWebhook
from bot.core import replies
from bot.core.conversation import Conversation
from bot.core.escalation import Escalation
from bot.core.notices import OutageBoard
from bot.core.published import office_contacts
from bot.core.turns import Options
from bot.delivery.intake import Pipeline
from bot.delivery.pipeline import Backoff
from bot.runtime.app import telegram_wiring
from bot.runtime.app.one_shot import Tools, one_shot
from bot.runtime.app.parts import App, Core, Telegram, build_matcher
from bot.runtime.app.rooms import AdminRoom, Deliveries, StaffRoom
from bot.runtime.channel_start import gated
from bot.runtime.config import Settings
from bot.runtime.health import Health
from bot.runtime.webhook import TelegramWebhook, server
from bot.storage import Store, open_database
from bot.storage.announcements import AnnouncementStore
from bot.storage.batch import BatchedLog
from bot.storage.drafts import Drafts
from bot.storage.health import DatabaseHealth
from bot.storage.notices import NoticeStore
from bot.storage.post_retries import PostRetries
from bot.storage.queue import QueueStore
from bot.storage.report_queries import ReportQueries
from bot.storage.whatsapp import WhatsAppStore
from knowledge.matcher import Matcher

__all__ = ["App", "Process", "Tools", "one_shot", "running"]

logger = logging.getLogger(__name__)

Process = Literal["chat", "polling", "serve"]


@asynccontextmanager
async def running(
    settings: Settings, process: Process, *, poll_seconds: int = POLL_SECONDS
) -> AsyncIterator[App]:
    """Load the KB, open the database (migrating it), build the process; close all on exit."""
    matcher = build_matcher(settings.faq_path)
    engine = await open_database(settings.database_url)
    app = _compose(settings, process, matcher, engine, poll_seconds)
    try:
        yield app
    finally:
        await app.announcements.sender.stop()  # before the channels and the database go
        await app.log.drain()
        if app.whatsapp is not None:
            await app.whatsapp.close()
        await app.store.close()


def _compose(
    settings: Settings, process: Process, matcher: Matcher, engine: AsyncEngine, poll_seconds: int
) -> App:
    application = None
    if process == "polling" or (process == "serve" and settings.telegram.token):
        application = build_application(settings.telegram, polling=False)
    core = _core(settings, matcher, engine, application)
    whatsapp = _whatsapp(core, engine)
    telegram = None
    if application is not None:
        poll = poll_seconds if process == "polling" else None  # else updates come by webhook
        telegram = telegram_wiring.wire(core, application, whatsapp, poll_seconds=poll)
    terminal = _terminal(core) if process == "chat" else None
    asgi = _asgi(core, telegram, whatsapp) if process == "serve" else None
    return App.of(core, whatsapp=whatsapp, telegram=telegram, terminal=terminal, asgi=asgi)


def _core(
    settings: Settings, matcher: Matcher, engine: AsyncEngine, application: TelegramApp | None
) -> Core:
    """Everything but the channels; Telegram (if run) is where officers and admins are told."""
    store, deliveries, notices = Store(engine), Deliveries(), NoticeStore(engine)
    database = DatabaseHealth(engine)
    log = BatchedLog(store, usable=database.usable)
    staff = StaffRoom(telegram_wiring.officers(settings, application, store))
    admins = AdminRoom(telegram_wiring.admin_send(settings, application))
    escalation = _escalation(settings, matcher, engine, store, staff, deliveries, admins)
    announcement_store = AnnouncementStore(engine)

    def public() -> tuple[str, ...]:
        # As the knowledge base says now: /muat_ulang may have changed the contacts.
        return office_contacts(conversation.matcher.kb)

    outage = OutageBoard(notices, public=public)
    conversation = _conversation(settings, matcher, log, escalation, outage, announcement_store)
    sender = Sender(announcement_store, deliveries)
    return Core(
        settings=settings,
        conversation=conversation,
        escalation=escalation,
        store=store,
        log=log,
        reports=ReportQueries(engine),
        outage=outage,
        notices=notices,
        announcements=Announcements(announcement_store, sender, public=public),
        health=Health(database.check),
        pipeline=_pipeline(settings, engine),
        deliveries=deliveries,
        staff=staff,
        admins=admins,
        drafts=Drafts(engine),
    )


def _conversation(
    settings: Settings,
    matcher: Matcher,
    log: BatchedLog,
    escalation: Escalation,
    outage: OutageBoard,
    announcements: AnnouncementStore,
) -> Conversation:
    return Conversation(
        matcher,
        log,
        salt=settings.salt(),
        options=_options(settings),
        escalation=escalation,
        notices=outage,
        subscriptions=Subscriptions(announcements),
    )


def _options(settings: Settings) -> Options:
    return Options(
        thresholds=settings.thresholds,
        long_chars=settings.long_message_chars,
        flood_per_minute=settings.flood_per_minute,
    )


def _escalation(
    settings: Settings,
    matcher: Matcher,
    engine: AsyncEngine,
    store: Store,
    staff: StaffRoom,
    deliveries: Deliveries,
    admins: AdminRoom,
) -> Escalation:
    hours = matcher.kb.office.hours  # how applicants are told when officers answer
    return Escalation(
        store,
        staff,
        deliveries,
        history=store,
        hours=settings.office_hours,
        applicant_hours=replies.HOURS_KNOWN.format(hours=hours)
        if hours
        else replies.HOURS_UNKNOWN,
        remind_after=dt.timedelta(minutes=settings.remind_after_minutes),
        retries=PostRetries(engine),
        alert=admins.tell,
    )


def _pipeline(settings: Settings, engine: AsyncEngine) -> Pipeline:
    """The durable inbox and outbox; each channel registers its handler and transport."""
    durability = settings.durability
    backoff = Backoff(durability.retry_first_seconds, durability.retry_max_seconds)
    return Pipeline(QueueStore(engine), backoff=backoff, lease=durability.lease_seconds)


def _whatsapp(core: Core, engine: AsyncEngine) -> WhatsApp | None:
    """The channel on the shared engine; officers hear about answers that could not go out."""
    settings = core.settings.whatsapp
    if not settings.enabled:
        return None
    client = GraphClient(settings)
    store = WhatsAppStore(engine, chat_hash=partial(core.conversation.chat_hash, WHATSAPP))
    sender = WhatsAppSender(client, store)
    applicants = WhatsAppApplicants(
        sender, store, core.store, core.staff, template=settings.template
    )
    inbox = WhatsAppInbox(core.conversation, store, core.pipeline.intake)
    core.pipeline.register(WHATSAPP, inbox.handle, WhatsAppTransport(client, store))
    core.deliveries.register(WHATSAPP, applicants)
    broadcaster = WhatsAppBroadcaster(sender, store, template=settings.template)
    core.announcements.sender.broadcasters.register(WHATSAPP, broadcaster)
    return WhatsApp(settings, store, sender, applicants, inbox, client)


def _terminal(core: Core) -> TerminalChat:
    stdin = sys.stdin
    chat = TerminalChat(
        core.conversation.handle, source=stdin.buffer, sink=sys.stdout, interactive=stdin.isatty()
    )
    core.deliveries.register(TERMINAL, chat)
    return chat


def _asgi(core: Core, telegram: Telegram | None, whatsapp: WhatsApp | None) -> Starlette:
    """/whatsapp, /telegram (503 until Telegram has started: Telegram redelivers) and
    /healthz."""
    routes: list[BaseRoute] = []
    if whatsapp is not None:
        routes += WhatsAppWebhook(core.settings.whatsapp, whatsapp.inbox).routes()
    if telegram is not None:
        application = telegram.application
        secret = core.settings.telegram.webhook_secret
        webhook = TelegramWebhook(application, secret, core.pipeline.intake)
        routes += gated(webhook.routes(), lambda: application.running)
    return server(routes, core.health)
