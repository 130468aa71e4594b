"""What the webhook server does about hostile or broken HTTP clients.

- Bodies: at most `limits[path]` bytes (each channel declares its routes' limits: Telegram
  updates and Meta webhooks are a few KiB),
  refused with 413 from Content-Length or as soon as the streamed bytes pass the limit, so a
  100 MB upload costs at most one limit of memory. The body is read here, before the route
  runs, within `timeout` seconds (else 408), and handed to the route whole.
- A client that goes away mid-body is one short log line, not a traceback.
- Headers: uvicorn waits forever for the first request's headers; `GuardedHttpToolsProtocol`
  closes a connection that has not sent complete headers within the timeout, and answers 400
  to request headers over 16 KiB (llhttp, the parser, sets no limit of its own). Idle
  keep-alive connections close after `timeout_keep_alive`.
- Concurrency: uvicorn answers 503 past `limit_concurrency`, and the open-files limit is raised
  to the hard limit so slow clients hit those bounds before the process runs out of sockets.
"""

from __future__ import annotations

import asyncio
import logging
import resource
from collections.abc import Mapping
from typing import Any

import uvicorn
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

logger = logging.getLogger(__name__)

KIB = 1024
DEFAULT_LIMIT = 16 * KIB  # /healthz and any route not declared carry no body worth more
MAX_HEADER_BYTES = 16 * KIB
MAX_CONNECTIONS = 4096
WANTED_OPEN_FILES = 65536


class BodyTooLarge(Exception):
    """The body passed the route's limit."""


class ClientGone(Exception):
    """The client disconnected before the body was complete."""


class GuardBodies:
    """ASGI middleware: bounded, timed body reading before the app sees the request."""

    def __init__(self, app: ASGIApp, *, timeout: float, limits: Mapping[str, int]) -> None:
        self._app = app
        self._timeout = timeout
        self._limits = limits

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self._app(scope, receive, send)
            return
        limit = self._limits.get(scope["path"], DEFAULT_LIMIT)
        where = f"{scope['method']} {scope['path']}"
        try:
            if _declared_length(scope) > limit:
                raise BodyTooLarge
            async with asyncio.timeout(self._timeout):
                body = await _read(receive, limit)
        except BodyTooLarge:
            logger.warning("%s: body over %d bytes refused (413)", where, limit)
            await _refuse(send, 413)
            return
        except TimeoutError:
            logger.warning("%s: body not received within %.0f s (408)", where, self._timeout)
            await _refuse(send, 408)
            return
        except ClientGone:
            logger.info("%s: client disconnected before sending the whole body", where)
            return
        await self._app(scope, _replay(body, receive), send)


def _declared_length(scope: Scope) -> int:
    for name, value in scope["headers"]:
        if name == b"content-length":
            return int(value)  # h11 has already refused a malformed one
    return 0


async def _read(receive: Receive, limit: int) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise ClientGone
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise BodyTooLarge
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if sent:
            return await receive()  # later calls wait for the disconnect, as usual
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replay


async def _refuse(send: Send, status: int) -> None:
    # "close": the rest of the body is never read, so the connection cannot be reused.
    headers = [(b"connection", b"close"), (b"content-length", b"0")]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": b""})


class HeadersTooLarge(Exception):
    """A request's headers passed MAX_HEADER_BYTES."""


class GuardedHttpToolsProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol (llhttp: a third less CPU per request than h11), closing
    connections that do not finish their request headers within `header_timeout` (set on the
    class by `http_config`) and answering 400 to request headers over MAX_HEADER_BYTES."""

    header_timeout = 10.0
    _in_head = True  # the next bytes received belong to a request's headers
    _raw_head = 0  # bytes received since those headers began
    _head = 0  # bytes of the current request's target and headers, as parsed

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()

    def data_received(self, data: bytes) -> None:
        # llhttp keeps an unfinished header line in memory, reported to no callback, so the raw
        # bytes bound it: a line without end is cut at the limit plus one read.
        if self._in_head:
            self._raw_head += len(data)
        super().data_received(data)
        if self._in_head and self._raw_head > MAX_HEADER_BYTES and not self.transport.is_closing():
            logger.warning("request headers over %d bytes refused (400)", MAX_HEADER_BYTES)
            self.send_400_response("Request headers too large.")

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._head = 0

    def on_url(self, url: bytes) -> None:
        self._count(len(url))
        super().on_url(url)

    def on_header(self, name: bytes, value: bytes) -> None:
        self._count(len(name) + len(value))
        super().on_header(name, value)

    def _count(self, size: int) -> None:
        # Headers that arrive whole in one read: raising here stops the parser, and uvicorn
        # answers a parser error with 400 and closes the connection.
        self._head += size
        if self._head > MAX_HEADER_BYTES:
            logger.warning("request headers over %d bytes refused (400)", MAX_HEADER_BYTES)
            raise HeadersTooLarge

    def on_headers_complete(self) -> None:
        self._in_head = False
        super().on_headers_complete()

    def on_message_complete(self) -> None:
        super().on_message_complete()
        self._in_head, self._raw_head = True, 0

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._arm()

    def _arm(self) -> None:
        self.loop.call_later(self.header_timeout, self._expire, self.cycle)

    def _expire(self, cycle: Any) -> None:
        # Same cycle as when armed: no new request's headers arrived meanwhile.
        if self.cycle is cycle and not self.transport.is_closing():
            logger.info("connection closed: no complete request headers in time")
            self.transport.close()


def http_config(
    app: ASGIApp, *, host: str, port: int, timeout: float, limits: Mapping[str, int]
) -> uvicorn.Config:
    """The uvicorn configuration of `serve`, with the guards above (`limits`: the body
    limit of each route path)."""
    open_files = raise_open_files_limit()
    guarded = type("Guarded", (GuardedHttpToolsProtocol,), {"header_timeout": timeout})
    return uvicorn.Config(
        GuardBodies(app, timeout=timeout, limits=limits),
        host=host,
        port=port,
        log_level="warning",
        log_config=None,  # uvicorn's lines go through our handler: masked, rate limited
        lifespan="off",
        http=guarded,
        ws="none",
        timeout_keep_alive=5,
        # Sockets beyond this get a quick 503 instead of eating the last file descriptors.
        limit_concurrency=max(64, min(MAX_CONNECTIONS, open_files // 2)),
        backlog=1024,
    )


def raise_open_files_limit() -> int:
    """Use up to the hard limit on open files (the soft default of 1,024 runs out under
    load); returns the limit now in force."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = WANTED_OPEN_FILES if hard == resource.RLIM_INFINITY else min(hard, WANTED_OPEN_FILES)
    if soft != resource.RLIM_INFINITY and soft < wanted:
        resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
        return wanted
    return WANTED_OPEN_FILES if soft == resource.RLIM_INFINITY else soft
