"""One webhook load run: a throwaway PostgreSQL, the fake channel API in its own process, two
`python -m bot serve` workers, the load driver in its own process; then what it cost.

CPU is read per process tree from /proc just before the driver starts sending and once the
fake API has received the last reply, so start-up and migrations are not counted; the
driver reports its own CPU over its sending. Transactions and statements are PostgreSQL's
counters, read once the workers have stopped and their backends have gone (see load_meter).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import statistics
import sys
import tempfile
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from benchmarks import load_history, load_meter
from benchmarks.load_fake import FakeProcess, Reply, fake_process

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from postgres_server import DATABASE, PostgresServer, find_bindir, start_server  # noqa: E402
from support.ports import held_port  # noqa: E402

Figures = dict[str, float]
IDLE_SECONDS = 11.0


@dataclass(frozen=True, slots=True)
class Worker:
    process: asyncio.subprocess.Process
    url: str


def environment(settings: dict[str, str], database_url: str, folder: str) -> dict[str, str]:
    keep = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "WHATSAPP_"))}
    return {
        **keep,
        "DATABASE_URL": database_url,
        "TANYA_DATA_DIR": folder,
        "USER_HASH_SALT": "bench-salt",
        **settings,
    }


async def start_worker(env: dict[str, str], log: Path) -> Worker:
    """One `serve` process; returns once /healthz answers (it has migrated the database) and no
    channel is still starting."""
    with held_port() as held:  # until the worker listens there itself
        port = held.getsockname()[1]
        with log.open("wb") as sink:  # a file, not a pipe nobody reads, which would fill and block
            process = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bot", "serve", "--port", str(port),
                cwd=ROOT, env=env, stdout=sink, stderr=sink,
            )  # fmt: skip
        url = f"http://127.0.0.1:{port}"
        async with httpx.AsyncClient(timeout=5) as client:
            for _ in range(600):
                with contextlib.suppress(httpx.TransportError):
                    health = await client.get(f"{url}/healthz")
                    channels = health.json().get("channels", {}).values()
                    # Telegram starts in the background (getMe) after the port opens.
                    if health.status_code == 200 and "starting" not in channels:
                        return Worker(process, url)
                await asyncio.sleep(0.1)
    raise RuntimeError(f"worker did not start; see {log}")


async def stop_worker(process: asyncio.subprocess.Process) -> int:
    process.send_signal(signal.SIGTERM)
    return await asyncio.wait_for(process.wait(), timeout=60)


@contextlib.asynccontextmanager
async def worker_pair(
    env: dict[str, str], folder: str, codes: list[int]
) -> AsyncIterator[list[Worker]]:
    """Two `serve` workers; their exit codes go to `codes` once they have stopped."""
    # One after the other: the first migrates the empty database.
    workers = [await start_worker(env, Path(folder) / f"worker{n}.log") for n in (1, 2)]
    try:
        yield workers
    finally:
        codes += [await stop_worker(worker.process) for worker in workers]


@contextlib.asynccontextmanager
async def two_workers(
    env: dict[str, str], folder: str, codes: list[int]
) -> AsyncIterator[list[str]]:
    """`worker_pair`, as the URLs of the two workers."""
    async with worker_pair(env, folder, codes) as workers:
        yield [worker.url for worker in workers]


async def start_driver(
    channel: str, users: int, per_user: int, out: Path, urls: list[str]
) -> asyncio.subprocess.Process:
    """The driver process, once it has built its requests and waits for `go`."""
    driver = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "benchmarks.load_driver", channel, str(users), str(per_user),
        str(out), *urls, cwd=ROOT, stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
    )  # fmt: skip
    assert driver.stdout is not None
    if (await driver.stdout.readline()).strip() != b"ready":
        raise RuntimeError("the load driver did not start")
    return driver


async def go(driver: asyncio.subprocess.Process) -> None:
    assert driver.stdin is not None
    driver.stdin.write(b"go\n")
    await driver.stdin.drain()
    if await driver.wait() != 0:
        raise RuntimeError(f"the load driver failed ({driver.returncode})")


def cpu_readings(workers: list[Worker], fake: FakeProcess, postmaster: int) -> Figures:
    return {
        "workers": sum(load_meter.tree_cpu(w.process.pid) for w in workers),
        "postgres": load_meter.tree_cpu(postmaster),
        "fake_api": load_meter.tree_cpu(fake.pid),
    }


async def prepare_server(server: PostgresServer) -> bool:
    """pg_stat_statements preloaded (the server restarted) where available; whether it is."""
    dsn = load_meter.plain_dsn(server.url)
    if not load_meter.statements_library(server.bindir):
        return False
    await load_meter.preload_statements(dsn)
    server.pause()
    server.resume()
    await load_meter.create_statements_view(dsn)
    return True


def report(channel: str, title: str, prefix: str, *, setup: str = "", targets: str = "") -> None:
    """Run PREFIX_USERS x PREFIX_MESSAGES (default 1,000 x 5) and print one line of figures;
    say so and skip without PostgreSQL's binaries."""
    if (bindir := find_bindir()) is None:
        print(f"{title}: skipped (no PostgreSQL server binaries: initdb, pg_ctl)")
        return
    users = int(os.environ.get(f"{prefix}_USERS", "1000"))
    per_user = int(os.environ.get(f"{prefix}_MESSAGES", "5"))
    f = asyncio.run(run(channel, users, per_user, bindir))
    print(
        f"{title} ({users} senders x {per_user} messages, 2 `serve` workers, PostgreSQL with"
        f" {load_history.described()}, {setup}"
        f"{f['redelivered']:.0f} redelivered to the other worker): {outcome(f)}. {costs(f)}"
        f"{targets}; {machine_load()}"
    )


async def run(channel: str, users: int, per_user: int, bindir: Path) -> Figures:
    server = start_server(bindir)
    try:
        statements = await prepare_server(server)
        with tempfile.TemporaryDirectory() as folder:
            async with fake_process(channel, users) as fake:
                meter = Meter(server, statements, users * per_user)
                return await _measured(channel, users, per_user, meter, fake, Path(folder))
    finally:
        server.stop()


class Meter:
    """Readings before and after the load, turned into costs per message."""

    def __init__(self, server: PostgresServer, statements: bool, total: int) -> None:
        self.url = server.url
        self.dsn = load_meter.plain_dsn(server.url)
        self.statements = statements
        self.total = total
        self.postmaster = load_meter.postmaster_pid(server.root / "data")
        self.cpu: Figures = {}
        self.counters = load_meter.Counters(0, None)

    async def start(self, workers: list[Worker], fake: FakeProcess) -> Figures:
        """The readings before the load, and what the idle workers cost a second until then
        (background tasks: health, the outbox's and inbox's sweeps), to judge a slow run by."""
        idle = cpu_readings(workers, fake, self.postmaster)["workers"]
        # PostgreSQL 15 publishes an idle backend's counters up to 10 s late: wait them out,
        # or the start-up's transactions would land in the run's.
        await asyncio.sleep(IDLE_SECONDS)
        self.counters = await load_meter.read_counters(self.dsn, statements=self.statements)
        self.cpu = cpu_readings(workers, fake, self.postmaster)
        return {"idle_workers_ms_per_s": (self.cpu["workers"] - idle) / IDLE_SECONDS * 1000}

    def cpu_since(self, workers: list[Worker], fake: FakeProcess) -> Figures:
        now = cpu_readings(workers, fake, self.postmaster)
        return {f"{k}_cpu_ms": (now[k] - self.cpu[k]) / self.total * 1000 for k in now}

    async def database(self) -> Figures:
        """Transactions and statements per message, once the workers' backends have gone."""
        await load_meter.wait_for_no_backends(self.postmaster, DATABASE)
        after = await load_meter.read_counters(self.dsn, statements=self.statements)
        own = load_meter.reading_transactions(statements=self.statements)
        figures = {
            "transactions": (after.transactions - self.counters.transactions - own) / self.total,
            "logged": await load_meter.count_questions(self.dsn),
        }
        if after.statements is not None and self.counters.statements is not None:
            figures["statements"] = (after.statements - self.counters.statements) / self.total
            if load_meter.TOP:
                await load_meter.print_top_statements(self.dsn)
        return figures


async def _measured(
    channel: str, users: int, per_user: int, meter: Meter, fake: FakeProcess, folder: Path
) -> Figures:
    env = environment(fake.settings, meter.url, str(folder))
    out = folder / "driver.json"
    codes: list[int] = []
    async with worker_pair(env, str(folder), codes) as workers:
        await load_history.fill(meter.dsn, channel)  # after the first worker migrated
        driver = await start_driver(channel, users, per_user, out, [w.url for w in workers])
        idle = await meter.start(workers, fake)
        await go(driver)
        await fake.settle(meter.total)
        cpu = meter.cpu_since(workers, fake)
    posted = json.loads(await asyncio.to_thread(out.read_text))
    figures = measure(posted, await fake.replies(folder / "replies.json"))
    figures |= idle | cpu | await meter.database()
    figures["driver_cpu_ms"] = posted["cpu_s"] / meter.total * 1000
    figures["worker_exit_codes"] = float(sum(abs(c) for c in codes))
    return figures


def measure(posted: dict[str, Any], replies: list[Reply]) -> Figures:
    """Throughput, latency and the exactly-once checks, from the driver's JSON and the replies."""
    started = {(str(to), str(line)): float(t) for to, line, t in posted["started"]}
    counts = dict.fromkeys(started, 0)
    latencies: list[float] = []
    for to, text, time in replies:
        if (to, text) not in counts:
            continue  # the buttons' message under an answer matches no answer
        counts[(to, text)] += 1
        if counts[(to, text)] == 1:
            latencies.append(time - started[(to, text)])
    latencies.sort()
    first = min(started.values())
    last = max((time for _, _, time in replies), default=first + 1e-9)
    statuses = [int(s) for s in posted["statuses"]]
    return {
        "messages": len(started),
        "messages_per_s": len(started) / (last - first),
        "p50_ms": statistics.median(latencies) * 1000,
        "p99_ms": latencies[int(0.99 * (len(latencies) - 1))] * 1000,
        "lost": sum(1 for c in counts.values() if c == 0),
        "duplicated": sum(c - 1 for c in counts.values() if c > 1),
        "redelivered": float(posted["redelivered"]),
        "non_200": sum(1 for s in statuses if s != 200),
        "retried": float(posted["retried"]),
    }


def costs(f: Figures) -> str:
    """The per-message cost part of the report line."""
    statements = (
        f"{f['statements']:.1f} statements (pg_stat_statements, BEGIN/COMMIT included)"
        if "statements" in f
        else "statements not available (no pg_stat_statements)"
    )
    return (
        f"CPU per message: workers {f['workers_cpu_ms']:.2f} ms, PostgreSQL "
        f"{f['postgres_cpu_ms']:.2f} ms, load driver {f['driver_cpu_ms']:.2f} ms, fake API "
        f"{f['fake_api_cpu_ms']:.2f} ms (idle, the two workers use "
        f"{f['idle_workers_ms_per_s']:.1f} ms a second); per inbound message "
        f"{f['transactions']:.2f} PostgreSQL transactions and {statements}"
    )


def outcome(f: Figures) -> str:
    """Throughput, latency and the exactly-once checks of the report line."""
    return (
        f"{f['messages_per_s']:.1f} messages/s; webhook->send p50 {f['p50_ms']:.0f} ms, "
        f"p99 {f['p99_ms']:.0f} ms; lost {f['lost']:.0f}, duplicated {f['duplicated']:.0f}, "
        f"logged {f['logged']:.0f}/{f['messages']:.0f}, non-200 {f['non_200']:.0f}, "
        f"re-posted after a dropped connection {f['retried']:.0f}"
    )


def machine_load() -> str:
    """The load average when the run ended (other jobs on the machine distort wall times)."""
    one, five, _ = os.getloadavg()
    return f"load average {one:.2f} (1 min), {five:.2f} (5 min), {os.cpu_count()} cores"
