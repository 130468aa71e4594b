"""`python -m bot serve` as a real process with WhatsApp only (no Telegram token): it verifies,
answers, stops cleanly, and keeps the WhatsApp secrets out of its log."""

from __future__ import annotations

import asyncio
import signal
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import httpx
import pytest
from fakes.whatsapp_api import FakeGraph
from fakes.whatsapp_payloads import User
from support.serve_process import environment, start, wait_healthy

from .harness import VERIFY_TOKEN, whatsapp_env

USER = User("6281400000004")


@pytest.fixture
async def graph() -> AsyncIterator[FakeGraph]:
    async with FakeGraph() as fake:
        yield fake


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


async def test_serve_with_no_channel_serves_the_admin_console_alone(
    tmp_path: Path, reserve_port: Callable[[], int]
) -> None:
    # Before the console (issue 19) `serve` refused to start without a channel.
    port = reserve_port()
    url = f"http://127.0.0.1:{port}"
    process = await start(port, environment(tmp_path, {}))
    try:
        await wait_healthy(url)
        async with httpx.AsyncClient(timeout=5) as client:
            assert (await client.get(f"{url}/admin/login")).status_code == 200
            assert (await client.post(f"{url}/whatsapp", content=b"{}")).status_code == 404
    finally:
        process.send_signal(signal.SIGTERM)
        await asyncio.wait_for(process.communicate(), timeout=30)
    assert process.returncode == 0


async def test_an_office_number_for_an_office_not_in_the_directory_is_a_clear_error(
    graph: FakeGraph, tmp_path: Path, reserve_port: Callable[[], int]
) -> None:
    numbers = {"WHATSAPP_OFFICE_NUMBERS": "kotabumi:2001,metro:2002"}
    env = environment(tmp_path, {**whatsapp_env(graph), **numbers})
    process = await start(reserve_port(), env)
    _, err = await asyncio.wait_for(process.communicate(), timeout=60)
    assert process.returncode == 2
    assert "WHATSAPP_OFFICE_NUMBERS: no office metro (known: " in err.decode()
