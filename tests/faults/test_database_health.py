"""/healthz checks that the database really takes writes, and notices a lost SQLite file
(issue 9): a deleted data directory and a full disk turn it red on a running `serve`."""

from __future__ import annotations

import contextlib
import resource
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

import httpx
from fakes.telegram_api import FakeTelegram
from telegram_harness import SECRET

from bot.channels.telegram.webhook import SECRET_HEADER

from .process import health_until, start, stop, telegram_env


def healthy(status: int, body: dict[str, object]) -> bool:
    return status == 200 and body.get("status") == "ok"


def database_is(state: str):  # type: ignore[no-untyped-def]
    return lambda status, body: status == 503 and body.get("database") == state


async def test_deleting_the_data_directory_turns_healthz_red(
    fake: FakeTelegram, tmp_path: Path, reserve_port: Callable[[], int]
) -> None:
    data = tmp_path / "data"
    port = reserve_port()
    url = f"http://127.0.0.1:{port}"
    process = await start("serve", "--port", str(port), env=telegram_env(fake, data))
    try:
        await health_until(url, healthy, process=process)
        shutil.rmtree(data)
        _, body = await health_until(url, database_is("lost"), process=process)
        assert body["status"] == "down"
    finally:
        code, log = await stop(process)
    assert code == 0, log
    assert "ERROR DATABASE FILE LOST" in log
    assert log.count("DATABASE FILE LOST") == 1  # loud once, not on every probe


async def test_a_full_disk_turns_healthz_red_until_space_returns(
    fake: FakeTelegram, tmp_path: Path, reserve_port: Callable[[], int]
) -> None:
    port = reserve_port()
    url = f"http://127.0.0.1:{port}"
    process = await start("serve", "--port", str(port), env=telegram_env(fake, tmp_path))
    try:
        await health_until(url, healthy, process=process)
        # No file of the process may grow past 4 KiB: every write to the database fails
        # with "database or disk is full", as on a full disk.
        soft, hard = resource.prlimit(process.pid, resource.RLIMIT_FSIZE)
        resource.prlimit(process.pid, resource.RLIMIT_FSIZE, (4096, hard))
        _, body = await health_until(url, database_is("unwritable"), process=process)
        assert body["status"] == "down"
        async with httpx.AsyncClient(timeout=10) as client:
            update = fake.user_says(77, "halo")  # the fake knows the chat; we deliver it
            answered = await client.post(
                f"{url}/telegram", json=update, headers={SECRET_HEADER: SECRET}
            )
        # Answering needs no database: the applicant is answered from the knowledge base while
        # /healthz tells the operator that nothing is being kept (issue 9).
        assert answered.status_code == 200
        (reply,) = await fake.wait_sent(77, 1)
        assert reply.visible_text
        resource.prlimit(process.pid, resource.RLIMIT_FSIZE, (soft, hard))
        await health_until(url, healthy, process=process)
    finally:
        code, log = await stop(process)
    assert code == 0, log
    assert "database is not writable" in log
    assert "database is writable again" in log
    # The question asked while the disk was full waited in memory and was logged afterwards.
    with contextlib.closing(sqlite3.connect(tmp_path / "bot.db")) as db:
        (logged,) = db.execute("SELECT count(*) FROM questions WHERE text_redacted = 'halo'")
    assert logged == (1,)
