"""A real `python -m bot ...` process for the fault tests, and its /healthz."""

from __future__ import annotations

import asyncio
import contextlib
import os
import resource
import signal
import sys
from collections.abc import Callable, Mapping
from functools import partial
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


async def start(
    *args: str, env: Mapping[str, str], log: Path | None = None, open_files: int | None = None
) -> asyncio.subprocess.Process:
    """The process; its log goes to `log` when given (readable while it runs), else a pipe."""
    with contextlib.ExitStack() as files:
        stderr = (
            files.enter_context(log.open("wb")) if log is not None else asyncio.subprocess.PIPE
        )
        return await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", *args,
            cwd=ROOT, env=dict(env), stdout=asyncio.subprocess.DEVNULL, stderr=stderr,
            preexec_fn=None if open_files is None else partial(_limit_open_files, open_files),
        )  # fmt: skip


def _limit_open_files(soft: int) -> None:
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


async def stop(process: asyncio.subprocess.Process) -> tuple[int, str]:
    if process.returncode is None:
        process.send_signal(signal.SIGTERM)
    _, err = await asyncio.wait_for(process.communicate(), timeout=30)
    assert process.returncode is not None
    return process.returncode, (err or b"").decode()


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
