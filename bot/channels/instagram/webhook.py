"""The /instagram route: Meta's GET verification and the signed POSTs of DMs and comments.

The signature is checked over the raw bytes before anything is parsed; a bad or missing one
is refused with 403 and nothing is stored. A body that is not JSON (or nested too deep), or
not Meta's envelope, gets 400 and one log line naming only the error's class.
"""

from __future__ import annotations

import hmac
import json
import logging

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from bot.channels.instagram.durable import InstagramInbox
from bot.channels.instagram.inbound import SIGNATURE_HEADER, parse, valid_signature
from bot.channels.instagram.settings import InstagramSettings

logger = logging.getLogger(__name__)

PATH = "/instagram"


class InstagramWebhook:
    """Starlette endpoint for one Instagram professional account."""

    def __init__(self, settings: InstagramSettings, inbox: InstagramInbox) -> None:
        self._app_secret = settings.app_secret.reveal()
        self._verify_token = settings.verify_token.reveal().encode()
        self._account_id = settings.account_id
        self._inbox = inbox

    def routes(self) -> list[Route]:
        """The route to mount next to the others."""
        return [Route(PATH, self.endpoint, methods=["GET", "POST"])]

    async def endpoint(self, request: Request) -> Response:
        """GET verifies the subscription; POST carries messages and comments."""
        if request.method == "GET":
            return self.verify(request)
        return await self.receive(request)

    def verify(self, request: Request) -> Response:
        """Echo hub.challenge only for mode=subscribe with our verify token."""
        query = request.query_params
        given = query.get("hub.verify_token", "").encode()
        matches = bool(self._verify_token) and hmac.compare_digest(given, self._verify_token)
        if query.get("hub.mode") != "subscribe" or not matches:
            logger.warning("Instagram webhook verification with a wrong token refused")
            return Response(status_code=403)
        return PlainTextResponse(query.get("hub.challenge", ""))

    async def receive(self, request: Request) -> Response:
        """Check the signature on the raw body, then parse and store the whole batch."""
        raw = await request.body()
        if not valid_signature(self._app_secret, raw, request.headers.get(SIGNATURE_HEADER)):
            logger.warning("Instagram webhook call with a bad or missing signature refused")
            return Response(status_code=403)
        try:
            events = parse(json.loads(raw), account_id=self._account_id)
        # ValueError covers JSONDecodeError, UnicodeDecodeError and MalformedPayload; JSON
        # nested too deep raises RecursionError. Only the class is logged: the message may
        # quote the sender's words.
        except (ValueError, RecursionError) as exc:
            logger.warning(
                "malformed Instagram webhook body refused (400): %s", type(exc).__name__
            )
            return Response(status_code=400)
        # Meta sends the call again after a non-2xx answer.
        return Response(status_code=200 if await self._inbox.receive(events) else 500)
