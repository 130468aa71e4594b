"""Two ways to receive what the fake's Meta side posts: `RecordingWebhook`, a bare parser on
loopback (for the fake's and the parser's own tests), and the real `serve` wiring
(`support.meta_harness.served`) with `instagram_settings`: Instagram pointed at the fake Graph
API and, when given, Telegram at the fake Bot API."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fakes.instagram_api import FakeInstagram
from fakes.loopback import LoopbackServer
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from support.meta_harness import MetaSettings

from bot.channels.instagram.inbound import Event, MalformedPayload, parse
from bot.channels.instagram.running import Instagram
from bot.channels.meta import SIGNATURE_HEADER, valid_signature
from bot.runtime.app import App


class RecordingWebhook:
    """Checks and parses what Meta posts; keeps the events of every accepted body."""

    def __init__(self, app_secret: str, account_id: str) -> None:
        self.app_secret = app_secret
        self.account_id = account_id
        self.events: list[Event] = []
        self.app = Starlette(routes=[Route("/instagram", self.receive, methods=["POST"])])

    async def receive(self, request: Request) -> Response:
        raw = await request.body()
        if not valid_signature(self.app_secret, raw, request.headers.get(SIGNATURE_HEADER)):
            return Response(status_code=403)
        try:
            self.events.extend(parse(json.loads(raw), account_id=self.account_id))
        except (ValueError, MalformedPayload):
            return Response(status_code=400)
        return Response(status_code=200)


@asynccontextmanager
async def webhook_for(fake: FakeInstagram) -> AsyncIterator[RecordingWebhook]:
    """A recording webhook on loopback, with the fake delivering to it."""
    hook = RecordingWebhook(fake.app_secret, fake.account_id)
    async with LoopbackServer(hook.app) as server:
        fake.deliver_to(f"{server.url}/instagram")
        yield hook


VERIFY_TOKEN = "verifikasi-ig-uji-123"


def instagram_env(fake: FakeInstagram, **extra: str) -> dict[str, str]:
    """The INSTAGRAM_* variables for the fake."""
    return {
        "INSTAGRAM_ACCESS_TOKEN": fake.token,
        "INSTAGRAM_APP_SECRET": fake.app_secret,
        "INSTAGRAM_VERIFY_TOKEN": VERIFY_TOKEN,
        "INSTAGRAM_ACCOUNT_ID": fake.account_id,
        "INSTAGRAM_API_URL": fake.api_url,
        **extra,
    }


# Instagram only, or Instagram and Telegram (officers' group, admin) in one process.
instagram_settings = MetaSettings(instagram_env)


def instagram_of(app: App) -> Instagram:
    """The app's running Instagram channel."""
    found = app.channel(Instagram)
    assert found is not None
    return found
