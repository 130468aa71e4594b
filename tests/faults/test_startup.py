"""Start-up with Telegram's API down: the process stays up, WhatsApp serves, /healthz names
the degraded channel, and Telegram starts by itself once its API answers (issue 9)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest
from fakes.telegram_api import FakeTelegram
from fakes.telegram_rules import ApiError
from fakes.whatsapp_api import FakeGraph
from fakes.whatsapp_payloads import User
from telegram_harness import SECRET
from whatsapp.harness import whatsapp_env

from bot.runtime.health import DEGRADED

from .process import health_until, start, stop, telegram_env

WA_USER = User("6281400000009")
TG_USER = 646464


@pytest.fixture
async def graph() -> AsyncIterator[FakeGraph]:
    async with FakeGraph() as fake:
        yield fake


async def telegram_answers(fake: FakeTelegram) -> None:
    fake.user_says(TG_USER, "berapa biaya paspor")
    (reply,) = await fake.wait_sent(TG_USER, 1)
    assert "Rp350.000" in (reply.visible_text or "")


def degraded(status: int, body: dict[str, Any]) -> bool:
    # "starting" is listed as degraded too: wait for the first failed start, not just any.
    telegram = body.get("channels", {}).get("telegram")
    return status == 200 and body.get("degraded") == ["telegram"] and telegram == DEGRADED


def all_ok(status: int, body: dict[str, object]) -> bool:
    return status == 200 and body.get("status") == "ok"


async def test_serve_keeps_whatsapp_up_while_telegram_fails_then_starts_telegram(
    fake: FakeTelegram, graph: FakeGraph, tmp_path: Path, reserve_port: Callable[[], int]
) -> None:
    fake.failing_methods["getMe"] = ApiError(502, "Bad Gateway")
    port = reserve_port()
    url = f"http://127.0.0.1:{port}"
    env = telegram_env(fake, tmp_path, **whatsapp_env(graph))
    process = await start("serve", "--port", str(port), env=env)
    try:
        _, body = await health_until(url, degraded, process=process)
        assert body["channels"] == {"telegram": "degraded", "whatsapp": "ok"}
        graph.deliver_to(f"{url}/whatsapp")
        assert await graph.user_says(WA_USER, "berapa biaya paspor") == 200
        assert "Rp350.000" in graph.sent_to(WA_USER.address)[0].text
        del fake.failing_methods["getMe"]
        _, body = await health_until(url, all_ok, process=process)
        assert body["channels"] == {"telegram": "ok", "whatsapp": "ok"}
        fake.deliver_to(f"{url}/telegram", SECRET)
        await telegram_answers(fake)
    finally:
        code, log = await stop(process)
    assert code == 0, log
    assert "telegram could not start" in log
    assert fake.token not in log


async def test_serve_with_telegram_unreachable_still_serves_whatsapp(
    graph: FakeGraph, tmp_path: Path, reserve_port: Callable[[], int]
) -> None:
    closed = reserve_port()  # nothing listens there: connection refused
    port = reserve_port()
    url = f"http://127.0.0.1:{port}"
    env = {
        **telegram_env(FakeTelegram(), tmp_path, **whatsapp_env(graph)),
        "TELEGRAM_API_URL": f"http://127.0.0.1:{closed}/bot",
    }
    process = await start("serve", "--port", str(port), env=env)
    try:
        await health_until(url, degraded, process=process)
        graph.deliver_to(f"{url}/whatsapp")
        assert await graph.user_says(WA_USER, "berapa biaya paspor") == 200
        assert "Rp350.000" in graph.sent_to(WA_USER.address)[0].text
    finally:
        code, log = await stop(process)
    assert code == 0, log
    assert "NetworkError" in log


async def test_polling_waits_for_the_api_instead_of_exiting(
    fake: FakeTelegram, tmp_path: Path
) -> None:
    fake.failing_methods["getMe"] = ApiError(500, "Internal Server Error")
    process = await start("telegram", env=telegram_env(fake, tmp_path))
    try:
        # Two refused getMe calls: the first attempt and a retry, so it did not give up.
        await fake.wait_for(lambda: fake.calls.count("getMe") >= 2, timeout=30)
        assert process.returncode is None
        del fake.failing_methods["getMe"]
        await fake.wait_for(lambda: fake.polls > 0, timeout=30)
        await telegram_answers(fake)
    finally:
        code, log = await stop(process)
    assert code == 0, log
    assert "telegram could not start" in log
