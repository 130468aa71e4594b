"""A thin client for the one Graph API call the bot makes: POST /{phone-number-id}/messages,
from the number the chat writes to (`bot.channels.whatsapp.numbers`).

Rate limits, server errors and network failures are retried with exponential backoff
(`bot.channels.meta`); what remains is raised as `GraphError` (a `DeliveryError`) carrying
Meta's error code, so callers can tell "the 24-hour window has closed" from "this number
cannot receive messages".
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.channels.meta import GraphApiError, GraphHttp, Retries, call_graph
from bot.channels.whatsapp.inbound import describe_error
from bot.channels.whatsapp.numbers import split
from bot.channels.whatsapp.settings import WhatsAppSettings

REENGAGEMENT_REQUIRED = 131047
# Throughput (130429), too many messages to one user (131056), temporary errors (1, 2, 131000).
RETRY_CODES = frozenset({1, 2, 130429, 131000, 131056})
# Four tries, the waits doubling from 0.25 s (2 s at most before the last: no cap needed).
RETRIES = Retries(attempts=4, backoff=0.25)


class GraphError(GraphApiError):
    """The Graph API refused a message (after any retries)."""

    retry_codes = RETRY_CODES

    @property
    def window_closed(self) -> bool:
        """Meta's own verdict that only a template may be sent now."""
        return self.code == REENGAGEMENT_REQUIRED


class GraphClient:
    """Sends message objects to the recipients of the account's numbers."""

    def __init__(
        self, settings: WhatsAppSettings, *, retries: Retries = RETRIES, timeout: float = 10.0
    ) -> None:
        self._api_url = settings.api_url
        self._main = settings.phone_number_id
        self.retries = retries
        self._client = GraphHttp(
            timeout=timeout, headers={"Authorization": f"Bearer {settings.token.reveal()}"}
        )

    async def send(self, chat_id: str, message: Mapping[str, Any]) -> str:
        """Send one message object to a chat and return its WhatsApp message id (wamid)."""
        address, number = split(chat_id)
        url = f"{self._api_url}/{number or self._main}/messages"
        body = {**recipient(address), **message}
        return await self.retries.run(lambda: self._post(url, body), label="Graph API")

    async def close(self) -> None:
        """Close the connection pool."""
        await self._client.close()

    async def _post(self, url: str, body: Mapping[str, Any]) -> str:
        # The URL is in a network error's text but holds no secret; the token is a header.
        _, data = await call_graph(
            self._client, "POST", url, error=GraphError, describe=describe_error, json=body
        )
        return _message_id(data)


def recipient(address: str) -> dict[str, str]:
    """Address an applicant: a phone number goes in `to`, a BSUID (`ID.123…`) in `recipient`."""
    field = "to" if address.isdigit() else "recipient"
    return {"messaging_product": "whatsapp", "recipient_type": "individual", field: address}


def _message_id(data: object) -> str:
    messages = data.get("messages") if isinstance(data, Mapping) else None
    if isinstance(messages, list) and messages and isinstance(messages[0], Mapping):
        wamid = messages[0].get("id")
        if isinstance(wamid, str) and wamid:
            return wamid
    raise GraphError("the Graph API accepted the message but returned no id", status=200)
