"""`python -m bot telegram` and `python -m bot serve` as real processes: they answer, report
health, stop cleanly on SIGTERM, and never write a secret to their logs."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections.abc import Callable
from pathlib import Path

import httpx
from fakes.telegram_api import FakeTelegram
from faults.process import telegram_env
from telegram_harness import SECRET

ROOT = Path(__file__).resolve().parents[2]
USER = 616161


def environment(fake: FakeTelegram, tmp_path: Path) -> dict[str, str]:
    return telegram_env(fake, tmp_path)


async def start(*args: str, env: dict[str, str]) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        *args,
        cwd=ROOT,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )


async def stop(process: asyncio.subprocess.Process) -> tuple[int, str]:
    process.send_signal(signal.SIGTERM)
    _, err = await asyncio.wait_for(process.communicate(), timeout=30)
    assert process.returncode is not None
    return process.returncode, err.decode()


async def test_polling_process_answers_and_keeps_the_token_out_of_logs(
    fake: FakeTelegram, tmp_path: Path
) -> None:
    process = await start("telegram", env=environment(fake, tmp_path))
    try:
        await fake.wait_for(lambda: fake.polls > 0, timeout=30)
        fake.user_says(USER, "berapa biaya paspor")
        (reply,) = await fake.wait_sent(USER, 1, timeout=15)
        assert "Rp350.000" in (reply.visible_text or "")
    finally:
        code, log = await stop(process)
    assert code == 0, log
    assert fake.token not in log
    assert fake.token.split(":")[1] not in log
    assert "HTTP Request" not in log


async def test_serve_reports_health_and_refuses_a_wrong_secret(
    fake: FakeTelegram, tmp_path: Path, reserve_port: Callable[[], int]
) -> None:
    port = reserve_port()
    process = await start("serve", "--port", str(port), env=environment(fake, tmp_path))
    url = f"http://127.0.0.1:{port}"
    try:
        async with httpx.AsyncClient(timeout=5) as client:
            for _ in range(300):
                try:
                    health = await client.get(f"{url}/healthz")
                    if health.json()["channels"]["telegram"] == "ok":
                        break  # Telegram starts in the background (getMe) after the port opens
                except httpx.ConnectError:
                    pass
                await asyncio.sleep(0.1)
            assert health.status_code == 200
            assert health.json() == {
                "status": "ok",
                "database": "ok",
                "channels": {"telegram": "ok"},
                "degraded": [],
            }
            update = {"update_id": 1, "message": {"message_id": 1}}
            wrong = await client.post(
                f"{url}/telegram", json=update, headers={"X-Telegram-Bot-Api-Secret-Token": "x"}
            )
            assert wrong.status_code == 403
    finally:
        code, log = await stop(process)
    assert code == 0, log
    assert SECRET not in log
    assert fake.token not in log


async def test_missing_token_is_a_clear_error(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}",
        "TELEGRAM_BOT_TOKEN": "",
    }
    process = await start("telegram", env=env)
    _, err = await asyncio.wait_for(process.communicate(), timeout=60)
    assert process.returncode == 2
    assert "TELEGRAM_BOT_TOKEN" in err.decode()
