"""Composition root: the only place that knows the concrete classes and wires them."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncEngine

from bot.announcements.sender import Sender
from bot.announcements.service import Announcements, Subscriptions
from bot.channels.whatsapp.broadcast import WhatsAppBroadcaster
from bot.channels.whatsapp.channel import CHANNEL as WHATSAPP
from bot.channels.whatsapp.durable import WhatsApp, build_whatsapp
from bot.core import replies as say
from bot.core.conversation import Conversation
from bot.core.escalation import Applicants, Escalation, Officers
from bot.core.notices import OutageBoard
from bot.core.turns import Options
from bot.core.vocabulary import Reply, Ticket
from bot.delivery.intake import Pipeline
from bot.delivery.pipeline import Backoff
from bot.runtime.config import Settings
from bot.runtime.health import Health
from bot.storage import Store, open_database
from bot.storage.announcements import AnnouncementStore
from bot.storage.batch import BatchedLog
from bot.storage.health import DatabaseHealth
from bot.storage.notices import NoticeStore
from bot.storage.post_retries import PostRetries
from bot.storage.queue import QueueStore
from bot.storage.report_queries import ReportQueries
from knowledge.loader import load
from knowledge.matcher import Matcher

logger = logging.getLogger(__name__)


class Deliveries:
    """Routes deliveries to the applicant's own channel; channels register as they start."""

    def __init__(self) -> None:
        self._channels: dict[str, Applicants] = {}

    def register(self, channel: str, sender: Applicants) -> None:
        """Let `sender` deliver to chats on `channel`."""
        self._channels[channel] = sender

    async def deliver(self, channel: str, chat_id: str, replies: Sequence[Reply]) -> None:
        """Send to the chat, or log that the channel is not running in this process."""
        sender = self._channels.get(channel)
        if sender is None:
            logger.warning(
                "no %s channel in this process; reply to ticket kept in the database", channel
            )
            return
        await sender.deliver(channel, chat_id, replies)


@dataclass(slots=True)
class StaffRoom:
    """Where officers are told about tickets; nothing is posted until a staff chat attaches."""

    officers: Officers | None = None

    async def post_ticket(self, ticket: Ticket, context: Sequence[str]) -> bool:
        """Announce a new ticket (or log it when no staff chat runs in this process)."""
        if self.officers is None:
            logger.info("ticket #%s opened; no staff chat in this process", ticket.id)
            return True
        return await self.officers.post_ticket(ticket, context)

    async def post_note(self, ticket: Ticket, text: str) -> None:
        """Tell the officers something about a ticket."""
        if self.officers is not None:
            await self.officers.post_note(ticket, text)


@dataclass(slots=True)
class AdminRoom:
    """Where admins are told things (the expired-entry alert); a chat attaches at start-up."""

    send: Callable[[str], Awaitable[None]] | None = None

    async def tell(self, text: str) -> None:
        """Send to the admin chat, or log when none runs in this process."""
        if self.send is None:
            logger.warning("admin alert (no admin chat in this process): %s", text)
            return
        await self.send(text)


@dataclass(frozen=True, slots=True)
class App:
    """The wired application for one process."""

    settings: Settings
    conversation: Conversation
    escalation: Escalation
    store: Store
    log: BatchedLog
    reports: ReportQueries
    outage: OutageBoard
    notices: NoticeStore
    announcements: Announcements
    health: Health
    pipeline: Pipeline
    deliveries: Deliveries = field(default_factory=Deliveries)
    staff: StaffRoom = field(default_factory=StaffRoom)
    whatsapp: WhatsApp | None = None
    admins: AdminRoom = field(default_factory=AdminRoom)

    def reload_knowledge(self) -> Matcher:
        """Load and index the KB again; a broken file raises and the old one keeps serving."""
        matcher = build_matcher(self.settings.faq_path)
        self.conversation.reload(matcher)
        return matcher

    async def alert_expired(self) -> list[str]:
        """Once a day (one worker), tell the admins which entries are past `valid_until`."""
        expired = self.conversation.matcher.kb.expired(dt.date.today())
        if not expired or not await self.notices.claim_daily("expired-entries"):
            return []
        ids = [entry.id for entry in expired]
        await self.admins.tell(say.ADMIN_EXPIRED.format(ids=", ".join(ids)))
        return ids

    def refresh_knowledge(self) -> bool:
        """Reload only if faq.yaml changed on disk (so every worker follows an edit)."""
        current = self.conversation.matcher.kb.version
        if file_version(self.settings.faq_path) == current:
            return False
        self.reload_knowledge()
        return True


def file_version(path: Path) -> str:
    """The version a knowledge base loaded from `path` would get (same hash as the loader)."""
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def build_matcher(path: Path) -> Matcher:
    """Load and index a knowledge base (raises KnowledgeError if it is broken)."""
    return Matcher(load(path))


def applicant_hours(matcher: Matcher) -> str:
    """How applicants are told when officers answer: the office's own hours, if verified."""
    hours = matcher.kb.office.hours
    return say.HOURS_KNOWN.format(hours=hours) if hours else say.HOURS_UNKNOWN


def build_pipeline(settings: Settings, engine: AsyncEngine) -> Pipeline:
    """The durable inbox and outbox; channels register their handlers and transports."""
    durability = settings.durability
    backoff = Backoff(durability.retry_first_seconds, durability.retry_max_seconds)
    return Pipeline(QueueStore(engine), backoff=backoff, lease=durability.lease_seconds)


@asynccontextmanager
async def running(settings: Settings) -> AsyncIterator[App]:
    """Open the database (migrating it), load the KB, and close everything on exit."""
    matcher = build_matcher(settings.faq_path)
    engine = await open_database(settings.database_url)
    store = Store(engine)
    database = DatabaseHealth(engine)
    log = BatchedLog(store, usable=database.usable)
    deliveries, staff, admins = Deliveries(), StaffRoom(), AdminRoom()
    escalation = Escalation(
        store,
        staff,
        deliveries,
        history=store,
        hours=settings.office_hours,
        applicant_hours=applicant_hours(matcher),
        remind_after=dt.timedelta(minutes=settings.remind_after_minutes),
        retries=PostRetries(engine),
        alert=admins.tell,
    )
    options = Options(
        thresholds=settings.thresholds,
        long_chars=settings.long_message_chars,
        flood_per_minute=settings.flood_per_minute,
    )
    notices = NoticeStore(engine)
    announcement_store = AnnouncementStore(engine)
    announcements = Announcements(announcement_store, Sender(announcement_store, deliveries))
    outage = OutageBoard(notices)
    conversation = Conversation(
        matcher,
        log,
        salt=settings.salt(),
        options=options,
        escalation=escalation,
        notices=outage,
        subscriptions=Subscriptions(announcement_store),
    )
    pipeline = build_pipeline(settings, engine)
    whatsapp = None
    if settings.whatsapp.enabled:
        # Built in every process, so an officer's answer reaches WhatsApp whichever
        # process handles the officer's Telegram update.
        whatsapp = build_whatsapp(
            settings.whatsapp,
            engine,
            conversation=conversation,
            tickets=store,
            officers=staff,
            pipeline=pipeline,
        )
        deliveries.register(WHATSAPP, whatsapp.applicants)
        broadcaster = WhatsAppBroadcaster(
            whatsapp.sender, whatsapp.store, template=settings.whatsapp.template
        )
        announcements.sender.broadcasters.register(WHATSAPP, broadcaster)
    try:
        reports = ReportQueries(engine)
        yield App(
            settings,
            conversation,
            escalation,
            store,
            log,
            reports,
            outage,
            notices,
            announcements,
            Health(database.check),
            pipeline,
            deliveries,
            staff,
            whatsapp=whatsapp,
            admins=admins,
        )
    finally:
        await announcements.sender.stop()  # before the channels and the database go
        await log.drain()
        if whatsapp is not None:
            await whatsapp.close()
        await store.close()
