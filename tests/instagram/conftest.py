"""Fixtures: the fake Instagram Graph API, a client for it, a webhook it posts to, and a
`serve` worker with Instagram pointed at the fake (`bot`)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from fakes.instagram_api import FakeInstagram
from support.meta_harness import served

from bot.channels.instagram.api import InstagramClient
from bot.channels.instagram.settings import InstagramSettings
from bot.channels.meta import Retries
from bot.runtime.app import App

from .harness import RecordingWebhook, instagram_env, instagram_settings, webhook_for


def settings_for(fake: FakeInstagram, **extra: str) -> InstagramSettings:
    return InstagramSettings.from_env(instagram_env(fake, **extra))


@pytest.fixture
async def fake() -> AsyncIterator[FakeInstagram]:
    async with FakeInstagram() as server:
        yield server


@pytest.fixture
async def bot(fake: FakeInstagram, db_url: str, tmp_path: Path) -> AsyncIterator[App]:
    async with served(instagram_settings(fake, db_url, tmp_path)) as (app, url):
        fake.deliver_to(f"{url}/instagram")
        # Set at start in the background: waited for, so a failure a test injects is not
        # spent on them.
        await fake.wait_for(lambda: bool(fake.ice_breakers))
        yield app


@pytest.fixture
async def client(fake: FakeInstagram) -> AsyncIterator[InstagramClient]:
    # No real waiting between retries: the backoff's shape is tested on its own.
    instagram = InstagramClient(settings_for(fake), retries=Retries(backoff=0.0, max_backoff=0.0))
    yield instagram
    await instagram.close()


@pytest.fixture
async def hook(fake: FakeInstagram) -> AsyncIterator[RecordingWebhook]:
    async with webhook_for(fake) as recording:
        yield recording
