"""`python -m bot serve` as a real process with WhatsApp only (no Telegram token): it verifies,
answers, stops cleanly, and keeps the WhatsApp secrets out of its log."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import httpx
import pytest
from fakes.whatsapp_api import FakeGraph
from fakes.whatsapp_payloads import User

from .harness import VERIFY_TOKEN, whatsapp_env

ROOT = Path(__file__).resolve().parents[2]
USER = User("6281400000004")


@pytest.fixture
async def graph() -> AsyncIterator[FakeGraph]:
    async with FakeGraph() as fake:
        yield fake


def environment(tmp_path: Path, extra: dict[str, str]) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "WHATSAPP_"))}
    return {
        **env,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'bot.db'}",
        "TANYA_DATA_DIR": str(tmp_path),
        **extra,
    }


async def start(port: int, env: dict[str, str]) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "serve", "--port", str(port),
        cwd=ROOT, env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip


async def wait_healthy(url: str) -> None:
    async with httpx.AsyncClient(timeout=5) as client:
        for _ in range(300):
            try:
                if (await client.get(f"{url}/healthz")).status_code == 200:
                    return
            except httpx.ConnectError:
                pass
            await asyncio.sleep(0.1)
    raise AssertionError("serve did not become healthy")


async def test_serve_runs_whatsapp_alone(
    graph: FakeGraph, tmp_path: Path, reserve_port: Callable[[], int]
) -> None:
    port = reserve_port()
    url = f"http://127.0.0.1:{port}"
    process = await start(port, environment(tmp_path, whatsapp_env(graph)))
    try:
        await wait_healthy(url)
        async with httpx.AsyncClient(timeout=5) as client:
            query = {
                "hub.mode": "subscribe",
                "hub.verify_token": VERIFY_TOKEN,
                "hub.challenge": "7",
            }
            assert (await client.get(f"{url}/whatsapp", params=query)).text == "7"
            assert (await client.post(f"{url}/telegram", json={})).status_code == 404
        graph.deliver_to(f"{url}/whatsapp")
        assert await graph.user_says(USER, "berapa biaya paspor") == 200
        assert "Rp350.000" in graph.sent_to(USER.address)[0].text
        assert await graph.post(b"{}", signature="sha256=00") == 403
    finally:
        process.send_signal(signal.SIGTERM)
        _, err = await asyncio.wait_for(process.communicate(), timeout=30)
    log = err.decode()
    assert process.returncode == 0, log
    assert "bad or missing signature" in log  # the refusal is logged ...
    for secret in (graph.token, graph.app_secret, VERIFY_TOKEN, graph.phone_number_id):
        assert secret not in log  # ... and no secret ever is


async def test_half_configured_whatsapp_is_a_clear_error(
    tmp_path: Path, reserve_port: Callable[[], int]
) -> None:
    env = environment(tmp_path, {"WHATSAPP_TOKEN": "abc", "WHATSAPP_PHONE_NUMBER_ID": "123"})
    process = await start(reserve_port(), env)
    _, err = await asyncio.wait_for(process.communicate(), timeout=60)
    assert process.returncode == 2
    assert "WHATSAPP_APP_SECRET" in err.decode()
    assert "WHATSAPP_VERIFY_TOKEN" in err.decode()


async def test_serve_needs_a_channel(tmp_path: Path, reserve_port: Callable[[], int]) -> None:
    process = await start(reserve_port(), environment(tmp_path, {}))
    _, err = await asyncio.wait_for(process.communicate(), timeout=60)
    assert process.returncode == 2
    assert "TELEGRAM_BOT_TOKEN" in err.decode()
