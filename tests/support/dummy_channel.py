"""A minimal channel package for the contract's tests: one POST route with a 1 KiB body
limit, a token to mask and two variables that must be set together."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bot.channels.contract import ChannelParts, FailedSource, PurgeStep, WebRoute
from bot.core.secret import Secret
from bot.publishing.vocabulary import Platform
from bot.reporting.vocabulary import PostSource

NAME = "dummy"
MAX_BODY = 1024


@dataclass(frozen=True, slots=True)
class DummySettings:
    token: Secret = field(default_factory=lambda: Secret(""))
    hook: str = ""

    @property
    def enabled(self) -> bool:
        return bool(self.token and self.hook)

    def missing(self) -> tuple[str, ...]:
        given = {"DUMMY_TOKEN": bool(self.token), "DUMMY_HOOK": bool(self.hook)}
        return tuple(n for n, v in given.items() if not v) if any(given.values()) else ()

    def secrets(self) -> tuple[str, ...]:
        return (self.token.reveal(),)


class DummyRunning:
    name = NAME
    failed: FailedSource | None = None
    posts: PostSource | None = None
    publishing: Platform | None = None

    def __init__(self, parts: ChannelParts) -> None:
        self._health = parts.health
        self.received: list[bytes] = []
        self.closed = False
        self.upkeeps = 0
        self.upkept = asyncio.Event()

    def routes(self) -> Sequence[WebRoute]:
        return [WebRoute(Route("/dummy", self.post, methods=["POST"]), max_body=MAX_BODY)]

    async def post(self, request: Request) -> Response:
        self.received.append(await request.body())
        return Response(status_code=200)

    async def start(self) -> None:
        self._health.channel(NAME, "ok")

    async def stop(self) -> None:
        pass

    async def close(self) -> None:
        self.closed = True

    async def upkeep(self) -> None:
        self.upkeeps += 1
        self.upkept.set()


class DummyChannel:
    name = NAME
    enabled_by = "DUMMY_TOKEN and DUMMY_HOOK"

    def from_env(self, env: Mapping[str, str]) -> DummySettings:
        return DummySettings(Secret(env.get("DUMMY_TOKEN") or ""), env.get("DUMMY_HOOK") or "")

    def build(self, settings: DummySettings, parts: ChannelParts) -> DummyRunning:
        return DummyRunning(parts)

    def retention(self, now: dt.datetime, cutoff: dt.datetime) -> Sequence[PurgeStep]:
        return ()

    def post_source(self, engine: object) -> None:
        return None


CHANNEL = DummyChannel()
