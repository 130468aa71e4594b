"""`python -m bot serve` as a real process with Instagram only: it verifies, answers, stops
cleanly, keeps the Instagram secrets out of its log, and refuses to start half configured."""

from __future__ import annotations

import asyncio
import signal
from collections.abc import Callable
from pathlib import Path

import httpx
from fakes.instagram_api import FakeInstagram
from fakes.instagram_payloads import IgUser
from support.serve_process import environment, start, wait_healthy

from .harness import VERIFY_TOKEN, instagram_env

USER = IgUser("6543210987654999")


async def test_serve_runs_instagram_alone_and_never_logs_its_secrets(
    fake: FakeInstagram, tmp_path: Path, reserve_port: Callable[[], int]
) -> None:
    port = reserve_port()
    url = f"http://127.0.0.1:{port}"
    process = await start(port, environment(tmp_path, instagram_env(fake)))
    try:
        await wait_healthy(url)
        query = {"hub.mode": "subscribe", "hub.verify_token": VERIFY_TOKEN, "hub.challenge": "7"}
        async with httpx.AsyncClient(timeout=5) as client:
            assert (await client.get(f"{url}/instagram", params=query)).text == "7"
            wrong = {**query, "hub.verify_token": "salah"}
            assert (await client.get(f"{url}/instagram", params=wrong)).status_code == 403
        fake.deliver_to(f"{url}/instagram")
        await fake.wait_for(lambda: bool(fake.ice_breakers))
        fake.fail_next(1, status=500)  # a retried send: its log line must not leak either
        assert await fake.user_says(USER, "berapa biaya paspor") == 200
        assert "Rp650.000" in fake.sent_to(USER.igsid)[0].text
        assert await fake.post(b"{}", signature="sha256=00") == 403
    finally:
        process.send_signal(signal.SIGTERM)
        _, err = await asyncio.wait_for(process.communicate(), timeout=30)
    log = err.decode()
    assert process.returncode == 0, log
    assert "bad or missing signature" in log  # the refusal is logged ...
    assert "retrying" in log
    for secret in (fake.token, fake.app_secret, VERIFY_TOKEN):
        assert secret not in log  # ... and no secret ever is


async def test_half_configured_instagram_is_refused_naming_what_is_missing(
    tmp_path: Path, reserve_port: Callable[[], int]
) -> None:
    given = {"INSTAGRAM_ACCESS_TOKEN": "IGAAabc", "INSTAGRAM_ACCOUNT_ID": "17841400000000001"}
    process = await start(reserve_port(), environment(tmp_path, given))
    _, err = await asyncio.wait_for(process.communicate(), timeout=60)
    assert process.returncode == 2
    assert "INSTAGRAM_APP_SECRET" in err.decode()
    assert "INSTAGRAM_VERIFY_TOKEN" in err.decode()
    assert "IGAAabc" not in err.decode()
