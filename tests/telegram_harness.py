"""Run the real bot (PTB, core, database) against the fake Bot API, polling or by webhook."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import asynccontextmanager
from pathlib import Path

import uvicorn
from fakes.telegram_api import FakeTelegram
from starlette.applications import Starlette

from bot.channels.telegram.channel import CHANNEL
from bot.channels.telegram.pacing import PacingRules
from bot.runtime.app import App, running
from bot.runtime.config import Settings
from bot.runtime.health import OK
from bot.runtime.runners import polling, serving

GROUP = -1001234567890
ADMIN = 9001
SECRET = "rahasia-uji_1234"  # at least 16 characters, as `serve` requires
# Tests type at machine speed into one chat and post many ticket notes to one group: at
# Telegram's per-chat limits (3 in 3 s to a person, 20 a minute to a group) they would wait,
# and are not about pacing, so the harness raises those two like a bot Telegram granted
# more. The overall 30 a second stays, as the fake enforces it. Tests of pacing and the
# burst benchmark pass TELEGRAMS_OWN_LIMITS back.
RAISED_CHAT_LIMITS = {
    "TELEGRAM_PRIVATE_SENDS_PER_3_SECONDS": "1000",
    "TELEGRAM_GROUP_SENDS_PER_MINUTE": "1000",
}
TELEGRAMS_OWN_LIMITS = {
    "TELEGRAM_PRIVATE_SENDS_PER_3_SECONDS": str(PacingRules().private_chat.count),
    "TELEGRAM_GROUP_SENDS_PER_MINUTE": str(PacingRules().group.count),
}


def settings_for(
    fake: FakeTelegram, db_url: str, data: Path, extra: Mapping[str, str] | None = None
) -> Settings:
    env = {
        "DATABASE_URL": db_url,
        "TANYA_DATA_DIR": str(data),
        "USER_HASH_SALT": "garam-uji",
        "TELEGRAM_BOT_TOKEN": fake.token,
        "TELEGRAM_API_URL": fake.base_url,
        "TELEGRAM_OFFICER_CHAT_ID": str(GROUP),
        "TELEGRAM_ADMIN_IDS": str(ADMIN),
        "TELEGRAM_WEBHOOK_SECRET": SECRET,
        "OFFICE_HOURS": "mon-sun 00:00-23:59",
        "REMIND_AFTER_MINUTES": "0.005",
        **RAISED_CHAT_LIMITS,
    }
    return Settings.from_env({**env, **(extra or {})})


@asynccontextmanager
async def polling_bot(settings: Settings) -> AsyncIterator[App]:
    """`python -m bot telegram` (the real runner, without its signal wait and background
    duties), started and stopped around the block."""
    async with polling(settings, poll_seconds=1) as app:
        yield app


def listening_socket() -> socket.socket:
    """A loopback socket bound to a free port and kept, handed to uvicorn as is."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    return sock


@asynccontextmanager
async def asgi_served(asgi: Starlette) -> AsyncIterator[str]:
    """`asgi` on a loopback port held from binding to serving; yields its base URL."""
    config = uvicorn.Config(asgi, log_level="warning", lifespan="off", ws="none")
    async with config_served(lambda port: config) as url:
        yield url


@asynccontextmanager
async def config_served(config_for: Callable[[int], uvicorn.Config]) -> AsyncIterator[str]:
    """The server `config_for(port)` configures, on a loopback port held from binding to
    serving; yields its base URL."""
    sock = listening_socket()
    port = int(sock.getsockname()[1])
    server = uvicorn.Server(config_for(port))
    task = asyncio.create_task(server.serve(sockets=[sock]))
    while not server.started:  # noqa: ASYNC110 - uvicorn offers a flag, not an event
        await asyncio.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task
        sock.close()


@asynccontextmanager
async def webhook_bot(settings: Settings) -> AsyncIterator[tuple[App, str]]:
    """One `python -m bot serve` worker (the real runner's wiring) on a loopback port, once
    Telegram has started; yields the app and its base URL."""
    async with running(settings, "serve") as app, serving(app) as asgi, asgi_served(asgi) as url:
        async with asyncio.timeout(15):
            while app.health.channels.get(CHANNEL) != OK:  # noqa: ASYNC110 - a state, no event
                await asyncio.sleep(0.01)
        yield app, url
