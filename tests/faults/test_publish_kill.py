"""kill -9 of the real `serve` process while Meta is still processing a post's carousel (its
containers made and stored, no publish call yet), SQLite and PostgreSQL: the restarted
process resumes with the stored containers, makes none again, and the post goes out once."""

from __future__ import annotations

import asyncio
import datetime as dt
import signal
from collections.abc import Callable
from pathlib import Path

from fakes.instagram_api import FakeInstagram
from instagram.harness import instagram_env
from process import health_until, start, stop
from processes import scalar, wait_db
from publishing.harness import post
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool
from support.serve_process import environment

from bot.runtime.app.publishing_wiring import desk
from bot.storage import normalise_url, open_database

STATE = "SELECT count(*) FROM publications WHERE state = '{state}'"
# The dead process's lease (10 minutes) is taken as passed: a restart within it waits.
LEASE_OVER = "UPDATE publications SET lease_until = NULL"


async def serve(
    graph: FakeInstagram, db_url: str, data: Path, port: int, run: int
) -> asyncio.subprocess.Process:
    env = environment(data, {**instagram_env(graph), "DATABASE_URL": db_url})
    env |= {"PUBLIC_BASE_URL": f"http://127.0.0.1:{port}", "USER_HASH_SALT": "garam-uji"}
    process = await start("serve", "--port", str(port), env=env, log=data / f"serve-{run}.log")
    await health_until(f"http://127.0.0.1:{port}", lambda s, _: s == 200, process=process)
    return process


async def execute(db_url: str, sql: str) -> None:
    engine = create_async_engine(normalise_url(db_url), poolclass=NullPool)
    try:
        async with engine.begin() as connection:
            await connection.execute(text(sql))
    finally:
        await engine.dispose()


async def schedule(db_url: str) -> None:
    engine = await open_database(db_url)
    try:
        await desk(engine).schedule(post(), dt.datetime.now(dt.UTC), "admin.kanim")
    finally:
        await engine.dispose()


def carousel_polled(graph: FakeInstagram) -> bool:
    containers = graph.publishing.state.containers.values()
    return any(c.carousel and c.reads >= 2 for c in containers)


async def test_a_kill_between_containers_and_publish_publishes_once(
    db_url: str, tmp_path: Path, reserve_port: Callable[[], int]
) -> None:
    await schedule(db_url)
    async with FakeInstagram() as graph:
        graph.publishing.hold_carousels = True
        first = await serve(graph, db_url, tmp_path, reserve_port(), 1)
        await graph.wait_for(lambda: carousel_polled(graph), timeout=60)
        first.send_signal(signal.SIGKILL)
        await first.wait()
        assert await scalar(db_url, STATE.format(state="containers")) == 1
        graph.publishing.hold_carousels = False
        await execute(db_url, LEASE_OVER)
        second = await serve(graph, db_url, tmp_path, reserve_port(), 2)
        try:
            await graph.wait_for(lambda: len(graph.publishing.publishes) == 1, timeout=60)
            await wait_db(db_url, STATE.format(state="published"), 1)
        finally:
            await stop(second)
    assert graph.publishing.items_made == 3
    assert graph.publishing.carousels_made == 1
    assert graph.publishing.state.repeated_publishes == 0
