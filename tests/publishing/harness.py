"""A publishing rig on the test database: the fake Graph API (publishing included), the
slides' route served on loopback (so the fake fetches them over HTTP), a hand-moved clock
shared by the stores, the workers and the fake, and workers made on demand (each a new
instance, as another process would hold)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from fakes.instagram_api import FakeInstagram
from fakes.loopback import LoopbackServer
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.applications import Starlette

from bot.channels.instagram.api import InstagramClient
from bot.channels.instagram.publishing import InstagramPublishing
from bot.channels.instagram.settings import InstagramSettings
from bot.channels.meta import Retries
from bot.core.secret import Secret
from bot.publishing.desk import Desk
from bot.publishing.insights import InsightsReader
from bot.publishing.media import media_route, new_link
from bot.publishing.settings import PublishSettings
from bot.publishing.steps import Duties
from bot.publishing.vocabulary import Post, Publication
from bot.publishing.worker import Publisher
from bot.storage.publication_media import InsightStore, MediaStore
from bot.storage.publications import PublicationStore

CAPTION = (
    "Biaya paspor sekarang berapa? 🤔\nPaspor 48 halaman Rp350.000, elektronik Rp650.000.\n"
    "Tanya lewat DM atau komentar ya 🙏\nKontak: 0812-0000-0000 #paspor #imigrasi"
)
FAST = PublishSettings(
    attempts=3,
    retry_after=dt.timedelta(minutes=1),
    limit_wait=dt.timedelta(minutes=30),
    lease=dt.timedelta(minutes=10),
    poll_seconds=0.01,
    processing=dt.timedelta(seconds=3),
)


def jpeg(number: int) -> bytes:
    """Bytes that start and end like a JPEG (the fake checks the start, as Meta's fetch)."""
    return b"\xff\xd8\xff\xe0" + f"slide {number}".encode() + os.urandom(256) + b"\xff\xd9"


def post(*, slides: int = 3, entry: str = "biaya-paspor", caption: str = CAPTION) -> Post:
    alts = tuple(f"Slide {n}: langkah {n}" for n in range(1, slides + 1))
    return Post(entry, tuple(jpeg(n) for n in range(slides)), caption, alts)


class Clock:
    """The time the stores and workers see; moving it moves the fake's clock too."""

    def __init__(self, graph: FakeInstagram) -> None:
        self.now = dt.datetime.now(dt.UTC)
        self._graph = graph

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        step = dt.timedelta(**delta)
        self.now += step
        self._graph.clock_offset += step.total_seconds()


@dataclass
class Rig:
    engine: AsyncEngine
    graph: FakeInstagram
    clock: Clock
    client: InstagramClient
    settings: PublishSettings
    alerts: list[str] = field(default_factory=list)

    @property
    def desk(self) -> Desk:
        return Desk(self._store(PublicationStore), self._store(InsightStore))

    def worker(self, *, engine: AsyncEngine | None = None, **changes: Any) -> Publisher:
        """A new worker (as another process would run), on `engine` or the rig's."""
        engine = engine or self.engine
        settings = dataclasses.replace(self.settings, **changes)
        platform = InstagramPublishing(self.client)
        duties = Duties(
            PublicationStore(engine, clock=self.clock),
            MediaStore(engine, clock=self.clock),
            platform,
        )
        insights = InsightsReader(InsightStore(engine, clock=self.clock), platform, settings)
        return Publisher(duties, insights, settings, alert=self._alert, clock=self.clock)

    def reader(self) -> InsightsReader:
        """An insights reader as a worker has one."""
        platform = InstagramPublishing(self.client)
        return InsightsReader(InsightStore(self.engine, clock=self.clock), platform, self.settings)

    async def schedule(self, *, when: dt.datetime | None = None, **shape: Any) -> int:
        planned = self.clock.now if when is None else when
        return await self.desk.schedule(post(**shape), planned, "admin.kanim")

    async def publication(self, publication_id: int) -> Publication:
        found = await self.desk.publication(publication_id)
        assert found is not None
        return found

    async def _alert(self, text: str) -> None:
        self.alerts.append(text)

    def _store(self, kind: Any) -> Any:
        return kind(self.engine, clock=self.clock)


async def linked(rig: Rig, publication: int) -> list[str]:
    """Links to the publication's slides, made as the worker makes them."""
    media = MediaStore(rig.engine, clock=rig.clock)
    slides = await media.slides(publication)
    links = [new_link(rig.settings.public_url) for _ in slides]
    expires = rig.clock.now + rig.settings.link_lifetime
    hashes = [(s.position, digest) for s, (_, digest) in zip(slides, links, strict=True)]
    await media.add_links(publication, hashes, expires_at=expires)
    return [url for url, _ in links]


def instagram_settings(graph: FakeInstagram) -> InstagramSettings:
    return InstagramSettings(
        token=Secret(graph.token),
        app_secret=Secret(graph.app_secret),
        verify_token=Secret("verifikasi-ig-uji-123"),
        account_id=graph.account_id,
        api_url=graph.api_url,
    )


@asynccontextmanager
async def rigged(engine: AsyncEngine) -> AsyncIterator[Rig]:
    """The rig: the fake Graph API and the slides' route, both on loopback."""
    async with FakeInstagram() as graph:
        clock = Clock(graph)
        route = media_route(MediaStore(engine, clock=clock))
        async with LoopbackServer(Starlette(routes=[route])) as media:
            # No real waiting between a call's retries: the backoff has its own tests.
            client = InstagramClient(
                instagram_settings(graph), retries=Retries(backoff=0.0, max_backoff=0.0)
            )
            settings = dataclasses.replace(FAST, public_url=media.url)
            try:
                yield Rig(engine, graph, clock, client, settings)
            finally:
                await client.close()
