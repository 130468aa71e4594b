"""Telegram load: N applicants x M messages arriving together, through the fake Bot API.

The fake enforces Telegram's ~30 messages/s send limit, so the run can be no faster than
total replies / 30 s; the target is to finish within 3% of that. The fake runs in a process of
its own (spawned), so serving it neither slows the bot's event loop nor jitters its timing;
it injects the updates, timestamps every send it accepts and judges the run itself. Reports
messages/s, update-to-reply latency, whether any message was lost or answered out of order per
chat, the 429s, and the CPU seconds of the bot's process and of the fake's.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from fakes.telegram_api import DEFAULT_TOKEN, FakeTelegram  # noqa: E402
from telegram_harness import TELEGRAMS_OWN_LIMITS, polling_bot, settings_for  # noqa: E402

from benchmarks.questions import answerable_questions  # noqa: E402

LIMIT_PER_SECOND = 30
TARGET = 0.03


@dataclass(frozen=True, slots=True)
class RemoteFake:
    """What `settings_for` needs of a fake served by another process."""

    token: str
    base_url: str


async def run(users: int, per_user: int) -> dict[str, float]:
    """Start the fake's process, the bot against it, and return the fake's verdict."""
    context = multiprocessing.get_context("spawn")  # no fork of a process with threads
    ours, theirs = context.Pipe()
    process = context.Process(target=serve_fake, args=(theirs, users, per_user), daemon=True)
    process.start()
    theirs.close()  # so that `recv` fails, rather than waits, if the fake's process dies
    try:
        base_url = await asyncio.to_thread(ours.recv)
        fake = RemoteFake(DEFAULT_TOKEN, base_url)
        with tempfile.TemporaryDirectory() as folder:
            db = f"sqlite+aiosqlite:///{folder}/load.db"
            # Telegram's own limits, not the tests' raised per-chat ones.
            settings = settings_for(fake, db, Path(folder), TELEGRAMS_OWN_LIMITS)  # type: ignore[arg-type]
            async with polling_bot(settings):
                cpu = time.process_time()
                ours.send("go")
                figures: dict[str, float] = await asyncio.to_thread(ours.recv)
                figures["bot_cpu_s"] = time.process_time() - cpu
        ours.send("stop")  # the fake serves until the bot has stopped polling it
        return figures
    finally:
        process.join(timeout=30)
        if process.is_alive():
            process.kill()


def serve_fake(conn: Connection, users: int, per_user: int) -> None:
    """The fake's process: serve, wait for "go", inject the burst, judge the replies, and
    serve on until "stop"."""
    asyncio.run(_fake_main(conn, users, per_user))


async def _fake_main(conn: Connection, users: int, per_user: int) -> None:
    questions = answerable_questions(per_user * 3)
    async with FakeTelegram(max_per_second=LIMIT_PER_SECOND) as fake:
        conn.send(fake.base_url)
        await asyncio.to_thread(conn.recv)
        cpu = time.process_time()
        figures = await drive(fake, users, per_user, questions)
        figures["fake_cpu_s"] = time.process_time() - cpu
        conn.send(figures)
        await asyncio.to_thread(conn.recv)


async def drive(
    fake: FakeTelegram, users: int, per_user: int, questions: list[tuple[str, str]]
) -> dict[str, float]:
    expected: dict[int, list[str]] = {}
    injected: dict[int, list[float]] = {}
    started = time.monotonic()
    for n in range(per_user):
        for user in range(1, users + 1):
            question, first_line = questions[(user + n) % len(questions)]
            fake.user_says(user, question)
            expected.setdefault(user, []).append(first_line)
            injected.setdefault(user, []).append(time.monotonic())
            if user % 100 == 0:
                await asyncio.sleep(0)  # the fake serves getUpdates while the burst arrives
    total = users * per_user
    budget = total / LIMIT_PER_SECOND * 1.1 + 30
    await fake.wait_for(lambda: fake.sent_count >= total, timeout=budget)
    return measure(fake, expected, injected, started, total)


def _tell_chat(user: int, lines: list[str], sent: Sequence[Any], started: float) -> None:
    """A chat whose replies are missing, extra or out of order, told on stderr with what it
    got and when: a reply sent twice shows as a repeat, a lease run out as a minute's gap."""
    print(f"chat {user}: expected {[line[:30] for line in lines]}", file=sys.stderr)
    for one in sent:
        text = (one.visible_text or "")[:60]
        print(f"  {one.time - started:8.3f} s {one.method} {text!r}", file=sys.stderr)


def measure(
    fake: FakeTelegram,
    expected: dict[int, list[str]],
    injected: dict[int, list[float]],
    started: float,
    total: int,
) -> dict[str, float]:
    latencies: list[float] = []
    lost = out_of_order = 0
    for user, lines in expected.items():
        replies = [s for s in fake.sent_to(user) if s.method == "sendMessage"]
        lost += max(0, len(lines) - len(replies))
        pairs = zip(lines, replies, strict=False)  # a lost reply leaves the line unpaired
        wrong = [not (r.visible_text or "").startswith(line) for line, r in pairs]
        out_of_order += sum(wrong)
        if any(wrong) or len(replies) != len(lines):
            _tell_chat(user, lines, fake.sent_to(user), started)
        latencies += [r.time - injected[user][i] for i, r in enumerate(replies[: len(lines)])]
    latencies.sort()
    times = sorted(s.time for s in fake.sent)
    spans = sorted(b - a for a, b in zip(times, times[LIMIT_PER_SECOND:], strict=False))
    return {
        "messages": total,
        "elapsed_s": times[-1] - started,
        "messages_per_s": total / (times[-1] - started),
        "ideal_s": total / LIMIT_PER_SECOND,
        "p50_s": statistics.median(latencies),
        "p99_s": latencies[int(0.99 * (len(latencies) - 1))],
        "lost": lost,
        "out_of_order": out_of_order,
        "rate_limited_429": fake.rate_limited,
        "first_reply_s": times[0] - started,
        # How long 31 sends in a row took: 1 s at the limit; more is pacing's own overhead.
        "span31_p50_s": spans[len(spans) // 2],
    }


def report() -> None:
    users = int(os.environ.get("BENCH_TELEGRAM_USERS", "1000"))
    per_user = int(os.environ.get("BENCH_TELEGRAM_MESSAGES", "5"))
    figures = asyncio.run(run(users, per_user))
    print(
        f"Telegram load ({users} applicants x {per_user} messages, fake API limited to "
        f"{LIMIT_PER_SECOND} msg/s, in its own process): {figures['messages_per_s']:.1f} "
        f"messages/s, finished in {figures['elapsed_s']:.1f} s vs {figures['ideal_s']:.1f} s "
        f"allowed by the limit ({figures['elapsed_s'] / figures['ideal_s'] - 1:+.1%}; target "
        f"<= +{TARGET:.0%}); update->reply p50 {figures['p50_s']:.1f} s, p99 "
        f"{figures['p99_s']:.1f} s; lost {figures['lost']:.0f}, out of order "
        f"{figures['out_of_order']:.0f}, 429s {figures['rate_limited_429']:.0f}; first reply "
        f"after {figures['first_reply_s']:.2f} s, 31 sends in a row take "
        f"{figures['span31_p50_s']:.3f} s (p50); CPU: bot "
        f"{figures['bot_cpu_s']:.1f} s, fake API {figures['fake_cpu_s']:.1f} s"
    )


if __name__ == "__main__":
    report()
