"""`python -m bot serve` as a real child process, for the channels' process tests: a clean
environment (no channel's settings from the caller's), the start, and the wait for health."""

from __future__ import annotations

import asyncio
import os
import sys
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
