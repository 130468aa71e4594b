"""Hostile traffic against a real `serve` (issue 9): 8 x 100 MB uploads and 1,100 slow
connections with the open-files soft limit at 1,024. Run: python -m benchmarks.hostile_load"""

from __future__ import annotations

import asyncio
import contextlib
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from fakes.telegram_api import FakeTelegram  # noqa: E402
from support.ports import held_port  # noqa: E402
from telegram_harness import SECRET  # noqa: E402

CHUNK = b"x" * 65536
UPLOAD = 100 * 1024 * 1024


def _soft_1024() -> None:
    resource.setrlimit(
        resource.RLIMIT_NOFILE, (1024, resource.getrlimit(resource.RLIMIT_NOFILE)[1])
    )


def peak_kib(pid: int) -> int:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(next(x for x in status.splitlines() if x.startswith("VmHWM:")).split()[1])


async def upload(port: int) -> int:
    _, writer = await asyncio.open_connection("127.0.0.1", port)
    head = f"POST /telegram HTTP/1.1\r\nHost: b\r\nX-Telegram-Bot-Api-Secret-Token: {SECRET}\r\n"
    writer.write(f"{head}Transfer-Encoding: chunked\r\n\r\n".encode())
    sent = 0
    with contextlib.suppress(ConnectionError):
        while sent < UPLOAD:
            writer.write(b"10000\r\n" + CHUNK + b"\r\n")
            await writer.drain()
            sent += len(CHUNK)
    writer.close()
    return sent


async def healthz_ms(url: str) -> float:
    started = time.perf_counter()
    async with httpx.AsyncClient(timeout=30) as client:
        assert (await client.get(f"{url}/healthz")).status_code == 200
    return (time.perf_counter() - started) * 1000


async def main() -> None:
    with FakeTelegram() as fake, tempfile.TemporaryDirectory() as data, held_port() as held:
        port, log = held.getsockname()[1], Path(data) / "serve.log"
        env = {
            **os.environ, "DATABASE_URL": f"sqlite:///{data}/bot.db", "TANYA_DATA_DIR": data,
            "TELEGRAM_BOT_TOKEN": fake.token, "TELEGRAM_API_URL": fake.base_url,
            "TELEGRAM_WEBHOOK_SECRET": SECRET,
        }  # fmt: skip
        with log.open("wb") as sink:
            process = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bot", "serve", "--port", str(port),
                cwd=ROOT, env=env, stderr=sink, stdout=asyncio.subprocess.DEVNULL,
                preexec_fn=_soft_1024,
            )  # fmt: skip
        url = f"http://127.0.0.1:{port}"
        try:
            for _ in range(300):
                with contextlib.suppress(httpx.TransportError, AssertionError):
                    await healthz_ms(url)
                    break
                await asyncio.sleep(0.1)
            before = peak_kib(process.pid)
            sent = await asyncio.gather(*(upload(port) for _ in range(8)))
            print(f"8 x 100 MB uploads: cut after {max(sent) / 2**20:.1f} MiB at most; "
                  f"peak memory +{(peak_kib(process.pid) - before) / 1024:.1f} MiB")  # fmt: skip
            held = [await asyncio.open_connection("127.0.0.1", port) for _ in range(1100)]
            for _, writer in held:
                writer.write(b"POST /telegram HTTP/1.1\r\nHost: b\r\nContent-Length: 999\r\n\r\n")
            print(f"1,100 slow connections held: /healthz in {await healthz_ms(url):.0f} ms")
            for _, writer in held:
                writer.close()
        finally:
            process.terminate()
            await asyncio.wait_for(process.wait(), 30)
        lines = log.read_text(errors="replace").splitlines()
        print(f"log: {len(lines)} lines, {sum('Traceback' in x for x in lines)} tracebacks")
        print("\n".join(lines[-6:]))


if __name__ == "__main__":
    asyncio.run(main())
