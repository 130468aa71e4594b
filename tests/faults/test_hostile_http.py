"""Hostile traffic against a real `serve` process over real sockets (issue 9): oversized
bodies are cut off early, slow clients time out, many of them do not starve /healthz, and a
client vanishing mid-body is one log line, not a traceback."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest
from fakes.telegram_api import FakeTelegram
from telegram_harness import SECRET

from bot.channels.telegram.webhook import SECRET_HEADER

from .process import health_until, start, stop, telegram_env

CHUNK = b"x" * 65536
HUNDRED_MB = 100 * 1024 * 1024


class Served:
    def __init__(self, process: asyncio.subprocess.Process, port: int, log: Path) -> None:
        self.process, self.port, self.log = process, port, log
        self.url = f"http://127.0.0.1:{port}"

    async def connect(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        return await asyncio.open_connection("127.0.0.1", self.port)

    def memory_peak_kib(self) -> int:
        status = Path(f"/proc/{self.process.pid}/status").read_text()
        line = next(ln for ln in status.splitlines() if ln.startswith("VmHWM:"))
        return int(line.split()[1])

    async def wait_log(self, text: str, count: int = 1) -> None:
        """Until the log (a file the process writes) holds `text` `count` times."""
        async with asyncio.timeout(15):
            while self.log.read_text(errors="replace").count(text) < count:  # noqa: ASYNC110 - a file offers no event
                await asyncio.sleep(0.05)


@pytest.fixture
async def served(
    fake: FakeTelegram, tmp_path: Path, reserve_port: Callable[[], int]
) -> AsyncIterator[Served]:
    port, log = reserve_port(), tmp_path / "serve.log"
    env = telegram_env(fake, tmp_path, HTTP_TIMEOUT_SECONDS="1")
    # A low soft limit on open files, as on a default system; serve raises it itself.
    process = await start("serve", "--port", str(port), env=env, log=log, open_files=256)
    server = Served(process, port, log)
    await health_until(server.url, lambda status, body: status == 200, process=process)
    yield server
    code, _ = await stop(process)
    text = log.read_text(errors="replace")
    assert code == 0, text
    assert "Traceback" not in text


def post_head(length: int | None = None) -> bytes:
    size = f"Content-Length: {length}" if length is not None else "Transfer-Encoding: chunked"
    return (
        f"POST /telegram HTTP/1.1\r\nHost: bot\r\nContent-Type: application/json\r\n"
        f"{SECRET_HEADER}: {SECRET}\r\n{size}\r\n\r\n"
    ).encode()


async def push_until_cut(writer: asyncio.StreamWriter, *, chunked: bool) -> int:
    """Stream up to 100 MB (one 64 KiB buffer, reused) until the server cuts us off."""
    sent = 0
    piece = b"10000\r\n" + CHUNK + b"\r\n" if chunked else CHUNK
    with contextlib.suppress(ConnectionError):
        while sent < HUNDRED_MB:
            writer.write(piece)
            await writer.drain()
            sent += len(CHUNK)
    return sent


async def test_an_oversized_declared_body_is_refused_before_it_is_read(served: Served) -> None:
    reader, writer = await served.connect()
    writer.write(post_head(HUNDRED_MB))
    status = await reader.readline()  # before a single body byte was sent
    assert status.startswith(b"HTTP/1.1 413"), status
    assert await push_until_cut(writer, chunked=False) < 16 * 1024 * 1024
    writer.close()


async def test_oversized_streamed_bodies_are_cut_off_and_memory_stays_flat(
    served: Served,
) -> None:
    before = served.memory_peak_kib()

    async def one() -> int:
        _, writer = await served.connect()
        writer.write(post_head())
        sent = await push_until_cut(writer, chunked=True)
        writer.close()
        return sent

    # The 413 itself may be lost to the client: the server resets a connection it closes
    # with unread bytes. The log shows each refusal.
    for sent in await asyncio.gather(*(one() for _ in range(8))):
        assert sent < 16 * 1024 * 1024  # cut off long before 100 MB
    assert served.memory_peak_kib() - before < 32 * 1024
    await served.wait_log("body over 262144 bytes refused (413)", count=8)


async def test_a_slow_body_gets_408_and_a_silent_client_is_dropped(served: Served) -> None:
    reader, writer = await served.connect()
    writer.write(post_head(1000) + b'{"update_id": ')
    async with asyncio.timeout(10):
        status = await reader.readline()
    assert status.startswith(b"HTTP/1.1 408"), status
    writer.close()
    reader, writer = await served.connect()
    writer.write(b"GET /healthz HTTP/1.1\r\nHost: bo")  # headers never finished
    async with asyncio.timeout(10):
        assert await reader.read() == b""  # closed by the server
    writer.close()


async def test_many_slow_clients_do_not_starve_healthz(served: Served) -> None:
    held = [await served.connect() for _ in range(400)]
    for _, writer in held:
        writer.write(post_head(1000))
    await asyncio.gather(*(writer.drain() for _, writer in held))
    status, body = await health_until(served.url, lambda status, body: True, timeout=5)
    assert (status, body["database"]) == (200, "ok")
    async with asyncio.timeout(20):  # each gets its 408 and is closed
        answers = await asyncio.gather(*(reader.read() for reader, _ in held))
    assert all(answer.startswith(b"HTTP/1.1 408") for answer in answers)
    for _, writer in held:
        writer.close()


async def test_a_client_leaving_mid_body_is_one_short_line(served: Served) -> None:
    _, writer = await served.connect()
    writer.write(post_head(1000) + b'{"update_id": 1')
    await writer.drain()
    writer.close()
    await served.wait_log("POST /telegram: client disconnected before sending the whole body")


async def read_response(reader: asyncio.StreamReader) -> tuple[bytes, bytes]:
    """One whole response on a kept-alive connection: its status line and body."""
    async with asyncio.timeout(10):
        status = await reader.readline()
        length = 0
        while (line := await reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value)
        return status, await reader.readexactly(length)


def padded_get(size: int) -> bytes:
    return f"GET /healthz HTTP/1.1\r\nHost: bot\r\nX-Pad: {'x' * size}\r\n\r\n".encode()


async def test_oversized_request_headers_are_refused_and_cut_off(served: Served) -> None:
    before = served.memory_peak_kib()
    _, writer = await served.connect()
    writer.write(b"GET /healthz HTTP/1.1\r\nHost: bot\r\nX-Big: ")  # a header line never ending
    assert await push_until_cut(writer, chunked=False) < 16 * 1024 * 1024
    writer.close()
    await served.wait_log("request headers over 16384 bytes refused (400)")
    assert served.memory_peak_kib() - before < 32 * 1024
    reader, writer = await served.connect()
    writer.write(padded_get(20_000))  # whole, in one write
    status, _ = await read_response(reader)
    assert status.startswith(b"HTTP/1.1 400"), status
    assert await reader.read() == b""  # and closed
    writer.close()
    await served.wait_log("request headers over 16384 bytes refused (400)", count=2)


async def test_headers_within_the_limit_are_counted_per_request(served: Served) -> None:
    reader, writer = await served.connect()
    for _ in range(3):  # 12 KiB each on one kept-alive connection: the count starts anew
        writer.write(padded_get(12_000))
        status, _ = await read_response(reader)
        assert status.startswith(b"HTTP/1.1 200"), status
    writer.close()
    # Headers and a body in one write: only the headers count (the body is the route's: 413).
    reader, writer = await served.connect()
    body = b"x" * 40_000
    writer.write(
        f"POST /healthz HTTP/1.1\r\nHost: bot\r\nContent-Length: {len(body)}\r\n\r\n".encode()
        + body
    )
    status, _ = await read_response(reader)
    assert status.startswith(b"HTTP/1.1 413"), status
    writer.close()
