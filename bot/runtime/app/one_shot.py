"""What the one-shot commands (`report`, `kb suggest`, `kb drafts|accept|reject`, `db purge`,
`admin`)
are handed: the stores they read and write, built on one engine for the command's run."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncEngine

from bot.publishing.desk import Desk
from bot.reporting.vocabulary import PostSource, RecordSources
from bot.runtime.app.publishing_wiring import desk
from bot.runtime.config import Settings
from bot.storage import open_database
from bot.storage.console import ConsoleStore
from bot.storage.drafts import Drafts
from bot.storage.evidence import EvidenceQueries
from bot.storage.purge import RetentionStore
from bot.storage.report_queries import ReportQueries


@dataclass(frozen=True, slots=True)
class Tools:
    """The stores of the one-shot commands; each command takes only the ones it uses."""

    reports: ReportQueries
    evidence: EvidenceQueries
    drafts: Drafts
    retention: RetentionStore
    console: ConsoleStore
    publications: Desk  # the published posts and their reach (the report's content record)
    posts: PostSource | None = None  # the configured channel with posts (Instagram), if any

    @property
    def record(self) -> RecordSources:
        """The report's content record: the published posts and the question log around them."""
        return RecordSources(self.publications, self.reports.topics)


@asynccontextmanager
async def one_shot(settings: Settings) -> AsyncIterator[Tools]:
    """Open the database (migrating it), build the stores; dispose of the engine on exit."""
    engine = await open_database(settings.database_url)
    try:
        yield Tools(
            reports=ReportQueries(engine),
            evidence=EvidenceQueries(engine),
            drafts=Drafts(engine),
            retention=RetentionStore(engine),
            console=ConsoleStore(engine),
            publications=desk(engine),
            posts=post_source(settings, engine),
        )
    finally:
        await engine.dispose()


def post_source(settings: Settings, engine: AsyncEngine) -> PostSource | None:
    """The per-post report figures of the first configured channel that keeps posts."""
    for listed in settings.channels:
        if listed.settings.enabled and (source := listed.channel.post_source(engine)):
            return source
    return None
