"""The webhook server: Telegram posts updates to /telegram, WhatsApp to /whatsapp (mounted
from `bot.channels.whatsapp_webhook`); /healthz reports the database and the channels.

Works with several worker processes on one PostgreSQL database: the secret is checked in
constant time, and an update id is claimed in the database before it is processed, so a
retried or duplicated update is handled exactly once whichever worker receives it.
"""

from __future__ import annotations

import hmac
import json
import logging
from collections.abc import Awaitable, Callable, Sequence

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route
from telegram import Update

from bot.channels.telegram import TelegramApp
from bot.config import Secret
from bot.health import Health
from bot.model import TicketStore

logger = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
PingFn = Callable[[], Awaitable[bool]]


class TelegramWebhook:
    """Starlette routes around a started PTB application (built with `updater(None)`)."""

    def __init__(
        self,
        application: TelegramApp,
        secret: Secret,
        store: TicketStore,
        ping: PingFn,
    ) -> None:
        self._application = application
        self._secret = secret.reveal().encode()
        self._store = store
        self._ping = ping

    def asgi(self) -> Starlette:
        """The ASGI app with /telegram and /healthz."""
        return server(self.routes(), Health(self._database_state))

    async def _database_state(self) -> str:
        return "ok" if await self._ping() else "unreachable"

    def routes(self) -> list[BaseRoute]:
        """The /telegram route, to mount next to other channels' routes."""
        return [Route("/telegram", self.telegram, methods=["POST"])]

    async def telegram(self, request: Request) -> Response:
        """Check the secret, drop repeats, then process the update."""
        given = request.headers.get(SECRET_HEADER, "").encode()
        if not self._secret or not hmac.compare_digest(given, self._secret):
            logger.warning("webhook call with a wrong or missing secret token refused")
            return Response(status_code=403)
        try:
            data = json.loads(await request.body())
            update_id = int(data["update_id"])
        except (ValueError, KeyError, TypeError):
            return Response(status_code=400)
        if not await self._store.claim_update(f"telegram:{update_id}"):
            return Response(status_code=200)
        update = Update.de_json(data, self._application.bot)
        await self._application.process_update(update)
        return Response(status_code=200)


def server(routes: Sequence[BaseRoute], health: Health) -> Starlette:
    """The ASGI app: the channels' routes plus /healthz (see `bot.health` for its codes)."""

    async def healthz(request: Request) -> Response:
        status, body = await health.report()
        return JSONResponse(body, status_code=status)

    return Starlette(routes=[*routes, Route("/healthz", healthz, methods=["GET"])])
