"""WhatsApp load: N senders x M messages through the signed webhook of two `python -m bot serve`
worker processes sharing one (throwaway) PostgreSQL database; replies go to the fake Graph API.

Each sender writes its messages one after another (a person waits for the answer), all senders
at once, alternating workers; every tenth message is also redelivered at the same moment to the
other worker, as Meta does when it retries. Reports messages/s, webhook-to-send latency (from
the POST leaving to the reply reaching the Graph API) and whether any reply was lost or sent
twice.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import statistics
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from fakes import whatsapp_payloads  # noqa: E402
from fakes.meta import encode, sign  # noqa: E402
from fakes.whatsapp_api import FakeGraph  # noqa: E402
from fakes.whatsapp_payloads import User  # noqa: E402
from postgres_server import find_bindir, start_server  # noqa: E402
from sqlalchemy import text  # noqa: E402
from sqlalchemy.ext.asyncio import create_async_engine  # noqa: E402
from support.ports import held_port  # noqa: E402

from benchmarks.questions import answerable_questions  # noqa: E402

IN_FLIGHT = 32  # webhook POSTs open at once (Meta delivers concurrently, not unboundedly)
DUPLICATE_EVERY = 10
VERIFY_TOKEN = "bench-verify-token"


@dataclass(slots=True)
class Posted:
    """What the driver sent, to check the replies against."""

    started: dict[tuple[str, str], float] = field(default_factory=dict)  # (to, line) -> t
    statuses: list[int] = field(default_factory=list)
    duplicates: int = 0
    retried: int = 0  # posts sent again after a dropped keep-alive connection


def environment(fake: FakeGraph, database_url: str, folder: str) -> dict[str, str]:
    keep = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "WHATSAPP_"))}
    return {
        **keep,
        "DATABASE_URL": database_url,
        "TANYA_DATA_DIR": folder,
        "USER_HASH_SALT": "bench-salt",
        "WHATSAPP_TOKEN": fake.token,
        "WHATSAPP_APP_SECRET": fake.app_secret,
        "WHATSAPP_VERIFY_TOKEN": VERIFY_TOKEN,
        "WHATSAPP_PHONE_NUMBER_ID": fake.phone_number_id,
        "WHATSAPP_API_URL": fake.api_url,
    }


async def start_worker(env: dict[str, str], log: Path) -> tuple[asyncio.subprocess.Process, str]:
    """One `serve` process; returns once /healthz answers (it has migrated the database)."""
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
                try:
                    if (await client.get(f"{url}/healthz")).status_code == 200:
                        return process, url
                except httpx.TransportError:
                    await asyncio.sleep(0.1)
    raise RuntimeError(f"worker did not start; see {log}")


async def stop_worker(process: asyncio.subprocess.Process) -> int:
    process.send_signal(signal.SIGTERM)
    return await asyncio.wait_for(process.wait(), timeout=60)


@contextlib.asynccontextmanager
async def two_workers(
    env: dict[str, str], folder: str, codes: list[int]
) -> AsyncIterator[list[str]]:
    """Two `serve` workers' URLs; their exit codes go to `codes` once they have stopped."""
    # One after the other: the first migrates the empty database.
    workers = [await start_worker(env, Path(folder) / f"worker{n}.log") for n in (1, 2)]
    try:
        yield [url for _, url in workers]
    finally:
        codes += [await stop_worker(process) for process, _ in workers]


async def drive(fake: FakeGraph, urls: list[str], users: int, per_user: int) -> Posted:
    questions = answerable_questions(max(per_user * 3, 12))
    posted = Posted()
    gate = asyncio.Semaphore(IN_FLIGHT)
    limits = httpx.Limits(max_connections=IN_FLIGHT * 2)
    async with httpx.AsyncClient(timeout=120, limits=limits) as client:

        async def post(url: str, raw: bytes, key: tuple[str, str]) -> int:
            headers = {"X-Hub-Signature-256": sign(fake.app_secret, raw)}
            async with gate:
                # Latency counts from the POST leaving, not from waiting for a free slot.
                posted.started.setdefault(key, time.monotonic())
                for attempt in range(3):
                    try:
                        response = await client.post(
                            f"{url}/whatsapp", content=raw, headers=headers
                        )
                        return response.status_code
                    except httpx.TransportError:
                        # A kept-alive connection the worker had just closed: Meta retries a
                        # webhook delivery too, and the bot de-duplicates the message id.
                        if attempt == 2:
                            raise
                        posted.retried += 1
                raise AssertionError("unreachable")

        async def sender(number: int) -> None:
            user = User(f"62812{number:08d}")
            for n in range(per_user):
                question, line = questions[(number + n) % len(questions)]
                raw = encode(fake.inbound(user, whatsapp_payloads.text(question, fake.stamp())))
                urls_now = [urls[(number + n) % len(urls)]]
                if (number * per_user + n) % DUPLICATE_EVERY == 0:
                    urls_now.append(urls[(number + n + 1) % len(urls)])
                    posted.duplicates += 1
                key = (user.address, line)
                posted.statuses += await asyncio.gather(*(post(u, raw, key) for u in urls_now))

        await asyncio.gather(*(sender(n) for n in range(users)))
    return posted


def measure(fake: FakeGraph, posted: Posted, total: int) -> dict[str, float]:
    counts = {key: 0 for key in posted.started}
    latencies: list[float] = []
    for sent in fake.sent:
        key = (sent.to, sent.text[:40])  # the feedback buttons' message matches no answer
        if key not in counts:
            continue
        counts[key] += 1
        if counts[key] == 1:
            latencies.append(sent.time - posted.started[key])
    latencies.sort()
    first = min(posted.started.values())
    last = max((s.time for s in fake.sent), default=first + 1e-9)
    return {
        "messages": total,
        "messages_per_s": total / (last - first),
        "p50_ms": statistics.median(latencies) * 1000,
        "p99_ms": latencies[int(0.99 * (len(latencies) - 1))] * 1000,
        "lost": sum(1 for c in counts.values() if c == 0),
        "duplicated": sum(c - 1 for c in counts.values() if c > 1),
        "redelivered": posted.duplicates,
        "non_200": sum(1 for s in posted.statuses if s != 200),
        "retried": posted.retried,
    }


async def logged(database_url: str) -> int:
    engine = create_async_engine(database_url)
    try:
        async with engine.connect() as connection:
            return int(
                (await connection.execute(text("SELECT count(*) FROM questions"))).scalar_one()
            )
    finally:
        await engine.dispose()


async def run(users: int, per_user: int, bindir: Path) -> dict[str, float]:
    server = start_server(bindir)
    fake = FakeGraph()
    fake.start_in_thread()  # its own loop and thread, so the driver does not slow it down
    try:
        with tempfile.TemporaryDirectory() as folder:
            env = environment(fake, server.url, folder)
            codes: list[int] = []
            async with two_workers(env, folder, codes) as urls:
                posted = await drive(fake, urls, users, per_user)
                figures = measure(fake, posted, users * per_user)
            figures["logged"] = await logged(server.url)
            figures["worker_exit_codes"] = float(sum(abs(c) for c in codes))
            return figures
    finally:
        fake.stop_thread()
        server.stop()


def report() -> None:
    users = int(os.environ.get("BENCH_WHATSAPP_USERS", "1000"))
    per_user = int(os.environ.get("BENCH_WHATSAPP_MESSAGES", "5"))
    bindir = find_bindir()
    if bindir is None:
        print("WhatsApp load: skipped (no PostgreSQL server binaries: initdb, pg_ctl)")
        return
    f = asyncio.run(run(users, per_user, bindir))
    print(
        f"WhatsApp load ({users} senders x {per_user} messages, 2 `serve` workers, PostgreSQL, "
        f"{f['redelivered']:.0f} redelivered to the other worker): "
        f"{f['messages_per_s']:.1f} messages/s; webhook->send p50 {f['p50_ms']:.0f} ms, "
        f"p99 {f['p99_ms']:.0f} ms; lost {f['lost']:.0f}, duplicated {f['duplicated']:.0f}, "
        f"logged {f['logged']:.0f}/{f['messages']:.0f}, non-200 {f['non_200']:.0f}, "
        f"re-posted after a dropped connection {f['retried']:.0f}"
    )


if __name__ == "__main__":
    report()
