"""What the Instagram and WhatsApp harnesses share: settings for a Meta channel's fake, alone
or with Telegram (the officers' group and the admins) in one process, and the real `serve`
wiring (runners.serving) on a loopback port."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Generic, TypeVar

from fakes.telegram_api import FakeTelegram
from telegram_harness import asgi_served, settings_for

from bot.runtime.app import App, running
from bot.runtime.config import Settings
from bot.runtime.runners import serving

Fake = TypeVar("Fake")


@dataclass(frozen=True, slots=True)
class MetaSettings(Generic[Fake]):
    """Makes a process's `Settings` for one Meta channel's fake; `env_of(fake)` gives the
    channel's variables."""

    env_of: Callable[[Fake], Mapping[str, str]]

    def __call__(
        self,
        fake: Fake,
        db_url: str,
        data: Path,
        *,
        telegram: FakeTelegram | None = None,
        extra: Mapping[str, str] | None = None,
    ) -> Settings:
        """The channel only, or the channel and Telegram (officers' group, admin)."""
        env = {**self.env_of(fake), **(extra or {})}
        if telegram is not None:
            return settings_for(telegram, db_url, data, env)
        base = {"DATABASE_URL": db_url, "TANYA_DATA_DIR": str(data), "USER_HASH_SALT": "garam-uji"}
        return Settings.from_env({**base, **env})


@asynccontextmanager
async def served(settings: Settings) -> AsyncIterator[tuple[App, str]]:
    """One `serve` worker on a free loopback port; yields the app and its base URL."""
    async with running(settings, "serve") as app, serving(app) as asgi, asgi_served(asgi) as url:
        yield app, url
