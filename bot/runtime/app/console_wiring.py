"""The admin console of `serve` (`bot.console`), built on the core's stores and mounted at
`/admin`. A save in the console reloads this worker's knowledge base at once; the other
workers follow within a minute (`tick` notices the changed file). Siaran and Gangguan use the
core's own announcements service and outage board, as `/umumkan` and `/gangguan` do; Konten
the content kit, the report's queries and the publishing desk, and says why this server does
not publish when it does not (decided as `publishing_wiring.publisher` decides)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.routing import Mount

from bot.channels.contract import RunningChannel
from bot.console import server
from bot.console.auth import Auth
from bot.console.editing import Editor
from bot.console.kb_file import KbFile
from bot.console.passwords import Passwords
from bot.console.queue import DraftQueue
from bot.console.settings import ConsoleSettings
from bot.console.studio import PublishingOff, Studio
from bot.console.throttle import Throttle
from bot.console.web import BODY_LIMITS, Console
from bot.console.web_notices import CHANNEL, AuditedReports
from bot.core.notices import OutageBoard
from bot.core.vocabulary import Notice
from bot.publishing.settings import PublishSettings
from bot.runtime.app.feature_settings import console_settings, content_settings
from bot.runtime.app.parts import Core
from bot.storage.console import ConsoleStore
from bot.storage.console_entries import UsageQueries
from bot.storage.console_offices import OfficeQueries
from bot.storage.console_voices import VoiceStore
from bot.storage.content_drafts import ContentDraftStore
from bot.storage.evidence import EvidenceQueries
from bot.storage.notices import NoticeStore
from knowledge.entries import KnowledgeBase
from knowledge.errors import KnowledgeError
from knowledge.loader import load
from knowledge.offices import OfficeDirectory

logger = logging.getLogger(__name__)


def mount(
    core: Core, engine: AsyncEngine, channels: Iterable[RunningChannel]
) -> tuple[Mount, Mapping[str, int]]:
    """The console's mount and the body limits of its form posts."""
    settings = console_settings(core.settings)
    knowledge = _knowledge(core, settings.faq_path)
    store = ConsoleStore(engine)
    editor = Editor(KbFile(settings.faq_path, settings.history_dir), store, loaded=_reloader(core))
    queue = DraftQueue(
        EvidenceQueries(engine),
        core.drafts,
        editor,
        store,
        matcher=lambda: core.conversation.matcher,
        min_people=settings.min_people,
        thresholds=core.settings.thresholds,
        zone=settings.zone,
    )
    console = Console(
        settings,
        _auth(store, settings),
        store,
        core.reports,
        editor,
        queue,
        knowledge,
        voices=VoiceStore(engine),
        usage=UsageQueries(engine),
        announcements=core.announcements,
        outage=_Outage(core.outage, core.notices),
        studio=_studio(core, engine, knowledge, channels),
        offices=_Offices(core.offices, OfficeQueries(engine)),
    )
    core.deliveries.register(CHANNEL, AuditedReports(store))
    return Mount("/admin", app=server.app(console)), BODY_LIMITS


def _studio(
    core: Core,
    engine: AsyncEngine,
    knowledge: Callable[[], KnowledgeBase],
    channels: Iterable[RunningChannel],
) -> Studio:
    """Konten: the kit made from the report's figures, kept words, the publishing desk."""
    drafts, settings = ContentDraftStore(engine), content_settings(core.settings)
    off = publishing_off(core.settings.publishing, channels)
    return Studio(drafts, core.publications, settings, core.reports, knowledge, off=off)


def publishing_off(
    settings: PublishSettings, channels: Iterable[RunningChannel]
) -> PublishingOff | None:
    """Why `serve` publishes no post (None: it does): no channel publishes, or the platform
    could not fetch the slides."""
    if all(channel.publishing is None for channel in channels):
        return "no-channel"
    if not settings.public_url:
        return "no-public-url"
    return None


@dataclass(frozen=True, slots=True)
class _Outage:
    """The console's `OutageNotice`: changed through the core's board, so this worker's bot
    follows at once (the others within the board's cache time), and read from the store, so
    the page and the audit log's "before" are what every worker is about to show."""

    board: OutageBoard
    store: NoticeStore

    async def current(self) -> Notice | None:
        return await self.store.get()

    async def pin(self, text: str, set_by: str) -> Notice:
        return await self.board.pin(text, set_by)

    async def clear(self) -> bool:
        return await self.board.clear()


class _Offices:
    """The console's `Offices`: the directory's names (none without offices.yaml) and the
    comparison's queries."""

    def __init__(self, directory: OfficeDirectory | None, queries: OfficeQueries) -> None:
        self._names = directory.names() if directory else {}
        self.figures = queries.figures
        self.unanswered_at = queries.unanswered_at

    def names(self) -> Mapping[str, str]:
        return self._names


def _auth(store: ConsoleStore, settings: ConsoleSettings) -> Auth:
    """Sessions and logins over the store, throttled, with argon2 passwords."""
    return Auth(
        store,
        settings.session_key,
        passwords=Passwords(),
        throttle=Throttle(settings.max_failures),
        hours=settings.session_hours,
    )


def _reloader(core: Core) -> Callable[[], None]:
    """Reload this worker's knowledge base after a write."""

    def loaded() -> None:
        try:
            core.refresh_knowledge()
        except KnowledgeError as exc:  # checked before writing: only a concurrent hand edit
            logger.error("faq.yaml changed but is invalid; still serving the old one: %s", exc)

    return loaded


def _knowledge(core: Core, path: Path) -> Callable[[], KnowledgeBase]:
    """The knowledge base as faq.yaml holds it now (what the bot serves if it is broken)."""

    def knowledge() -> KnowledgeBase:
        try:
            return load(path)
        except KnowledgeError:  # broken by hand meanwhile: show what the bot serves
            return core.conversation.matcher.kb

    return knowledge
