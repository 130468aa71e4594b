"""A real `python -m bot ...` process for the fault tests, and its /healthz."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import httpx
from fakes.telegram_api import FakeTelegram
from telegram_harness import SECRET

ROOT = Path(__file__).resolve().parents[2]


def telegram_env(fake: FakeTelegram, data: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "WHATSAPP_"))}
    return {
        **env,
        "DATABASE_URL": f"sqlite:///{data / 'bot.db'}",
        "TANYA_DATA_DIR": str(data),
        "TELEGRAM_BOT_TOKEN": fake.token,
        "TELEGRAM_API_URL": fake.base_url,
        "TELEGRAM_WEBHOOK_SECRET": SECRET,
        **extra,
    }


async def start(*args: str, env: Mapping[str, str]) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", *args,
        cwd=ROOT, env=dict(env), stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip


async def stop(process: asyncio.subprocess.Process) -> tuple[int, str]:
    if process.returncode is None:
        process.send_signal(signal.SIGTERM)
    _, err = await asyncio.wait_for(process.communicate(), timeout=30)
    assert process.returncode is not None
    return process.returncode, err.decode()


async def health_until(
    url: str,
    wanted: Callable[[int, dict[str, Any]], bool],
    *,
    process: asyncio.subprocess.Process | None = None,
    timeout: float = 30.0,  # noqa: ASYNC109
) -> tuple[int, dict[str, Any]]:
    """Poll /healthz until `wanted(status, body)`; fail early if the process died."""
    seen: tuple[int, dict[str, Any]] = (0, {})
    async with httpx.AsyncClient(timeout=10) as client:
        async with asyncio.timeout(timeout):
            while True:
                if process is not None and process.returncode is not None:
                    raise AssertionError(f"the process exited with {process.returncode}")
                try:
                    answer = await client.get(f"{url}/healthz")
                    seen = (answer.status_code, answer.json())
                    if wanted(*seen):
                        return seen
                except httpx.TransportError:
                    pass
                await asyncio.sleep(0.05)
