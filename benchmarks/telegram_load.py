"""Telegram load: N applicants x M messages arriving together, through the fake Bot API.

The fake enforces Telegram's ~30 messages/s send limit, so the run can be no faster than
total replies / 30 s; the target is to finish within 10% of that. Also reports messages/s,
update-to-reply latency, and whether any message was lost or answered out of order per chat.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from fakes.telegram_api import FakeTelegram  # noqa: E402
from telegram_harness import polling_bot, settings_for  # noqa: E402

from benchmarks.questions import answerable_questions  # noqa: E402

LIMIT_PER_SECOND = 30


async def run(users: int, per_user: int) -> dict[str, float]:
    questions = answerable_questions(per_user * 3)
    fake = FakeTelegram(max_per_second=LIMIT_PER_SECOND)
    fake.start_in_thread()
    try:
        with tempfile.TemporaryDirectory() as folder:
            db = f"sqlite+aiosqlite:///{folder}/load.db"
            async with polling_bot(settings_for(fake, db, Path(folder))):
                return await drive(fake, users, per_user, questions)
    finally:
        fake.stop_thread()


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
    total = users * per_user
    budget = total / LIMIT_PER_SECOND * 1.1 + 30
    await fake.wait_for(lambda: len(fake.sent) >= total, timeout=budget)
    elapsed = max(s.time for s in fake.sent) - started
    return measure(fake, expected, injected, elapsed, total)


def measure(
    fake: FakeTelegram,
    expected: dict[int, list[str]],
    injected: dict[int, list[float]],
    elapsed: float,
    total: int,
) -> dict[str, float]:
    latencies: list[float] = []
    lost = out_of_order = 0
    for user, lines in expected.items():
        replies = [s for s in fake.sent_to(user) if s.method == "sendMessage"]
        lost += max(0, len(lines) - len(replies))
        for index, (line, reply) in enumerate(zip(lines, replies, strict=False)):
            if not (reply.visible_text or "").startswith(line):
                out_of_order += 1
            latencies.append(reply.time - injected[user][index])
    latencies.sort()
    return {
        "messages": total,
        "elapsed_s": elapsed,
        "messages_per_s": total / elapsed,
        "ideal_s": total / LIMIT_PER_SECOND,
        "p50_s": statistics.median(latencies),
        "p99_s": latencies[int(0.99 * (len(latencies) - 1))],
        "lost": lost,
        "out_of_order": out_of_order,
        "rate_limited_429": fake.rate_limited,
    }


def report() -> None:
    users = int(os.environ.get("BENCH_TELEGRAM_USERS", "1000"))
    per_user = int(os.environ.get("BENCH_TELEGRAM_MESSAGES", "5"))
    figures = asyncio.run(run(users, per_user))
    print(
        f"Telegram load ({users} applicants x {per_user} messages, fake API limited to "
        f"{LIMIT_PER_SECOND} msg/s): {figures['messages_per_s']:.1f} messages/s, "
        f"finished in {figures['elapsed_s']:.1f} s vs {figures['ideal_s']:.1f} s allowed by the "
        f"limit ({figures['elapsed_s'] / figures['ideal_s'] - 1:+.1%}; target <= +10%); "
        f"update->reply p50 {figures['p50_s']:.1f} s, p99 {figures['p99_s']:.1f} s; "
        f"lost {figures['lost']:.0f}, out of order {figures['out_of_order']:.0f}, "
        f"429s {figures['rate_limited_429']:.0f}"
    )


if __name__ == "__main__":
    report()
