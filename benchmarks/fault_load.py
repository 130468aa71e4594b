"""Fault run: N applicants x 3 Telegram messages through the real `python -m bot telegram`
process, with a 20 s Bot API outage and a kill -9 in the middle. Reports messages lost and
duplicated (both must be 0) and how long the backlog took to drain once the API was back.

The fake API allows 30 messages/s, so the run cannot beat total / 30 s plus the outage.
Backoff is capped at 5 s here (RETRY_MAX_SECONDS; the default is 30 s).
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "tests" / "faults"))

from fakes.telegram_api import FakeTelegram  # noqa: E402
from processes import LEASED_REPLIES, PENDING, BotProcess, bot_env, wait_db  # noqa: E402
from support.ports import held_ports  # noqa: E402

from benchmarks.questions import answerable_questions  # noqa: E402

LIMIT_PER_SECOND = 30
PER_USER = 3
OUTAGE_SECONDS = 20.0


async def run(users: int) -> dict[str, float]:
    fake = FakeTelegram(max_per_second=LIMIT_PER_SECOND)
    fake.start_in_thread()
    try:
        with tempfile.TemporaryDirectory() as folder, held_ports() as ports:
            db = f"sqlite:///{folder}/fault.db"
            env = {**bot_env(fake, db, Path(folder)), "RETRY_MAX_SECONDS": "5"}
            bot = BotProcess("telegram", fake, env, Path(folder), ports=ports)
            await bot.start()
            try:
                return await drive(fake, bot, db, users)
            finally:
                await bot.stop()
    finally:
        fake.stop_thread()


async def drive(fake: FakeTelegram, bot: BotProcess, db: str, users: int) -> dict[str, float]:
    questions = answerable_questions(PER_USER * 4)
    expected: dict[int, list[str]] = {user: [] for user in range(1, users + 1)}

    def say(round_: int) -> None:
        for user, lines in expected.items():
            question, first_line = questions[(user + round_) % len(questions)]
            fake.user_says(user, question)
            lines.append(first_line)

    started = time.monotonic()
    say(0)
    say(1)
    total = users * PER_USER
    await fake.wait_for(lambda: fake.sent_count >= total // 5, timeout=600)
    outage_ends = await crash_during_outage(fake, bot, db, users, lambda: say(2))
    await fake.wait_for(lambda: fake.sent_count >= total, timeout=total / LIMIT_PER_SECOND * 3)
    await wait_db(db, PENDING, 0, timeout=120)
    last = max(s.time for s in fake.sent)
    return measure(fake, expected) | {
        "messages": total,
        "elapsed_s": last - started,
        "drain_s": last - outage_ends,
        "backlog_at_recovery": total - sum(1 for s in fake.sent if s.time <= outage_ends),
        "ideal_s": total / LIMIT_PER_SECOND + OUTAGE_SECONDS,
    }


async def crash_during_outage(
    fake: FakeTelegram, bot: BotProcess, db: str, users: int, last_round: Callable[[], None]
) -> float:
    """A 20 s outage; the last round arrives; kill -9 while it is handed over; restart.
    Returns when the outage ends (time.monotonic())."""
    fake.faults.outage(OUTAGE_SECONDS)
    outage_ends = time.monotonic() + OUTAGE_SECONDS
    last_round()
    await fake.wait_for(lambda: fake.handed_out > 2 * users, timeout=120)
    await wait_db(db, LEASED_REPLIES, 0)
    await bot.kill()
    await bot.start()
    return outage_ends


def measure(fake: FakeTelegram, expected: dict[int, list[str]]) -> dict[str, float]:
    lost = duplicated = out_of_order = 0
    for user, lines in expected.items():
        replies = [s.visible_text or "" for s in fake.sent_to(user)]
        lost += max(0, len(lines) - len(replies))
        duplicated += max(0, len(replies) - len(lines))
        out_of_order += sum(
            not reply.startswith(line) for line, reply in zip(lines, replies, strict=False)
        )
    return {"lost": lost, "duplicated": duplicated, "out_of_order": out_of_order}


def report() -> None:
    users = int(os.environ.get("BENCH_FAULT_USERS", "1000"))
    f = asyncio.run(run(users))
    print(
        f"Telegram fault run ({users} applicants x {PER_USER} messages, kill -9 and a "
        f"{OUTAGE_SECONDS:.0f} s API outage in the middle, fake API limited to "
        f"{LIMIT_PER_SECOND} msg/s): lost {f['lost']:.0f}, duplicated {f['duplicated']:.0f}, "
        f"out of order {f['out_of_order']:.0f}; {f['backlog_at_recovery']:.0f} replies waiting "
        f"when the API came back, drained in {f['drain_s']:.1f} s; whole run "
        f"{f['elapsed_s']:.1f} s vs {f['ideal_s']:.1f} s at best"
    )


if __name__ == "__main__":
    report()
