"""The /whatsapp route: Meta's GET verification and the signed POSTs of messages and statuses.

The signature is checked over the raw bytes before anything is parsed; a bad or missing one
is refused with 403 and nothing is stored. A body that is not JSON (or nested too deep), or
not Meta's envelope, gets 400 and one log line, and nothing is stored either.
"""

from __future__ import annotations

import hmac
import json
import logging

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from bot.channels.whatsapp.durable import WhatsAppInbox
from bot.channels.whatsapp.inbound import (
    SIGNATURE_HEADER,
    parse,
    valid_signature,
)
from bot.channels.whatsapp.settings import WhatsAppSettings

logger = logging.getLogger(__name__)

PATH = "/whatsapp"


class WhatsAppWebhook:
    """Starlette endpoint for one WhatsApp Business number."""

    def __init__(self, settings: WhatsAppSettings, inbox: WhatsAppInbox) -> None:
        self._app_secret = settings.app_secret.reveal()
        self._verify_token = settings.verify_token.reveal().encode()
        self._inbox = inbox

    def routes(self) -> list[Route]:
        """The route to mount next to the others."""
        return [Route(PATH, self.endpoint, methods=["GET", "POST"])]

    async def endpoint(self, request: Request) -> Response:
        """GET verifies the subscription; POST carries messages and statuses."""
        if request.method == "GET":
            return self.verify(request)
        return await self.receive(request)

    def verify(self, request: Request) -> Response:
        """Echo hub.challenge only for mode=subscribe with our verify token."""
        query = request.query_params
        given = query.get("hub.verify_token", "").encode()
        matches = bool(self._verify_token) and hmac.compare_digest(given, self._verify_token)
        if query.get("hub.mode") != "subscribe" or not matches:
            logger.warning("WhatsApp webhook verification with a wrong token refused")
            return Response(status_code=403)
        return PlainTextResponse(query.get("hub.challenge", ""))

    async def receive(self, request: Request) -> Response:
        """Check the signature on the raw body, then parse and handle it."""
        raw = await request.body()
        if not valid_signature(self._app_secret, raw, request.headers.get(SIGNATURE_HEADER)):
            logger.warning("WhatsApp webhook call with a bad or missing signature refused")
            return Response(status_code=403)
        try:
            batch = parse(json.loads(raw))
        # ValueError covers JSONDecodeError, UnicodeDecodeError and MalformedPayload; JSON
        # nested too deep raises RecursionError. Only the class is logged: the message may
        # quote the sender's words.
        except (ValueError, RecursionError) as exc:
            logger.warning("malformed WhatsApp webhook body refused (400): %s", type(exc).__name__)
            return Response(status_code=400)
        # Meta sends the call again after a non-2xx answer.
        stored = await self._inbox.receive(batch)
        return Response(status_code=200 if stored else 500)
