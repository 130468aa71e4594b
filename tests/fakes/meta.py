"""What the two fake Meta APIs (Instagram's and WhatsApp's Graph API) share: the served
fake's credentials, clock, URL and waiting; Meta's side of the webhook (bodies encoded and
signed as Meta does, posted to the bot); a refusal in Meta's shape; and the strict checks of a
request body's shape, each refusal in the fake's own error."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

import httpx

from .faults import Faults
from .loopback import Notifier, ServedFake

SIGNATURE_HEADER = "X-Hub-Signature-256"
_DEFAULT: Any = object()


def sign(app_secret: str, raw: bytes) -> str:
    """Meta's X-Hub-Signature-256 of a raw body."""
    return "sha256=" + hmac.new(app_secret.encode(), raw, hashlib.sha256).hexdigest()


def encode(body: dict[str, Any]) -> bytes:
    # Meta's own serialisation escapes non-ASCII; the signature covers exactly these bytes.
    return json.dumps(body, separators=(",", ":")).encode()


class MetaFake(ServedFake):
    """A fake Graph API on loopback, with Meta's clock and Meta's side of the webhook; the
    fake sets its `_server` and writes `describe()`."""

    version: ClassVar[str]

    def __init__(self, *, token: str, app_secret: str) -> None:
        self.token = token
        self.app_secret = app_secret
        self.clock_offset = 0.0  # Meta's clock ahead of ours (or behind, when negative)
        self.webhook_url: str | None = None
        self.faults = Faults()
        self._lock = threading.Lock()
        self._changes = Notifier()

    @property
    def api_url(self) -> str:
        """For the channel's *_API_URL: the base URL with the API version."""
        return f"{self._server.url}/{self.version}"

    def now(self) -> float:
        """The fake's clock (Meta's), in Unix seconds."""
        return time.time() + self.clock_offset

    def describe(self) -> str:
        raise NotImplementedError

    async def wait_for(self, predicate: Callable[[], bool], timeout: float = 5.0) -> None:  # noqa: ASYNC109
        if not await self._changes.wait_until(predicate, timeout):
            raise AssertionError(f"condition not met within {timeout} s\n{self.describe()}")

    def deliver_to(self, url: str | None) -> None:
        """Where the webhook's events are posted (the bot's /instagram or /whatsapp)."""
        self.webhook_url = url

    async def post(
        self, body: dict[str, Any] | bytes, *, signature: str | bytes | None = _DEFAULT
    ) -> int:
        """POST a body to the webhook, signed with the app secret unless told otherwise."""
        if self.webhook_url is None:
            raise RuntimeError("call deliver_to(url) first")
        raw = body if isinstance(body, bytes) else encode(body)
        header = sign(self.app_secret, raw) if signature is _DEFAULT else signature
        headers: dict[str, str | bytes] = {"Content-Type": "application/json"}
        if header is not None:
            headers[SIGNATURE_HEADER] = header
        async with httpx.AsyncClient(timeout=30.0) as client:
            response = await client.post(self.webhook_url, content=raw, headers=headers)
        return response.status_code


@dataclass(eq=False)  # compared (and hashed) by identity, as exceptions are
class MetaApiError(Exception):
    """A refusal in Meta's shape: the HTTP status and the Graph error object (`body()`, in
    the fake's own variant)."""

    status: int
    code: int
    message: str
    details: str = ""
    subcode: int | None = None

    def __str__(self) -> str:
        return f"{self.code}/{self.subcode} {self.message}: {self.details}"

    def body(self) -> dict[str, Any]:
        raise NotImplementedError


class Shape:
    """Checks of a request body's parts; what is wrong is refused with `invalid(details)`,
    the fake's own "Invalid parameter" error."""

    def __init__(self, invalid: Callable[[str], Exception]) -> None:
        self._invalid = invalid

    def keys(self, value: Mapping[str, Any], allowed: set[str], where: str) -> None:
        extra = set(value) - allowed
        if extra:
            raise self._invalid(f"unexpected key(s) in {where}: {sorted(extra)}")

    def string(self, value: object, limit: int, where: str, *, required: bool = True) -> str:
        if value is None and not required:
            return ""
        if not isinstance(value, str) or not value.strip():
            raise self._invalid(f"{where} must be a non-empty string")
        if len(value) > limit:
            raise self._invalid(f"{where} is {len(value)} characters; the limit is {limit}")
        return value

    def object(self, value: object, where: str) -> Mapping[str, Any]:
        if not isinstance(value, Mapping):
            raise self._invalid(f"{where} must be an object")
        return value
