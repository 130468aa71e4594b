"""Run the real bot (PTB, core, database) against the fake Bot API, polling or by webhook."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from pathlib import Path

import uvicorn
from fakes.telegram_api import FakeTelegram

from bot.channels.telegram.channel import build_application
from bot.runtime.app import App, running
from bot.runtime.config import Settings
from bot.runtime.runners import telegram_polling, wire_telegram
from bot.runtime.webhook import TelegramWebhook

GROUP = -1001234567890
ADMIN = 9001
SECRET = "rahasia-uji_123"


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
    }
    return Settings.from_env({**env, **(extra or {})})


@asynccontextmanager
async def polling_bot(settings: Settings) -> AsyncIterator[App]:
    """The bot with long polling, started and stopped around the block."""
    async with running(settings) as app, telegram_polling(app, poll_seconds=1):
        yield app


def listening_socket() -> socket.socket:
    """A loopback socket bound to a free port and kept, handed to uvicorn as is."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    return sock


@asynccontextmanager
async def webhook_bot(settings: Settings) -> AsyncIterator[tuple[App, str]]:
    """One webhook worker on a loopback port; yields the app and its /telegram URL."""
    async with running(settings) as app:
        application = build_application(settings.telegram, polling=False)
        wire_telegram(app, application)
        webhook = TelegramWebhook(
            application, settings.telegram.webhook_secret, app.pipeline.intake, app.store.ping
        )
        sock = listening_socket()
        port = int(sock.getsockname()[1])
        config = uvicorn.Config(webhook.asgi(), log_level="warning", lifespan="off")
        server = uvicorn.Server(config)
        async with application, app.pipeline.running():
            await application.start()
            serving = asyncio.create_task(server.serve(sockets=[sock]))
            while not server.started:  # noqa: ASYNC110 - uvicorn offers a flag, not an event
                await asyncio.sleep(0.01)
            try:
                yield app, f"http://127.0.0.1:{port}"
            finally:
                server.should_exit = True
                await serving
                sock.close()
                await application.stop()
