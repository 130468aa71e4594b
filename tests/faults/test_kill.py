"""kill -9 of the real bot process mid-burst, polling and webhook, SQLite and PostgreSQL:
every message is answered exactly once, in order, after the restart.

The kill comes while the Bot API refuses sends (an outage) and no reply is leased, so no
reply is on the wire at that moment: a reply Telegram accepted just before a crash, whose
row was not yet deleted, would be sent again (the one window docs/operations.md names).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from fakes.telegram_api import FakeTelegram
from processes import LEASED_REPLIES, PENDING, BotProcess, bot_env, wait_db

from benchmarks.questions import answerable_questions

USERS = 50
PER_USER = 3
QUESTIONS = answerable_questions(PER_USER * 4)


@pytest.mark.parametrize("mode", ["telegram", "serve"])
async def test_every_message_is_answered_exactly_once_across_kill_9(
    mode: str, db_url: str, tmp_path: Path, reserve_port: Callable[[], int]
) -> None:
    expected: dict[int, list[str]] = {user: [] for user in range(1, USERS + 1)}
    async with FakeTelegram(max_per_second=30) as fake:
        env = bot_env(fake, db_url, tmp_path)
        bot = BotProcess(mode, fake, env, tmp_path, ports=reserve_port)
        await bot.start()
        try:
            await _crash_mid_burst(fake, bot, db_url, expected)
            await fake.wait_for(lambda: fake.sent_count >= USERS * PER_USER, timeout=180)
            await wait_db(db_url, PENDING, 0)
        finally:
            await bot.stop()
    for user, lines in expected.items():
        replies = [s.visible_text or "" for s in fake.sent_to(user)]
        assert len(replies) == PER_USER, (user, replies, bot.log()[-3000:])
        for line, reply in zip(lines, replies, strict=True):
            assert reply.startswith(line), (user, line, reply)
    assert fake.faults.outage_refusals > 0


async def _crash_mid_burst(
    fake: FakeTelegram, bot: BotProcess, db_url: str, expected: dict[int, list[str]]
) -> None:
    """Two rounds, an API outage, a third round half handed over, kill -9, restart."""

    def say(round_: int) -> None:
        for user, lines in expected.items():
            question, first_line = QUESTIONS[(user + round_) % len(QUESTIONS)]
            fake.user_says(user, question)
            lines.append(first_line)

    say(0)
    say(1)
    await fake.wait_for(lambda: fake.sent_count >= 30, timeout=60)
    fake.faults.outage()
    say(2)
    await _mid_burst(fake, bot.mode)
    await wait_db(db_url, LEASED_REPLIES, 0)
    await bot.kill()
    fake.faults.end_outage()
    await bot.start()


async def _mid_burst(fake: FakeTelegram, mode: str) -> None:
    """Kill while the third round is arriving: half handed to the bot, half not yet."""
    last_round_starts = USERS * 2
    if mode == "serve":
        await fake.wait_for(lambda: len(fake.deliveries) >= last_round_starts + USERS // 2, 60)
    else:
        await fake.wait_for(lambda: fake.handed_out > last_round_starts, timeout=60)
