"""The webhook server's ASGI app: the routes of the channels `serve` runs, plus /healthz,
which reports the database and the channels."""

from __future__ import annotations

from collections.abc import Sequence

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from bot.runtime.health import Health


def server(routes: Sequence[BaseRoute], health: Health) -> Starlette:
    """The ASGI app: the channels' routes plus /healthz (`bot.runtime.health` has its codes)."""

    async def healthz(request: Request) -> Response:
        status, body = health.report()  # kept fresh by `Health.keep_fresh`
        return JSONResponse(body, status_code=status)

    return Starlette(routes=[*routes, Route("/healthz", healthz, methods=["GET"])])
