"""Helpers for the token tests: a `serve` worker with Instagram and Telegram, the admin's
alerts, and each account's stored token, read and aged in the database."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fakes.instagram_api import FakeInstagram
from fakes.telegram_api import FakeTelegram
from support.meta_harness import served
from telegram_harness import ADMIN, SECRET

from bot.channels.instagram.token_store import MAIN_ACCOUNT, StoredToken, TokenStore
from bot.runtime.app import App

from .harness import instagram_of, instagram_settings


@asynccontextmanager
async def worker(
    fake: FakeInstagram, db_url: str, data: Path, telegram: FakeTelegram, **env: str
) -> AsyncIterator[App]:
    """One `serve` worker with Instagram and Telegram, the admin's chat with the bot open
    (Telegram lets a bot write only to those who wrote to it)."""
    settings = instagram_settings(fake, db_url, data, telegram=telegram, extra=env)
    async with served(settings) as (app, url):
        telegram.deliver_to(f"{url}/telegram", SECRET)
        fake.deliver_to(f"{url}/instagram")
        if not telegram.sent_to(ADMIN):
            telegram.user_says(ADMIN, "/start")
            await telegram.wait_sent(ADMIN, 1)
        await instagram_of(app).upkeep()
        yield app


def admin_alerts(telegram: FakeTelegram) -> list[str]:
    """What the admin's chat got after the bot's welcome."""
    return [sent.visible_text or "" for sent in telegram.sent_to(ADMIN)[1:]]


def tokens_of(app: App) -> TokenStore:
    return TokenStore(instagram_of(app).store._engine)


async def stored(app: App, account: str = MAIN_ACCOUNT) -> StoredToken:
    current = await tokens_of(app).current(account)
    assert current is not None
    return current


async def age(
    app: App,
    *,
    refreshed: dt.timedelta,
    expires: dt.timedelta | None = None,
    account: str = MAIN_ACCOUNT,
) -> None:
    """The account's stored token, issued `refreshed` ago (and expiring in `expires`)."""
    now, current = dt.datetime.now(dt.UTC), await stored(app, account)
    expires_at = now + expires if expires is not None else current.expires_at
    aged = dataclasses.replace(current, refreshed_at=now - refreshed, expires_at=expires_at)
    await tokens_of(app).put(account, aged)
