"""The /telegram route: Telegram posts updates here when `serve` runs the webhook.

Works with several worker processes on one PostgreSQL database: the secret is checked in
constant time, and an update is stored in the inbox (keyed by its id) before Telegram gets its
200, so a retried or duplicated update is handled exactly once whichever worker receives it,
and one received just before a crash is handled after the restart.
"""

from __future__ import annotations

import hmac
import json
import logging

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route
from telegram import Update

from bot.channels.telegram.channel import TelegramApp
from bot.channels.telegram.durable import stored
from bot.core.secret import Secret
from bot.delivery.intake import Intake
from bot.delivery.vocabulary import InboxUpdate

logger = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


class TelegramWebhook:
    """Starlette routes around a started PTB application (built with `updater(None)`)."""

    def __init__(
        self,
        application: TelegramApp,
        secret: Secret,
        intake: Intake,
    ) -> None:
        self._application = application
        self._secret = secret.reveal().encode()
        self._intake = intake

    def routes(self) -> list[BaseRoute]:
        """The /telegram route, to mount next to other channels' routes."""
        return [Route("/telegram", self.telegram, methods=["POST"])]

    async def telegram(self, request: Request) -> Response:
        """Check the secret, then store the update; 200 only once it is safe."""
        given = request.headers.get(SECRET_HEADER, "").encode()
        if not self._secret or not hmac.compare_digest(given, self._secret):
            logger.warning("webhook call with a wrong or missing secret token refused")
            return Response(status_code=403)
        update = self._parse(await request.body())
        if update is None:
            return Response(status_code=400)
        # A non-2xx answer makes Telegram deliver the update again later.
        safe = await self._intake.receive([update], now=True)
        return Response(status_code=200 if safe else 500)

    def _parse(self, raw: bytes) -> InboxUpdate | None:
        """The update as the inbox keeps it; None (logged once) if it is not one."""
        try:
            data = json.loads(raw)
            if not isinstance(data, dict) or type(data.get("update_id")) is not int:
                raise ValueError("no whole-number update_id")
            return stored(Update.de_json(data, self._application.bot), data)
        # JSON nested too deep raises RecursionError; PTB's parsers raise whatever the wrong
        # shape trips on (AttributeError, KeyError, TypeError ...). Only the class is logged:
        # the message may quote the sender's words.
        except Exception as exc:
            logger.warning("malformed Telegram update refused (400): %s", type(exc).__name__)
            return None
