"""A stand-in for the /instagram route, until the channel is wired into `serve`: the same
order of checks the route must keep (signature over the raw body, then the envelope), served
on loopback so the fake's Meta side posts to it over real HTTP."""

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

from bot.channels.instagram.inbound import (
    SIGNATURE_HEADER,
    Event,
    MalformedPayload,
    parse,
    valid_signature,
)


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
