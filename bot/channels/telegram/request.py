"""PTB's HTTP seam (`telegram.request.BaseRequest`) on aiohttp, so Telegram's Bot API calls go
through the same client library as the Graph API's (`bot.channels.meta`).

PTB's default, `HTTPXRequest`, spends most of a send's client CPU in httpx; aiohttp does the
same call for a fraction of it (benchmarks/http_stack.py). What the Bot API sees is unchanged:
the same urlencoded form (multipart when a file is uploaded), the same User-Agent, no
redirects followed, no cookies kept. PTB's `BaseRequest.post` still maps the answer's status
to its errors (403 Forbidden, 400 BadRequest, 429 RetryAfter...); this class turns aiohttp's
failures into PTB's: a timeout into `TimedOut`, any other network failure into `NetworkError`.

PTB's timeouts: the pool timeout bounds the wait for one of the `connection_pool_size` slots
(a semaphore here, as aiohttp's own pool wait shares one timeout with connecting); connect ->
aiohttp's `connect` and `sock_connect`, read -> `sock_read`. aiohttp has no write timeout: the
sum of connect, write and read bounds the whole call instead, so a stalled upload still ends.
"""

from __future__ import annotations

import asyncio
import urllib.parse
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass

import aiohttp
from telegram._utils.defaultvalue import DefaultValue
from telegram._utils.types import ODVInput
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

Headers = Mapping[str, str] | None
FORM = {"Content-Type": "application/x-www-form-urlencoded"}
# PTB's defaults (HTTPXRequest and ApplicationBuilder), in seconds.
DEFAULT_TIMEOUT = 5.0
DEFAULT_POOL_TIMEOUT = 1.0
DEFAULT_MEDIA_WRITE_TIMEOUT = 20.0


@dataclass(frozen=True, slots=True)
class Timeouts:
    """PTB's four timeouts of one call, in seconds; None is no limit."""

    read: float | None = DEFAULT_TIMEOUT
    write: float | None = DEFAULT_TIMEOUT
    connect: float | None = DEFAULT_TIMEOUT
    pool: float | None = DEFAULT_POOL_TIMEOUT

    def for_aiohttp(self) -> aiohttp.ClientTimeout:
        """aiohttp's nearest equivalent (see the module's docstring)."""
        return aiohttp.ClientTimeout(
            total=_sum(self.connect, self.write, self.read),
            connect=self.connect,
            sock_connect=self.connect,
            sock_read=self.read,
        )


class AiohttpRequest(BaseRequest):
    """One pool of at most `connection_pool_size` kept-alive connections to the Bot API,
    opened on `initialize` (or the first call) inside the running loop, as aiohttp requires."""

    __slots__ = (
        "_connections",
        "_default",
        "_media_write",
        "_proxies",
        "_session",
        "_shut",
        "_slots",
    )

    def __init__(
        self,
        *,
        connection_pool_size: int = 256,
        timeouts: Timeouts | None = None,
        media_write_timeout: float | None = DEFAULT_MEDIA_WRITE_TIMEOUT,
    ) -> None:
        self._connections = connection_pool_size
        self._default = timeouts or Timeouts()
        self._media_write = media_write_timeout  # an upload's write timeout, as PTB's
        # The proxy of each origin, looked up once: aiohttp's own lookup (trust_env) costs
        # two hops to a thread on every call.
        self._proxies: dict[tuple[str, str], str | None] = {}
        self._session: aiohttp.ClientSession | None = None
        self._shut = False
        # At most this many calls at once, so aiohttp's pool of as many never makes one wait.
        self._slots = asyncio.Semaphore(connection_pool_size)

    @property
    def read_timeout(self) -> float | None:
        """The read timeout of a call that does not name one."""
        return self._default.read

    async def initialize(self) -> None:
        """Open the pool (again, after a shutdown)."""
        self._shut = False
        self._open()

    async def shutdown(self) -> None:
        """Close the pool; calls fail until the next `initialize`."""
        self._shut = True
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        write_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        connect_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        pool_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """One call: the answer's status and body; TimedOut or NetworkError when none."""
        uploads = request_data is not None and request_data.contains_files
        default = self._default.write if not uploads else self._media_write
        timeouts = Timeouts(
            read=_given(read_timeout, self._default.read),
            write=_given(write_timeout, default),
            connect=_given(connect_timeout, self._default.connect),
            pool=_given(pool_timeout, self._default.pool),
        )
        await self._take_slot(timeouts.pool)
        try:
            return await self._call(url, method, request_data, timeouts)
        # Before ClientError: aiohttp's timeouts are both. Only the class is kept: an
        # aiohttp error's text may hold the URL, and the URL holds the bot's token.
        except TimeoutError as exc:
            raise TimedOut(f"aiohttp.{type(exc).__name__}: no answer in time") from exc
        except aiohttp.ClientError as exc:
            raise NetworkError(f"aiohttp.{type(exc).__name__}") from exc
        finally:
            self._slots.release()

    async def _take_slot(self, wait: float | None) -> None:
        if not self._slots.locked():
            await self._slots.acquire()  # free: no timer to arm
            return
        try:
            async with asyncio.timeout(wait):
                await self._slots.acquire()
        except TimeoutError:
            raise TimedOut(
                "Pool timeout: all connections in the pool are in use; the call was not sent"
            ) from None

    async def _call(
        self, url: str, method: str, data: RequestData | None, timeouts: Timeouts
    ) -> tuple[int, bytes]:
        session = self._open()
        body, headers = _body(data)
        async with session.request(
            method,
            url,
            data=body,
            headers=headers,
            timeout=timeouts.for_aiohttp(),
            proxy=self._proxy(url),
            allow_redirects=False,  # as httpx: the Bot API answers, it never moves
        ) as response:
            return response.status, await response.read()

    def _open(self) -> aiohttp.ClientSession:
        if self._shut:
            raise RuntimeError("This AiohttpRequest is shut down; initialize it first")
        if self._session is None:
            self._session = aiohttp.ClientSession(
                headers={"User-Agent": self.USER_AGENT},
                connector=aiohttp.TCPConnector(limit=self._connections),
                # A token in the URL, no cookies: none kept from one call to the next.
                cookie_jar=aiohttp.DummyCookieJar(),
            )
        return self._session

    def _proxy(self, url: str) -> str | None:
        parts = urllib.parse.urlsplit(url)
        origin = (parts.scheme, parts.netloc)
        if origin not in self._proxies:
            self._proxies[origin] = env_proxy(parts.scheme, parts.hostname or "")
        return self._proxies[origin]


def env_proxy(scheme: str, host: str) -> str | None:
    """The proxy the environment names for a host, as httpx reads it: `<SCHEME>_PROXY`, else
    ALL_PROXY; None when NO_PROXY covers the host or none is set."""
    if urllib.request.proxy_bypass(host):
        return None
    proxies = urllib.request.getproxies()
    return proxies.get(scheme) or proxies.get("all")


def _body(data: RequestData | None) -> tuple[bytes | aiohttp.FormData | None, Headers]:
    """The request's body and its headers: PTB's parameters as a urlencoded form, as httpx
    sent them, or multipart with the files when there are any."""
    if data is None:
        return None, None
    if not data.contains_files:
        return data.url_encoded_parameters().encode(), FORM
    form = aiohttp.FormData()
    for name, value in data.json_parameters.items():
        form.add_field(name, value)
    for name, (filename, content, mime) in data.multipart_data.items():
        form.add_field(name, content, filename=filename, content_type=mime)
    return form, None  # aiohttp writes the multipart header with its boundary


def _given(value: ODVInput[float], default: float | None) -> float | None:
    return default if isinstance(value, DefaultValue) else value


def _sum(*parts: float | None) -> float | None:
    """The sum, or None (no limit) when any part has none."""
    if any(part is None for part in parts):
        return None
    return sum(part for part in parts if part is not None)
