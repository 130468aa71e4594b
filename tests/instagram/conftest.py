"""Fixtures: the fake Instagram Graph API, a client for it, and a webhook it posts to."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from fakes.instagram_api import FakeInstagram

from bot.channels.instagram.api import InstagramClient
from bot.channels.instagram.settings import InstagramSettings

from .harness import RecordingWebhook, webhook_for


def settings_for(fake: FakeInstagram, **extra: str) -> InstagramSettings:
    env = {
        "INSTAGRAM_ACCESS_TOKEN": fake.token,
        "INSTAGRAM_APP_SECRET": fake.app_secret,
        "INSTAGRAM_VERIFY_TOKEN": "verifikasi-ig-uji-123",
        "INSTAGRAM_ACCOUNT_ID": fake.account_id,
        "INSTAGRAM_API_URL": fake.api_url,
        **extra,
    }
    return InstagramSettings.from_env(env)


@pytest.fixture
async def fake() -> AsyncIterator[FakeInstagram]:
    async with FakeInstagram() as server:
        yield server


@pytest.fixture
async def client(fake: FakeInstagram) -> AsyncIterator[InstagramClient]:
    # No real waiting between retries: the backoff's shape is tested on its own.
    instagram = InstagramClient(settings_for(fake), backoff=0.0, max_backoff=0.0)
    yield instagram
    await instagram.close()


@pytest.fixture
async def hook(fake: FakeInstagram) -> AsyncIterator[RecordingWebhook]:
    async with webhook_for(fake) as recording:
        yield recording
