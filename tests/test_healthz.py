"""/healthz serves the database state the upkeep loop keeps fresh: a crowd of calls writes
nothing (it used to write twice per call, anyone may call it), the state follows the database
within one check period, and a check that stops finishing turns it red ("stale")."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
from fakes.telegram_api import FakeTelegram
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine
from telegram_harness import asgi_served, settings_for

from bot.runtime.app import running
from bot.runtime.health import STALE_AFTER, Health
from bot.runtime.runners import serving
from bot.storage.health import DatabaseHealth


def probe_counter(engine: AsyncEngine) -> Callable[[], int]:
    """How many health probes (their rolled-back 8 KiB insert) ran on `engine` since now."""
    seen: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if statement.lstrip().upper().startswith("INSERT INTO NOTICES"):
            seen.append(statement)

    event.listen(engine.sync_engine, "before_cursor_execute", record)
    return lambda: len(seen)


async def test_a_crowd_of_healthz_calls_writes_nothing(
    fake: FakeTelegram, db_url: str, tmp_path: Path
) -> None:
    settings = settings_for(fake, db_url, tmp_path)
    async with running(settings, "serve") as app, serving(app) as asgi, asgi_served(asgi) as url:
        probes = probe_counter(app.store._engine)  # test-only peek at the engine
        limits = httpx.Limits(max_connections=200)
        async with httpx.AsyncClient(timeout=30, limits=limits) as client:
            answers = await asyncio.gather(*(client.get(f"{url}/healthz") for _ in range(200)))
        assert {a.status_code for a in answers} == {200}
        assert {a.json()["database"] for a in answers} == {"ok"}
        assert probes() <= 1  # at most the upkeep loop's own check, whatever the crowd


async def test_healthz_follows_a_lost_database_within_one_check_period(
    fake: FakeTelegram, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    settings = settings_for(fake, f"sqlite:///{data / 'bot.db'}", data)
    async with running(settings, "serve") as app:
        app.health.every = 0.2  # the real period is seconds; the loop is the same
        async with (
            serving(app) as asgi,
            asgi_served(asgi) as url,
            httpx.AsyncClient(timeout=10) as client,
        ):
            assert (await client.get(f"{url}/healthz")).status_code == 200
            # Moved away in one step: deleting file by file raced the inbox worker, whose
            # next claim opened (and so re-created) files in the half-deleted directory.
            data.rename(tmp_path / "gone")
            await asyncio.sleep(0.2 * 3)
            answer = await client.get(f"{url}/healthz")
    assert answer.status_code == 503
    assert answer.json()["database"] == "lost"


async def test_a_check_that_stops_finishing_turns_healthz_stale(engine: AsyncEngine) -> None:
    now = [0.0]
    health = Health(DatabaseHealth(engine).check, every=5.0, clock=lambda: now[0])
    assert health.report()[0] == 503  # nothing checked yet: not known to be usable
    await health.refresh()
    now[0] += STALE_AFTER * 5.0
    assert health.report() == (
        200,
        {"status": "ok", "database": "ok", "channels": {}, "degraded": []},
    )
    now[0] += 0.1  # no check finished for longer than STALE_AFTER periods
    status, body = health.report()
    assert (status, body["database"], body["status"]) == (503, "stale", "down")
