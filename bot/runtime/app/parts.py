"""What one process holds once `bot.runtime.app` has built it: the `App`, frozen and complete
when made (the `Core` every channel is wired to, and the channels), and the few duties it
does itself: reload the knowledge base, alert on expired entries."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import TypeVar

from starlette.applications import Starlette

from bot.announcements.service import Announcements
from bot.channels.contract import RunningChannel
from bot.channels.telegram.channel import TelegramApp
from bot.channels.telegram.durable import Poller
from bot.channels.telegram.running import TelegramRunning
from bot.channels.terminal import TerminalChat
from bot.core import replies
from bot.core.conversation import Conversation
from bot.core.errors import ConfigError
from bot.core.escalation import Escalation
from bot.core.notices import OutageBoard
from bot.delivery.intake import Pipeline
from bot.publishing.desk import Desk
from bot.publishing.worker import Publisher
from bot.reporting.vocabulary import PostSource
from bot.runtime.app.rooms import AdminRoom, Deliveries, StaffRoom
from bot.runtime.config import Settings
from bot.runtime.health import Health
from bot.storage import Store
from bot.storage.batch import BatchedLog
from bot.storage.drafts import Drafts
from bot.storage.notices import NoticeStore
from bot.storage.report_queries import ReportQueries
from knowledge.loader import load
from knowledge.matcher import Matcher
from knowledge.office_file import load_offices
from knowledge.offices import OfficeDirectory

Kind = TypeVar("Kind")


@dataclass(frozen=True, slots=True)
class Telegram:
    """The Telegram channel of one process: the PTB application, its running part (route,
    start, stop; also in `App.channels`), and the poller when updates come by long polling
    (by webhook they come through `App.asgi`)."""

    application: TelegramApp
    running: TelegramRunning
    poller: Poller | None = None


@dataclass(frozen=True, slots=True)
class Known:
    """What is read from files before anything else is built: the knowledge base (indexed)
    and the office directory."""

    matcher: Matcher
    offices: OfficeDirectory | None


@dataclass(frozen=True, slots=True)
class Core:
    """The parts every channel is wired to: the conversation, escalation, stores, pipeline."""

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
    deliveries: Deliveries
    staff: StaffRoom
    admins: AdminRoom
    drafts: Drafts
    publications: Desk  # the office's posts: scheduled, published, their reach
    offices: OfficeDirectory | None  # every office served; None: the one office of faq.yaml

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
        await self.admins.tell(replies.ADMIN_EXPIRED.format(ids=", ".join(ids)))
        return ids

    def refresh_knowledge(self) -> bool:
        """Reload only if faq.yaml changed on disk (so every worker follows an edit)."""
        current = self.conversation.matcher.kb.version
        if file_version(self.settings.faq_path) == current:
            return False
        self.reload_knowledge()
        return True


@dataclass(frozen=True, slots=True)
class App(Core):
    """The wired application for one process: the core and the channels this process runs
    (the listed ones in `channels`; Telegram and the terminal chat, when run, also by name)."""

    channels: tuple[RunningChannel, ...] = ()
    telegram: Telegram | None = None
    terminal: TerminalChat | None = None
    asgi: Starlette | None = None  # the webhook server's routes (`serve`)
    body_limits: Mapping[str, int] = field(default_factory=dict)  # per path, for the guard
    publisher: Publisher | None = None  # `serve` with a channel that publishes (Instagram)

    @classmethod
    def of(
        cls,
        core: Core,
        *,
        channels: tuple[RunningChannel, ...],
        telegram: Telegram | None,
        terminal: TerminalChat | None,
        served: tuple[Starlette, Mapping[str, int]] | None,
        publisher: Publisher | None = None,
    ) -> App:
        """The app made of `core` and the channels built on it; `served` is the webhook
        server's app and its body limits, when this process serves."""
        parts = {part.name: getattr(core, part.name) for part in fields(Core)}
        asgi, limits = served if served is not None else (None, {})
        return cls(
            **parts,
            channels=channels,
            telegram=telegram,
            terminal=terminal,
            asgi=asgi,
            body_limits=limits,
            publisher=publisher,
        )

    def channel(self, kind: type[Kind]) -> Kind | None:
        """The running channel of type `kind`, if this process runs it."""
        found = [channel for channel in self.channels if isinstance(channel, kind)]
        return found[0] if found else None

    @property
    def posts(self) -> PostSource | None:
        """The per-post figures of the reports (see `posts_of`)."""
        return posts_of(self.channels)


def posts_of(channels: Iterable[RunningChannel]) -> PostSource | None:
    """The per-post figures of the first channel run here that has posts (Instagram): what
    /laporan and the weekly digest add; None when no such channel runs."""
    return next((channel.posts for channel in channels if channel.posts is not None), None)


def file_version(path: Path) -> str:
    """The version a knowledge base loaded from `path` would get (same hash as the loader)."""
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def build_matcher(path: Path) -> Matcher:
    """Load and index a knowledge base (raises KnowledgeError if it is broken)."""
    return Matcher(load(path))


def build_offices(settings: Settings) -> OfficeDirectory | None:
    """The office directory when `settings.offices_path` exists (raises KnowledgeError if it
    is broken, ConfigError if a setting names an office it does not have)."""
    if not settings.offices_path.is_file():
        if settings.home_office is None:
            raise ConfigError(f"OFFICE=ask needs the office directory {settings.offices_path}")
        return None
    directory = load_offices(settings.offices_path)
    telegram = settings.telegram
    named: dict[str, set[str]] = {
        "OFFICE": {settings.home_office} if settings.home_office else set(),
        "TELEGRAM_OFFICE_GROUPS": set(telegram.office_groups),
        "TELEGRAM_OFFICE_ADMINS": set(telegram.office_admins),
    }
    for setting, offices in named.items():
        if unknown := sorted(o for o in offices if directory.get(o) is None):
            known = ", ".join(office.id for office in directory.offices)
            raise ConfigError(f"{setting}: no office {', '.join(unknown)} (known: {known})")
    return directory
