"""The real bot as a child process (`python -m bot telegram` or `serve`), killed with SIGKILL
as a crash would, and probes of its database taken from the test's side."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections.abc import Callable
from pathlib import Path

import httpx
from fakes.telegram_api import FakeTelegram
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool
from telegram_harness import SECRET

from bot.storage import normalise_url

ROOT = Path(__file__).resolve().parents[2]
# Short leases and backoff, so a restart picks up a dead process's work within seconds (a
# lease must still outlast a batch of sends at Telegram's pace: 64 at 29/s take 2.2 s).
FAST = {"INBOX_LEASE_SECONDS": "5", "RETRY_FIRST_SECONDS": "0.2", "RETRY_MAX_SECONDS": "1"}


def bot_env(fake: FakeTelegram, db_url: str, data: Path) -> dict[str, str]:
    return {
        **os.environ,
        **FAST,
        "DATABASE_URL": db_url,
        "TANYA_DATA_DIR": str(data),
        "USER_HASH_SALT": "garam-uji",
        "TELEGRAM_BOT_TOKEN": fake.token,
        "TELEGRAM_API_URL": fake.base_url,
        "TELEGRAM_WEBHOOK_SECRET": SECRET,
        "FLOOD_PER_MINUTE": "1000",
    }


class BotProcess:
    """One run of the bot; `start` again after `kill` is a restart on the same database."""

    def __init__(
        self,
        mode: str,
        fake: FakeTelegram,
        env: dict[str, str],
        logs: Path,
        *,
        ports: Callable[[], int],
    ) -> None:
        """`ports()` hands out a held port for each start (the `reserve_port` fixture)."""
        self.mode, self._fake, self._env, self._logs = mode, fake, env, logs
        self._ports = ports
        self._process: asyncio.subprocess.Process | None = None
        self.runs = 0

    async def start(self) -> None:
        self.runs += 1
        port = self._ports()
        args = ["serve", "--port", str(port)] if self.mode == "serve" else ["telegram"]
        with (self._logs / f"bot-{self.runs}.log").open("wb") as log:
            self._process = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bot", *args, cwd=ROOT, env=self._env, stdout=log, stderr=log
            )
        if self.mode == "serve":
            await _healthy(f"http://127.0.0.1:{port}")
            self._fake.deliver_to(f"http://127.0.0.1:{port}/telegram", SECRET)
        else:
            polls = self._fake.polls
            await self._fake.wait_for(lambda: self._fake.polls > polls, timeout=60)

    async def kill(self) -> None:
        """SIGKILL: no clean-up runs, as in a crash or an OOM kill."""
        assert self._process is not None
        self._process.send_signal(signal.SIGKILL)
        await self._process.wait()

    async def stop(self) -> None:
        if self._process is not None and self._process.returncode is None:
            self._process.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(self._process.wait(), timeout=30)
            except TimeoutError:
                await self.kill()

    def log(self) -> str:
        return "\n".join(p.read_text(errors="replace") for p in sorted(self._logs.glob("bot-*")))


async def _healthy(url: str) -> None:
    async with httpx.AsyncClient(timeout=5) as client, asyncio.timeout(60):
        while True:
            try:
                if (await client.get(f"{url}/healthz")).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.05)


async def scalar(db_url: str, sql: str) -> int:
    engine = create_async_engine(normalise_url(db_url), poolclass=NullPool)
    try:
        async with engine.connect() as connection:
            return int((await connection.execute(text(sql))).scalar() or 0)
    finally:
        await engine.dispose()


async def wait_db(db_url: str, sql: str, want: int, timeout: float = 60.0) -> None:  # noqa: ASYNC109
    """Wait until a count in the bot's database reaches `want` (polled: it is another process)."""
    async with asyncio.timeout(timeout):
        # Another process's database offers no event to wait on.
        while await scalar(db_url, sql) != want:  # noqa: ASYNC110
            await asyncio.sleep(0.05)


LEASED_REPLIES = (
    "SELECT count(*) FROM outbox WHERE status = 'pending' AND lease_until > CURRENT_TIMESTAMP"
)
PENDING = (
    "SELECT (SELECT count(*) FROM inbox WHERE status = 'pending')"
    " + (SELECT count(*) FROM outbox WHERE status = 'pending')"
)
