"""What the Konten tests share: a week of questions about two entries, the kit made through
the console, the images of a review page, a post's words as its form sends them, and the
console of a `serve` whose Instagram is the strict fake of the publishing tests (its slides'
route recording every image it serves, so a test sees exactly what the fake fetched)."""

from __future__ import annotations

import base64
import dataclasses
import os
import re
import subprocess
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
from fakes.instagram_api import FakeInstagram
from fakes.loopback import LoopbackServer
from instagram.harness import instagram_env
from publishing.harness import FAST, Clock, Rig, instagram_settings
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bot.channels.instagram.api import InstagramClient
from bot.channels.meta import Retries
from bot.console.vocabulary import DraftPost
from bot.content.vocabulary import PostText
from bot.publishing.media import media_route
from bot.runtime.app import running
from bot.storage import Store
from bot.storage.content_drafts import ContentDraftStore
from bot.storage.publication_media import MediaStore

from .helpers import Console, field, logged, login, settings_for

ASKED = {
    "biaya-paspor": (
        "biaya paspor berapa",
        "berapa biaya paspor elektronik",
        "biaya bikin paspor",
    ),
    "ambil-paspor": ("cara ambil paspor yang sudah jadi",),
}
KONTEN = "/admin/konten"
REVIEW = "/admin/konten/1/1"  # the first post of the first kit: the busiest entry
TESSERACT = "/usr/bin/tesseract"
_IMAGE = re.compile(r'src="data:image/jpeg;base64,([A-Za-z0-9+/=]+)"')


async def seed_week(engine: AsyncEngine) -> None:
    """Questions of today answered with two entries, biaya-paspor the most."""
    store = Store(engine)
    for entry, texts in ASKED.items():
        for text in texts:
            await store.log_question(logged(text, "answer", faq_id=entry))


async def make_kit(web: Console, name: str = "admin") -> httpx.Response:
    """Log in as `name` and press "Buat konten minggu ini"; the redirect's answer."""
    await login(web.client, name)
    page = await web.client.get(KONTEN)
    return await web.client.post(f"{KONTEN}/buat", data={"csrf": field(page.text, "csrf")})


def images(page: str) -> list[bytes]:
    """The JPEGs a page shows inline, in order (the slides, then the story)."""
    return [base64.b64decode(found) for found in _IMAGE.findall(page)]


async def draft(engine: AsyncEngine, kit: int = 1, position: int = 0) -> DraftPost:
    found = await ContentDraftStore(engine).draft_post(kit, position)
    assert found is not None
    return found


def words_form(texts: PostText, **changes: str) -> dict[str, str]:
    """The review form's fields holding `texts`, with `changes` (field name → value)."""
    form = {"caption": texts.caption}
    for number, slide in enumerate(texts.slides, start=1):
        form[f"slide-{number}-judul"] = slide.heading
        form[f"slide-{number}-baris"] = "\r\n".join(slide.lines)  # as a browser sends it
    form["story-judul"] = texts.story.heading
    form["story-baris"] = "\r\n".join(texts.story.lines)
    return {**form, **{name.replace("_", "-"): value for name, value in changes.items()}}


async def post_form(
    web: Console, path: str, draft: DraftPost, fields: dict[str, str]
) -> httpx.Response:
    """Post one of the review page's forms for `draft` (its hidden fields filled in)."""
    page = await web.client.get(f"{KONTEN}/{draft.kit_id}/{draft.position + 1}")
    hidden = {
        "csrf": field(page.text, "csrf"),
        "kit": str(draft.kit_id),
        "pos": str(draft.position + 1),
        "revisi": str(draft.revision),
    }
    return await web.client.post(path, data={**hidden, **fields})


def ocr(image: bytes, folder: Path) -> str:
    """The text tesseract reads in a JPEG (as tests/content reads the kit), lower-cased."""
    path = folder / f"ocr-{len(list(folder.glob('ocr-*')))}.jpg"
    path.write_bytes(image)
    done = subprocess.run(
        [TESSERACT, str(path), "stdout", "-l", "ind"],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
        env={**os.environ, "OMP_THREAD_LIMIT": "1"},
    )
    return done.stdout.casefold()


@dataclasses.dataclass
class Published:
    """The rig of tests/publishing and every image its slides' route served, in order."""

    rig: Rig
    served: list[bytes]


@asynccontextmanager
async def publishing_rig(engine: AsyncEngine) -> AsyncIterator[Published]:
    """`publishing.harness.rigged`, its slides' route recording what it serves."""
    async with FakeInstagram() as graph:
        clock = Clock(graph)
        served: list[bytes] = []
        route = media_route(MediaStore(engine, clock=clock))
        async with LoopbackServer(Starlette(routes=[_recording(route, served)])) as media:
            client = InstagramClient(
                instagram_settings(graph), retries=Retries(backoff=0.0, max_backoff=0.0)
            )
            settings = dataclasses.replace(FAST, public_url=media.url)
            try:
                yield Published(Rig(engine, graph, clock, client, settings), served)
            finally:
                await client.close()


def _recording(route: Route, served: list[bytes]) -> Route:
    async def media(request: Request) -> Response:
        response = await route.endpoint(request)  # type: ignore[misc]
        if response.status_code == 200:
            served.append(bytes(response.body))
        return response

    return Route(route.path, media, methods=["GET"])


@asynccontextmanager
async def publishing_console(
    db_url: str, tmp_path: Path, published: Published
) -> AsyncIterator[Console]:
    """The `serve` app with Instagram on the rig's fake and the rig's slides' route as its
    public address: publishing is on (the app's own worker is not started; the test runs the
    rig's, on the rig's clock)."""
    extra = {
        **instagram_env(published.rig.graph),
        "PUBLIC_BASE_URL": published.rig.settings.public_url,
    }
    settings = settings_for(db_url, tmp_path, **extra)
    async with running(settings, "serve") as app:
        assert app.asgi is not None
        assert app.publisher is not None
        transport = httpx.ASGITransport(app=app.asgi, client=("10.0.0.1", 1234))
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            yield Console(app, settings, client)
