"""The composition root: the only place that builds the concrete classes and wires them.

`running(settings, process)` opens the database, builds the stores, the core and the channels
the process runs (for "serve" also the admin console, `console_wiring`, and the publisher of
the office's posts, `publishing_wiring`), and yields the complete, frozen `App` (`parts`);
the runners (`bot.runtime.runners`) only start, run and stop what it holds. Per process:
"chat" builds the terminal chat, "polling" Telegram with its poller, "serve" the webhook
server (`App.asgi`) with Telegram when its token is set. Every other channel of the list
(`bot.runtime.channels`) is built in every process when configured, so an officer's answer
reaches its applicant whichever process handles the officer's Telegram update. Telegram is
wired here itself (`telegram_wiring`): it is also the officers' and admins' room; `rooms`
routes the core's outbound seams to whichever chats this process runs. The one-shot commands
(report, kb suggest and drafts, db purge) get their stores from `one_shot(settings)`
(`one_shot.py`), which opens and migrates the database the same way and disposes of it when
the command is done.
"""

from __future__ import annotations

import datetime as dt
import logging
import sys
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from typing import Literal

from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.applications import Starlette

from bot.announcements.offices import office_names
from bot.announcements.sender import Sender
from bot.announcements.service import Announcements, Subscriptions
from bot.channels.contract import ChannelParts, RunningChannel
from bot.channels.telegram.channel import TelegramApp, build_application
from bot.channels.telegram.durable import POLL_SECONDS
from bot.channels.terminal import CHANNEL as TERMINAL
from bot.channels.terminal import TerminalChat
from bot.core import replies
from bot.core.conversation import Conversation
from bot.core.escalation import Escalation
from bot.core.notices import OutageBoard
from bot.core.offices import OfficeRouting
from bot.core.published import office_contacts
from bot.core.turns import Options
from bot.delivery.intake import Ahead, Pipeline
from bot.delivery.sending import Backoff
from bot.publishing.worker import Publisher
from bot.runtime import logs
from bot.runtime.app import console_wiring, publishing_wiring, telegram_wiring
from bot.runtime.app.one_shot import Tools, one_shot
from bot.runtime.app.parts import App, Core, Known, build_matcher, build_offices, posts_of
from bot.runtime.app.rooms import AdminRoom, Deliveries, StaffRoom
from bot.runtime.config import Settings
from bot.runtime.health import Health
from bot.runtime.webhook import server
from bot.storage import Store, open_database
from bot.storage.announcements import AnnouncementStore
from bot.storage.batch import BatchedLog
from bot.storage.chat_offices import ChatOfficeStore
from bot.storage.drafts import Drafts
from bot.storage.health import DatabaseHealth
from bot.storage.notices import NoticeStore
from bot.storage.post_retries import PostRetries
from bot.storage.queue import QueueStore
from bot.storage.report_queries import ReportQueries
from bot.storage.top_topics import TopTopicsQuery
from knowledge.matcher import Matcher
from knowledge.residence import AreaFinder

__all__ = ["App", "Process", "Tools", "one_shot", "running"]

logger = logging.getLogger(__name__)

Process = Literal["chat", "polling", "serve"]


@asynccontextmanager
async def running(
    settings: Settings, process: Process, *, poll_seconds: int = POLL_SECONDS
) -> AsyncIterator[App]:
    """Load the KB, open the database (migrating it), build the process; close all on exit."""
    matcher, offices = build_matcher(settings.faq_path), build_offices(settings)
    engine = await open_database(settings.database_url, pool_size=settings.database_pool_size)
    app = _compose(settings, process, Known(matcher, offices), engine, poll_seconds)
    try:
        yield app
    finally:
        await app.announcements.sender.stop()  # before the channels and the database go
        if app.publisher is not None:
            await app.publisher.stop()
        await app.log.drain()
        for channel in app.channels:
            await channel.close()
        await app.store.close()


def _compose(
    settings: Settings, process: Process, known: Known, engine: AsyncEngine, poll_seconds: int
) -> App:
    application = None
    if process == "polling" or (process == "serve" and settings.telegram.token):
        application = build_application(settings.telegram, polling=False)
    core = _core(settings, known, engine, application)
    channels = _listed(core, engine)
    telegram = None
    if application is not None:
        poll = poll_seconds if process == "polling" else None  # else updates come by webhook
        failed = [channel.failed for channel in channels if channel.failed is not None]
        posts = posts_of(channels)
        telegram = telegram_wiring.wire(core, application, failed, posts, poll_seconds=poll)
        channels = (*channels, telegram.running)
    terminal = _terminal(core) if process == "chat" else None
    served = _asgi(core, channels, engine) if process == "serve" else None
    # Only `serve` publishes: the platform fetches the slides from this server.
    publisher = _publisher(core, channels, engine) if process == "serve" else None
    return App.of(
        core,
        channels=channels,
        telegram=telegram,
        terminal=terminal,
        served=served,
        publisher=publisher,
    )


def _publisher(
    core: Core, channels: tuple[RunningChannel, ...], engine: AsyncEngine
) -> Publisher | None:
    settings = core.settings.publishing
    return publishing_wiring.publisher(settings, channels, engine, alert=core.admins.tell)


def _core(
    settings: Settings, known: Known, engine: AsyncEngine, application: TelegramApp | None
) -> Core:
    """Everything but the channels; Telegram (if run) is where officers and admins are told."""
    matcher, offices = known.matcher, known.offices
    store, deliveries, notices = Store(engine), Deliveries(), NoticeStore(engine)
    database = DatabaseHealth(engine)
    log = BatchedLog(store, usable=database.usable)
    staff = StaffRoom(
        telegram_wiring.officers(settings, application, store, offices),
        say=telegram_wiring.group_send(settings, application),
    )
    admins = AdminRoom(telegram_wiring.admin_send(settings, application))
    escalation = _escalation(settings, matcher, engine, store, staff, deliveries, admins)
    announcement_store = AnnouncementStore(engine)

    def public() -> tuple[str, ...]:
        # As the knowledge base says now: /muat_ulang may have changed the contacts.
        return office_contacts(conversation.matcher.kb)

    outage = OutageBoard(notices, public=public)
    sender = Sender(announcement_store, deliveries)
    subscriptions = Subscriptions(announcement_store, channels=sender.broadcasters.channels)
    routing = _routing(settings, known, engine)
    conversation = _conversation(
        settings, matcher, log, escalation, outage, subscriptions, routing
    )
    return Core(
        settings=settings,
        conversation=conversation,
        escalation=escalation,
        store=store,
        log=log,
        reports=ReportQueries(engine),
        outage=outage,
        notices=notices,
        announcements=Announcements(
            announcement_store, sender, public=public, offices=office_names(offices)
        ),
        health=Health(database.check),
        pipeline=_pipeline(settings, engine, ahead=conversation.chat_query),
        deliveries=deliveries,
        staff=staff,
        admins=admins,
        drafts=Drafts(engine),
        publications=publishing_wiring.desk(engine),
        offices=offices,
    )


def _conversation(
    settings: Settings,
    matcher: Matcher,
    log: BatchedLog,
    escalation: Escalation,
    outage: OutageBoard,
    subscriptions: Subscriptions,
    routing: OfficeRouting | None,
) -> Conversation:
    return Conversation(
        matcher,
        log,
        salt=settings.salt(),
        options=_options(settings),
        escalation=escalation,
        notices=outage,
        subscriptions=subscriptions,
        complaints=log,
        offices=routing,
        reads=log,
    )


def _routing(settings: Settings, known: Known, engine: AsyncEngine) -> OfficeRouting | None:
    """Which office serves each chat, when there is an office directory."""
    if known.offices is None:
        return None
    finder = AreaFinder(known.offices, normaliser=known.matcher.normaliser)
    store = ChatOfficeStore(engine)
    return OfficeRouting(known.offices, store, home=settings.home_office, finder=finder)


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
        officer_idle=dt.timedelta(hours=settings.ticket_idle_hours),
        unstaffed=frozenset({TERMINAL}),  # no officer can answer the terminal chat
    )


def _pipeline(settings: Settings, engine: AsyncEngine, *, ahead: Ahead) -> Pipeline:
    """The durable inbox and outbox; each channel registers its handler and transport."""
    durability = settings.durability
    backoff = Backoff(durability.retry_first_seconds, durability.retry_max_seconds)
    lease = durability.lease_seconds
    return Pipeline(QueueStore(engine), backoff=backoff, lease=lease, ahead=ahead)


def _listed(core: Core, engine: AsyncEngine) -> tuple[RunningChannel, ...]:
    """Every configured channel of the list that builds itself, on the shared engine."""
    parts = ChannelParts(
        conversation=core.conversation,
        pipeline=core.pipeline,
        deliveries=core.deliveries,
        broadcasters=core.announcements.sender.broadcasters,
        tickets=core.store,
        staff=core.staff,
        group=core.staff.tell,
        health=core.health,
        engine=engine,
        alert=core.admins.tell,
        topics=TopTopicsQuery(engine),
        mask=logs.mask_also,
    )
    built = (
        listed.channel.build(listed.settings, parts)
        for listed in core.settings.channels
        if listed.settings.enabled
    )
    return tuple(channel for channel in built if channel is not None)


def _terminal(core: Core) -> TerminalChat:
    stdin = sys.stdin
    chat = TerminalChat(
        core.conversation.handle, source=stdin.buffer, sink=sys.stdout, interactive=stdin.isatty()
    )
    core.deliveries.register(TERMINAL, chat)
    return chat


def _asgi(
    core: Core, channels: tuple[RunningChannel, ...], engine: AsyncEngine
) -> tuple[Starlette, Mapping[str, int]]:
    """The channels' routes, the slides' links (/media), the admin console under /admin and
    /healthz, and the body limit of each route."""
    routes = [route for channel in channels for route in channel.routes()]
    limits = {route.path: route.max_body for route in routes}
    console, console_limits = console_wiring.mount(core, engine, channels)
    media = publishing_wiring.media_route(engine)
    asgi = server([*(route.route for route in routes), media, console], core.health)
    return asgi, {**limits, **console_limits}
