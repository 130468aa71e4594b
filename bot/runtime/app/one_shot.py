"""What the one-shot commands (`report`, `kb suggest`, `kb drafts|accept|reject`, `db purge`)
are handed: the stores they read and write, built on one engine for the command's run."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from bot.runtime.config import Settings
from bot.storage import open_database
from bot.storage.drafts import Drafts, EvidenceQueries
from bot.storage.purge import RetentionStore
from bot.storage.report_queries import ReportQueries


@dataclass(frozen=True, slots=True)
class Tools:
    """The stores of the one-shot commands; each command takes only the ones it uses."""

    reports: ReportQueries
    evidence: EvidenceQueries
    drafts: Drafts
    retention: RetentionStore


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
        )
    finally:
        await engine.dispose()
