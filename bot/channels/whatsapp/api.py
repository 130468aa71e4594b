"""A thin client for the one Graph API call the bot makes: POST /{phone-number-id}/messages.

Rate limits, server errors and network failures are retried with exponential backoff; what
remains is raised as `GraphError` (a `DeliveryError`) carrying Meta's error code, so callers
can tell "the 24-hour window has closed" from "this number cannot receive messages".
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from typing import Any

import httpx

from bot.channels.whatsapp.inbound import describe_error
from bot.channels.whatsapp.settings import WhatsAppSettings
from bot.core.errors import DeliveryError

logger = logging.getLogger(__name__)

REENGAGEMENT_REQUIRED = 131047
# Throughput (130429), too many messages to one user (131056), temporary errors (1, 2, 131000).
RETRY_CODES = frozenset({1, 2, 130429, 131000, 131056})
MAX_RETRY_AFTER = 30.0


class GraphError(DeliveryError):
    """The Graph API refused a message (after any retries)."""

    def __init__(
        self,
        reason: str,
        *,
        status: int = 0,
        code: int | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        self.status = status
        self.code = code
        self.retry_after = retry_after

    @property
    def window_closed(self) -> bool:
        """Meta's own verdict that only a template may be sent now."""
        return self.code == REENGAGEMENT_REQUIRED

    @property
    def temporary(self) -> bool:
        """Worth another try later: throttled, a server error, or the network."""
        return (
            self.status == 0
            or self.status == 429
            or self.status >= 500
            or (self.code in RETRY_CODES)
        )


class GraphClient:
    """Sends message objects to one WhatsApp number's recipients."""

    def __init__(
        self,
        settings: WhatsAppSettings,
        *,
        attempts: int = 4,
        backoff: float = 0.25,
        timeout: float = 10.0,
    ) -> None:
        self._url = f"{settings.api_url}/{settings.phone_number_id}/messages"
        self._attempts = max(attempts, 1)
        self._backoff = backoff
        self._client = httpx.AsyncClient(
            timeout=timeout,
            headers={"Authorization": f"Bearer {settings.token.reveal()}"},
            # A few kept-alive connections go further than many: httpcore's pool costs CPU
            # per open connection on every request.
            limits=httpx.Limits(max_connections=16, max_keepalive_connections=16),
        )

    async def send(self, chat_id: str, message: Mapping[str, Any]) -> str:
        """Send one message object to a chat and return its WhatsApp message id (wamid)."""
        body = {**recipient(chat_id), **message}
        for attempt in range(self._attempts):
            try:
                return await self._post(body)
            except GraphError as exc:
                if not exc.temporary or attempt == self._attempts - 1:
                    raise
                delay = self._delay(attempt, exc)
                logger.info("Graph API: %s; retrying in %.2f s", exc.reason, delay)
                await asyncio.sleep(delay)
        raise AssertionError("unreachable: the last attempt returns or raises")

    async def close(self) -> None:
        """Close the connection pool."""
        await self._client.aclose()

    async def _post(self, body: Mapping[str, Any]) -> str:
        try:
            response = await self._client.post(self._url, json=body)
        except httpx.HTTPError as exc:
            # The URL is in the exception text but holds no secret; the token is a header.
            raise GraphError(f"network: {type(exc).__name__}") from exc
        try:
            data = response.json()
        except ValueError:
            data = {}
        if response.is_success:
            return _message_id(data)
        raise _error(response, data)

    def _delay(self, attempt: int, exc: GraphError) -> float:
        if exc.retry_after is not None:
            return min(exc.retry_after, MAX_RETRY_AFTER)
        return float(self._backoff * 2**attempt)


def recipient(chat_id: str) -> dict[str, str]:
    """Address a chat: a phone number goes in `to`, a BSUID (`ID.123…`) in `recipient`."""
    field = "to" if chat_id.isdigit() else "recipient"
    return {"messaging_product": "whatsapp", "recipient_type": "individual", field: chat_id}


def _message_id(data: object) -> str:
    messages = data.get("messages") if isinstance(data, Mapping) else None
    if isinstance(messages, list) and messages and isinstance(messages[0], Mapping):
        wamid = messages[0].get("id")
        if isinstance(wamid, str) and wamid:
            return wamid
    raise GraphError("the Graph API accepted the message but returned no id", status=200)


def _error(response: httpx.Response, data: object) -> GraphError:
    error = data.get("error") if isinstance(data, Mapping) else None
    if isinstance(error, Mapping):
        code = error.get("code")
        reason = describe_error(error)
    else:
        code, reason = None, f"HTTP {response.status_code}"
    return GraphError(
        reason,
        status=response.status_code,
        code=code if isinstance(code, int) else None,
        retry_after=_seconds(response.headers.get("Retry-After")),
    )


def _seconds(value: str | None) -> float | None:
    try:
        return max(float(value), 0.0) if value else None
    except ValueError:
        return None  # an HTTP date: fall back to our own backoff
