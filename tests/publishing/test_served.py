"""End to end through `serve`'s own wiring: Instagram pointed at the fake Graph API,
`PUBLIC_BASE_URL` at the worker itself, so the fake fetches the slides from `serve`'s
/media route; an approved post goes out once, and its links die once it is out."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import uvicorn
from fakes.instagram_api import FakeInstagram
from instagram.harness import instagram_settings
from starlette.applications import Starlette

from bot.publishing.vocabulary import State
from bot.runtime.app import App, running
from bot.runtime.runners import serving

from .harness import post


@asynccontextmanager
async def on_port(asgi: Starlette, port: int) -> AsyncIterator[str]:
    """`asgi` served on a port held for it (the base URL was configured before start)."""
    config = uvicorn.Config(
        asgi, host="127.0.0.1", port=port, log_level="warning", lifespan="off", ws="none"
    )
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    while not server.started:  # noqa: ASYNC110 - uvicorn offers a flag, not an event
        await asyncio.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task


@asynccontextmanager
async def publishing_worker(
    graph: FakeInstagram, db_url: str, data: Path, port: int
) -> AsyncIterator[tuple[App, str]]:
    """One `serve` worker publishing to `graph`, reached by it at `port`."""
    extra = {"PUBLIC_BASE_URL": f"http://127.0.0.1:{port}", "MEDIA_LINK_MINUTES": "1"}
    settings = instagram_settings(graph, db_url, data, extra=extra)
    async with (
        running(settings, "serve") as app,
        serving(app) as asgi,
        on_port(asgi, port) as url,
    ):
        await graph.wait_for(lambda: bool(graph.ice_breakers))  # set at start
        yield app, url


async def test_serve_publishes_an_approved_post_from_its_own_links(
    db_url: str, tmp_path: Path, reserve_port: Callable[[], int]
) -> None:
    async with (
        FakeInstagram() as graph,
        publishing_worker(graph, db_url, tmp_path, reserve_port()) as (app, url),
    ):
        assert app.publisher is not None
        now = dt.datetime.now(dt.UTC)
        publication = await app.publications.schedule(post(), now, "admin.kanim")
        await app.publisher.round()
        [media] = graph.publishing.publishes
        fetched = graph.publishing.state.fetches
        assert [status for _, status in fetched] == [200, 200, 200]
        assert all(link.startswith(f"{url}/media/") for link, _ in fetched)
        done = await app.publications.publication(publication)
        assert done is not None
        assert (done.state, done.media_id) == (State.PUBLISHED, media.id)
        async with httpx.AsyncClient() as client:
            # Published: its links are gone at once (its slides with them).
            assert (await client.get(fetched[0][0])).status_code == 404
            assert (await client.get(f"{url}/media/")).status_code == 404
        await app.publisher.round()
        assert len(graph.publishing.publishes) == 1


async def test_serve_without_a_public_url_does_not_publish(db_url: str, tmp_path: Path) -> None:
    async with FakeInstagram() as graph:
        settings = instagram_settings(graph, db_url, tmp_path)
        async with running(settings, "serve") as app:
            assert app.publisher is None
            # Scheduling still works: the console shows it waiting.
            when = dt.datetime.now(dt.UTC)
            publication = await app.publications.schedule(post(), when, "admin.kanim")
            waiting = await app.publications.publication(publication)
            assert waiting is not None
            assert waiting.state is State.SCHEDULED
