"""`python -m bot serve` as a real child process, for the channels' process tests and the
browser tests: a clean environment (no channel's settings from the caller's), the start, the
wait for health, and one-shot commands."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
CHANNEL_PREFIXES = ("TELEGRAM_", "WHATSAPP_", "INSTAGRAM_")


def environment(tmp_path: Path, extra: dict[str, str]) -> dict[str, str]:
    """This process's environment without channel settings, a SQLite file, and `extra`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(CHANNEL_PREFIXES)}
    return {
        **env,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'bot.db'}",
        "TANYA_DATA_DIR": str(tmp_path),
        **extra,
    }


async def start(port: int, env: dict[str, str]) -> asyncio.subprocess.Process:
    """`serve` on `port`, its output piped."""
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "serve", "--port", str(port),
        cwd=ROOT, env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip


async def wait_healthy(url: str) -> None:
    """Until /healthz answers 200 (30 s at most)."""
    async with httpx.AsyncClient(timeout=5) as client:
        for _ in range(300):
            try:
                if (await client.get(f"{url}/healthz")).status_code == 200:
                    return
            except httpx.ConnectError:
                pass
            await asyncio.sleep(0.1)
    raise AssertionError("serve did not become healthy")


def run_bot(env: dict[str, str], *args: str, stdin: str = "") -> str:
    """`python -m bot ARGS` to its end; its standard output (a failure fails the test)."""
    done = subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=stdin,
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


def wait_until_serving(url: str, *, seconds: float = 30) -> None:
    """Until `url` answers (a `serve` subprocess starting), or fail the test."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError("serve did not start")


@contextmanager
def serving(env: dict[str, str], port: int, log: Path) -> Iterator[str]:
    """`serve` on `port` (output to `log`) while the block runs; its base URL."""
    with log.open("w") as out:
        command = [sys.executable, "-m", "bot", "serve", "--port", str(port)]
        child = subprocess.Popen(command, env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
        base = f"http://127.0.0.1:{port}"
        try:
            wait_until_serving(f"{base}/healthz")
            yield base
        finally:
            child.terminate()
            child.wait(timeout=20)
