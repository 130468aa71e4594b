"""Starting a channel whose API may be down: the process keeps serving the other channels,
reports this one as degraded on /healthz, and retries with a doubling, capped delay; and
gating its routes with 503 until it has started."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from bot.channels.contract import HealthBoard

logger = logging.getLogger(__name__)

# The states /healthz shows for a channel (`bot.runtime.health`).
OK, DEGRADED, STARTING = "ok", "degraded", "starting"
FIRST_DELAY, MAX_DELAY = 1.0, 60.0


async def start_with_backoff(
    name: str,
    start: Callable[[], Awaitable[None]],
    health: HealthBoard,
    *,
    first: float = FIRST_DELAY,
    cap: float = MAX_DELAY,
) -> None:
    """Call `start` until it succeeds; meanwhile the channel is "degraded" on /healthz."""
    health.channel(name, STARTING)
    delay = first
    while True:
        try:
            await start()
        except Exception as exc:  # whatever the API did, the rest of the process keeps serving
            health.channel(name, DEGRADED)
            logger.warning(
                "%s could not start (%s: %s); retrying in %.0f s",
                name,
                type(exc).__name__,
                exc,
                delay,
            )
            await asyncio.sleep(delay)
            delay = min(cap, delay * 2)
            continue
        health.channel(name, OK)
        logger.info("%s started", name)
        return


def gated(routes: Sequence[BaseRoute], ready: Callable[[], bool]) -> list[BaseRoute]:
    """The routes, answering 503 (the sender retries later) until `ready()`; nothing is
    claimed or read from a request refused this way, so its redelivery is handled normally."""
    wrapped: list[BaseRoute] = []
    for route in routes:
        if not isinstance(route, Route):
            wrapped.append(route)
            continue
        wrapped.append(Route(route.path, _gate(route.endpoint, ready), methods=route.methods))
    return wrapped


def _gate(
    endpoint: Callable[[Request], Awaitable[Response]], ready: Callable[[], bool]
) -> Callable[[Request], Awaitable[Response]]:
    async def guarded(request: Request) -> Response:
        if not ready():
            return Response(status_code=503, headers={"Retry-After": "10"})
        return await endpoint(request)

    return guarded
