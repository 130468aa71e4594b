"""Run the real `serve` wiring (runners.serving) on a loopback port, with WhatsApp pointed at
the fake Graph API and, when given, Telegram pointed at the fake Bot API."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from pathlib import Path

from fakes.telegram_api import FakeTelegram
from fakes.whatsapp_api import FakeGraph
from telegram_harness import asgi_served, settings_for

from bot.runtime.app import App, running
from bot.runtime.config import Settings
from bot.runtime.runners import serving

VERIFY_TOKEN = "verifikasi-uji-123"


def whatsapp_env(graph: FakeGraph, *, template: str = "") -> dict[str, str]:
    return {
        "WHATSAPP_TOKEN": graph.token,
        "WHATSAPP_APP_SECRET": graph.app_secret,
        "WHATSAPP_VERIFY_TOKEN": VERIFY_TOKEN,
        "WHATSAPP_PHONE_NUMBER_ID": graph.phone_number_id,
        "WHATSAPP_API_URL": graph.api_url,
        "WHATSAPP_TEMPLATE": template,
    }


def whatsapp_settings(
    graph: FakeGraph,
    db_url: str,
    data: Path,
    *,
    telegram: FakeTelegram | None = None,
    extra: Mapping[str, str] | None = None,
) -> Settings:
    """WhatsApp only, or WhatsApp and Telegram (officers' group, admin) in one process."""
    env = {**whatsapp_env(graph), **(extra or {})}
    if telegram is not None:
        return settings_for(telegram, db_url, data, env)
    base = {"DATABASE_URL": db_url, "TANYA_DATA_DIR": str(data), "USER_HASH_SALT": "garam-uji"}
    return Settings.from_env({**base, **env})


@asynccontextmanager
async def served(settings: Settings) -> AsyncIterator[tuple[App, str]]:
    """One `serve` worker on a free loopback port; yields the app and its base URL."""
    async with running(settings, "serve") as app, serving(app) as asgi, asgi_served(asgi) as url:
        yield app, url
