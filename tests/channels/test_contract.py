"""The channel contract: a channel package listed in the channel list (here a test-only list
with a dummy channel added) gets its routes served with its own body limit, its state on
/healthz, its secrets masked in logs, its half configuration refused by `serve` and its
upkeep run by the background loop, with no other file changed."""

from __future__ import annotations

import asyncio
import io
import logging
from contextlib import AbstractAsyncContextManager
from pathlib import Path
from typing import cast

import httpx
import pytest
from support.dummy_channel import CHANNEL, MAX_BODY, DummyRunning
from telegram_harness import config_served

from bot.channels.contract import RunningChannel
from bot.core.errors import ConfigError
from bot.runtime import logs
from bot.runtime.app import App, running
from bot.runtime.channels import CHANNELS
from bot.runtime.config import Settings, secret_values
from bot.runtime.http_guard import http_config
from bot.runtime.runners import check_webhook_settings, serving, tick, upkeep

TOKEN = "dummy-token-rahasia-123"
LISTED = (*CHANNELS, CHANNEL)


def settings(tmp_path: Path, **env: str) -> Settings:
    base = {"TANYA_DATA_DIR": str(tmp_path), "USER_HASH_SALT": "garam-uji-kontrak"}
    return Settings.from_env({**base, **env}, channels=LISTED)


def served(app: App) -> AbstractAsyncContextManager[str]:
    """`serve`'s own server configuration (with its body guard) on a loopback port."""
    assert app.asgi is not None
    asgi, limits = app.asgi, app.body_limits
    return config_served(
        lambda port: http_config(asgi, host="127.0.0.1", port=port, timeout=5, limits=limits)
    )


def test_a_listed_channel_reads_its_section(tmp_path: Path) -> None:
    read = settings(tmp_path, DUMMY_TOKEN=TOKEN, DUMMY_HOOK="x")
    names = [listed.channel.name for listed in read.channels]
    assert names == ["telegram", "whatsapp", "instagram", "dummy"]
    assert read.section(type(CHANNEL.from_env({}))).enabled


def test_its_secrets_are_masked(tmp_path: Path) -> None:
    secrets = secret_values(settings(tmp_path, DUMMY_TOKEN=TOKEN, DUMMY_HOOK="x"))
    assert TOKEN in secrets
    out = io.StringIO()
    logger = logging.getLogger("tests.contract")
    logger.handlers[:] = [logs.handler(secrets, out)]
    logger.propagate = False
    try:
        logger.warning("calling with %s", TOKEN)
    finally:
        logger.handlers.clear()
    assert TOKEN not in out.getvalue()
    assert logs.MASK in out.getvalue()


def test_serve_refuses_it_half_configured_naming_what_is_missing(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="dummy is half configured; not set: DUMMY_HOOK"):
        check_webhook_settings(settings(tmp_path, DUMMY_TOKEN=TOKEN))


def test_serve_accepts_it_as_the_only_channel_or_none_for_the_console_alone(
    tmp_path: Path,
) -> None:
    check_webhook_settings(settings(tmp_path, DUMMY_TOKEN=TOKEN, DUMMY_HOOK="x"))
    check_webhook_settings(settings(tmp_path))  # issue 19: the admin console alone


async def test_serve_mounts_its_route_with_its_body_limit_and_reports_it(
    tmp_path: Path,
) -> None:
    configured = settings(tmp_path, DUMMY_TOKEN=TOKEN, DUMMY_HOOK="x")
    async with running(configured, "serve") as app:
        dummy = app.channel(DummyRunning)
        assert dummy is not None
        async with serving(app), served(app) as url, httpx.AsyncClient(timeout=10) as client:
            small = await client.post(f"{url}/dummy", content=b"a" * MAX_BODY)
            large = await client.post(f"{url}/dummy", content=b"a" * (MAX_BODY + 1))
            health = (await client.get(f"{url}/healthz")).json()
    assert (small.status_code, large.status_code) == (200, 413)
    assert dummy.received == [b"a" * MAX_BODY]
    assert health["channels"] == {"dummy": "ok"}
    assert dummy.closed


async def test_the_background_loop_runs_its_upkeep_every_round(tmp_path: Path) -> None:
    configured = settings(tmp_path, DUMMY_TOKEN=TOKEN, DUMMY_HOOK="x")
    async with running(configured, "serve") as app:
        dummy = app.channel(DummyRunning)
        assert dummy is not None
        background = asyncio.create_task(tick(app, every=0.01))
        try:
            for _ in range(2):  # two rounds
                await asyncio.wait_for(dummy.upkept.wait(), timeout=10)
                dummy.upkept.clear()
        finally:
            background.cancel()
            await asyncio.gather(background, return_exceptions=True)
    assert dummy.upkeeps >= 2


class Broken:
    name = "rusak"

    async def upkeep(self) -> None:
        raise RuntimeError("upkeep rusak")


async def test_one_channels_failed_upkeep_does_not_skip_the_others(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    configured = settings(tmp_path, DUMMY_TOKEN=TOKEN, DUMMY_HOOK="x")
    async with running(configured, "serve") as app:
        dummy = app.channel(DummyRunning)
        assert dummy is not None
        await upkeep([cast(RunningChannel, Broken()), dummy])
    assert dummy.upkeeps == 1
    assert "rusak upkeep failed" in caplog.text
