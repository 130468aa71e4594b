"""What the two Meta channels (Instagram, WhatsApp) share: Meta's webhook and the Graph API's
errors and retries.

The webhook answers Meta's GET verification (`hub.mode=subscribe` with our verify token,
compared in constant time: `hub.challenge` echoed, else 403) and checks every POST's
X-Hub-Signature-256 (HMAC-SHA256 of the raw body with the app secret) before anything is
parsed: a bad or missing one is refused with 403 and nothing is stored. A body that is not JSON
(or nested too deep), or not the channel's envelope, gets 400 and one log line naming only the
error's class. A Graph API call either returns the JSON of a success or raises the channel's
`GraphApiError`, carrying Meta's code, subcode and Retry-After, so callers can tell a passing
failure (retried here with capped exponential backoff) from a refusal.

Graph API calls go through aiohttp (`GraphHttp`), not httpx: on this machine a send costs the
client about a fifth of httpx's CPU at 4 sends in flight and a twelfth at 16
(benchmarks/http_stack.py), two sends a message. Telegram's calls go through aiohttp too
(bot/channels/telegram/request.py).
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
import math
import urllib.parse
import urllib.request
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, Generic, Protocol, Self, TypeVar

import aiohttp
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from bot.core.errors import DeliveryError
from bot.core.secret import Secret

logger = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-Hub-Signature-256"
# Meta may ask for minutes; a worker holding a send must not sleep that long.
MAX_RETRY_AFTER = 30.0
Batch = TypeVar("Batch")
Result = TypeVar("Result")
Describe = Callable[[Mapping[str, Any]], str]


class MetaSecrets(Protocol):
    """The two secrets of a Meta app's webhook, as a channel's settings hold them."""

    @property
    def app_secret(self) -> Secret: ...

    @property
    def verify_token(self) -> Secret: ...


def valid_signature(app_secret: str, raw: bytes, header: str | None) -> bool:
    """Check Meta's X-Hub-Signature-256 against the raw body, in constant time."""
    if not app_secret or header is None:
        return False
    expected = "sha256=" + hmac.digest(app_secret.encode(), raw, hashlib.sha256).hex()
    # Compared as bytes: a header with non-ASCII characters is simply unequal.
    return hmac.compare_digest(expected.encode(), header.encode("utf-8", "replace"))


class MetaWebhook(Generic[Batch]):
    """Starlette endpoint of one Meta webhook: `parse` turns a checked body into a batch
    (raising ValueError when it is not the channel's envelope) and `store` keeps it."""

    def __init__(
        self,
        path: str,
        secrets: MetaSecrets,
        *,
        label: str,
        parse: Callable[[object], Batch],
        store: Callable[[Batch], Awaitable[bool]],
    ) -> None:
        self._path = path
        self._label = label  # how log lines name the channel ("Instagram")
        self._app_secret = secrets.app_secret.reveal()
        self._verify_token = secrets.verify_token.reveal().encode()
        self._parse = parse
        self._store = store

    def routes(self) -> list[Route]:
        """The route to mount next to the others."""
        return [Route(self._path, self.endpoint, methods=["GET", "POST"])]

    async def endpoint(self, request: Request) -> Response:
        """GET verifies the subscription; POST carries the events."""
        if request.method == "GET":
            return self.verify(request)
        return await self.receive(request)

    def verify(self, request: Request) -> Response:
        """Echo hub.challenge only for mode=subscribe with our verify token."""
        query = request.query_params
        given = query.get("hub.verify_token", "").encode()
        matches = bool(self._verify_token) and hmac.compare_digest(given, self._verify_token)
        if query.get("hub.mode") != "subscribe" or not matches:
            logger.warning("%s webhook verification with a wrong token refused", self._label)
            return Response(status_code=403)
        return PlainTextResponse(query.get("hub.challenge", ""))

    async def receive(self, request: Request) -> Response:
        """Check the signature on the raw body, then parse and store the whole batch."""
        raw = await request.body()
        if not valid_signature(self._app_secret, raw, request.headers.get(SIGNATURE_HEADER)):
            logger.warning("%s webhook call with a bad or missing signature refused", self._label)
            return Response(status_code=403)
        try:
            batch = self._parse(json.loads(raw))
        # ValueError covers JSONDecodeError, UnicodeDecodeError and the channels'
        # MalformedPayload; JSON nested too deep raises RecursionError. Only the class is
        # logged: the message may quote the sender's words.
        except (ValueError, RecursionError) as exc:
            logger.warning(
                "malformed %s webhook body refused (400): %s", self._label, type(exc).__name__
            )
            return Response(status_code=400)
        # Meta sends the call again after a non-2xx answer.
        return Response(status_code=200 if await self._store(batch) else 500)


class GraphApiError(DeliveryError):
    """The Graph API refused a call (after any retries); each channel subclasses it with
    the codes that make a failure worth another try and its own verdicts on Meta's codes."""

    retry_codes: ClassVar[frozenset[int]] = frozenset()

    def __init__(
        self,
        reason: str,
        *,
        status: int = 0,
        code: int | None = None,
        subcode: int | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        self.status = status  # 0: no answer (the network)
        self.code = code
        self.subcode = subcode
        self.retry_after = retry_after

    @property
    def temporary(self) -> bool:
        """Worth another try later: throttled, a server error, or the network."""
        passing = self.status in (0, 429) or self.status >= 500
        return passing or self.code in self.retry_codes

    @classmethod
    def from_response(cls, response: GraphResponse, data: object, describe: Describe) -> Self:
        """The error of a refused call: Meta's error object described (`describe`), or the
        bare HTTP status when the body has none."""
        error = data.get("error") if isinstance(data, Mapping) else None
        if not isinstance(error, Mapping):
            error = {}
        code, subcode = error.get("code"), error.get("error_subcode")
        return cls(
            describe(error) if error else f"HTTP {response.status}",
            status=response.status,
            code=code if isinstance(code, int) else None,
            subcode=subcode if isinstance(subcode, int) else None,
            retry_after=_seconds(response.headers.get("Retry-After")),
        )


@dataclass(frozen=True, slots=True)
class GraphResponse:
    """What a call's answer says besides its body: the status and the headers."""

    status: int
    headers: Mapping[str, str]  # aiohttp's, case-insensitive

    @property
    def is_success(self) -> bool:
        """A 2xx status."""
        return 200 <= self.status < 300


class GraphHttp:
    """One pool of kept-alive connections to the Graph API (at most `connections`), opened on
    the first call, inside the running loop, as aiohttp requires."""

    def __init__(
        self, *, timeout: float, headers: Mapping[str, str] | None = None, connections: int = 16
    ) -> None:
        self._timeout = aiohttp.ClientTimeout(total=timeout)
        self._headers = dict(headers or {})
        self._connections = connections
        self._session: aiohttp.ClientSession | None = None

    async def request(self, method: str, url: str, **options: Any) -> tuple[GraphResponse, bytes]:
        """One call: its answer and raw body; aiohttp.ClientError or TimeoutError when none."""
        if self._session is None:
            self._session = aiohttp.ClientSession(
                headers=self._headers,
                timeout=self._timeout,
                connector=aiohttp.TCPConnector(limit=self._connections),
                # Looked up once here: aiohttp's own lookup (trust_env) costs two hops to a
                # thread on every call, tripling a send's CPU.
                proxy=env_proxy(url),
                # Bearer tokens, no cookies: none kept from one call, or account, to the next.
                cookie_jar=aiohttp.DummyCookieJar(),
            )
        # Redirects are not followed (as with httpx): the Graph API answers, it never moves.
        async with self._session.request(method, url, allow_redirects=False, **options) as got:
            return GraphResponse(got.status, got.headers), await got.read()

    async def close(self) -> None:
        """Close the pool (if a call ever opened it)."""
        if self._session is not None:
            await self._session.close()
            self._session = None


def env_proxy(url: str) -> str | None:
    """The proxy the environment names for `url` (HTTPS_PROXY, NO_PROXY...), as httpx and
    curl read them; None for none."""
    parts = urllib.parse.urlsplit(url)
    if urllib.request.proxy_bypass(parts.hostname or ""):
        return None
    return urllib.request.getproxies().get(parts.scheme)


async def call_graph(
    client: GraphHttp,
    method: str,
    url: str,
    *,
    error: type[GraphApiError],
    describe: Describe,
    **options: Any,
) -> tuple[GraphResponse, object]:
    """One call and the JSON of its success ({} when the body is none); a refusal or a
    network failure raises `error`, a refusal described by `describe`."""
    try:
        response, raw = await client.request(method, url, **options)
    except (aiohttp.ClientError, TimeoutError) as exc:
        # Only the type: the text holds the URL, which may hold a token (Instagram's refresh).
        raise error(f"network: {type(exc).__name__}") from exc
    try:
        data = json.loads(raw)
    except ValueError:
        data = {}
    if response.is_success:
        return response, data
    raise error.from_response(response, data, describe)


@dataclass(frozen=True, slots=True)
class Retries:
    """How often a Graph API call is tried, and how long to wait before the next try."""

    attempts: int = 4
    backoff: float = 0.25  # the first wait; each next one doubles
    max_backoff: float = math.inf

    def delay(self, attempt: int, exc: GraphApiError) -> float:
        """Meta's Retry-After when it gave one (capped), else the doubled backoff."""
        if exc.retry_after is not None:
            return min(exc.retry_after, MAX_RETRY_AFTER)
        return float(min(self.backoff * 2**attempt, self.max_backoff))

    async def run(self, once: Callable[[], Awaitable[Result]], *, label: str) -> Result:
        """`once()` until it succeeds, fails for good, or the attempts are spent."""
        attempts = max(self.attempts, 1)
        for attempt in range(attempts):
            try:
                return await once()
            except GraphApiError as exc:
                if not exc.temporary or attempt == attempts - 1:
                    raise
                delay = self.delay(attempt, exc)
                logger.info("%s: %s; retrying in %.2f s", label, exc.reason, delay)
                await asyncio.sleep(delay)
        raise AssertionError("unreachable: the last attempt returns or raises")


def _seconds(value: str | None) -> float | None:
    try:
        return max(float(value), 0.0) if value else None
    except ValueError:
        return None  # an HTTP date: fall back to our own backoff
