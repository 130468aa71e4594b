"""PostgreSQL stopped for 30 s (pg_ctl) under polling: questions are still answered from the
knowledge base, exactly once; a request for an officer is asked to try again shortly; the
flood guard still counts; every logged question reaches the database once it is back."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest
from fakes.telegram_api import FakeTelegram
from fakes.telegram_rules import ApiError
from postgres_server import PostgresServer
from support.rows import count_questions
from telegram_harness import polling_bot, settings_for

from benchmarks.questions import answerable_questions
from bot.core.errors import BotError
from bot.core.replies import ERROR, FLOOD, TRY_AGAIN
from bot.runtime.app import App

OUTAGE_SECONDS = 30.0
USERS = 20
PER_USER = 3
AGENT_USER = 99
FLOOD_USER = 98
FLOOD_LIMIT = 12
QUESTIONS = answerable_questions(USERS)


@pytest.mark.postgres
async def test_answers_go_on_while_postgresql_is_down(
    fake: FakeTelegram, own_postgres: PostgresServer, tmp_path: Path
) -> None:
    settings = settings_for(fake, own_postgres.url, tmp_path, {"RETRY_MAX_SECONDS": "1"})
    async with polling_bot(settings) as app:
        fake.user_says(1, QUESTIONS[0][0])
        await fake.wait_sent(1, 1)
        await asyncio.to_thread(own_postgres.pause)
        stopped = time.monotonic()
        expected = await _messages_while_down(fake)
        assert app.log.buffered >= USERS * PER_USER  # held in memory, not lost
        await asyncio.sleep(max(0.0, OUTAGE_SECONDS - (time.monotonic() - stopped)))
        await asyncio.to_thread(own_postgres.resume)
        logged = 1 + USERS * PER_USER + 1 + FLOOD_LIMIT + 2
        async with asyncio.timeout(30):
            while await _count(app) != logged:  # noqa: ASYNC110 - the log flushes on its own
                await asyncio.sleep(0.1)
    for user, lines in expected.items():
        replies = [s.visible_text or "" for s in fake.sent_to(user)]
        assert len(replies) == PER_USER
        assert all(r.startswith(line) for line, r in zip(lines, replies, strict=True))
    [agent] = fake.sent_to(AGENT_USER)
    assert agent.visible_text == TRY_AGAIN
    flood = fake.sent_to(FLOOD_USER)
    assert [s.visible_text for s in flood[FLOOD_LIMIT:]] == [FLOOD]
    assert not [s for s in fake.sent if ERROR in (s.visible_text or "")]


@pytest.mark.postgres
async def test_a_blocked_user_neither_stops_nor_repeats_the_others_while_postgresql_is_down(
    fake: FakeTelegram, own_postgres: PostgresServer, tmp_path: Path
) -> None:
    settings = settings_for(fake, own_postgres.url, tmp_path, {"RETRY_MAX_SECONDS": "1"})
    others, blocked, last = range(30, 36), 97, 96
    async with polling_bot(settings):
        await asyncio.to_thread(own_postgres.pause)
        fake.failing_chats[blocked] = ApiError(403, "Forbidden: bot was blocked by the user")
        for user in (blocked, *others):  # one getUpdates batch, the refused reply first
            fake.user_says(user, QUESTIONS[user % len(QUESTIONS)][0])
        await fake.wait_for(lambda: all(fake.sent_to(user) for user in others), timeout=60)
        # Fetched only once the batch is confirmed: a batch fetched again would come first.
        fake.user_says(last, QUESTIONS[0][0])
        await fake.wait_sent(last, 1, timeout=60)
        await asyncio.to_thread(own_postgres.resume)
    assert {user: len(fake.sent_to(user)) for user in others} == dict.fromkeys(others, 1)
    assert [code for method, code, _ in fake.errors if method == "sendMessage"] == [403]


async def _messages_while_down(fake: FakeTelegram) -> dict[int, list[str]]:
    """Questions from many users, a request for an officer, and one user flooding."""
    expected: dict[int, list[str]] = {}
    for round_ in range(PER_USER):
        for user in range(10, 10 + USERS):
            question, first_line = QUESTIONS[(user + round_) % len(QUESTIONS)]
            fake.user_says(user, question)
            expected.setdefault(user, []).append(first_line)
    fake.user_says(AGENT_USER, "mau tanya petugas")
    for n in range(FLOOD_LIMIT + 2):
        fake.user_says(FLOOD_USER, QUESTIONS[n % len(QUESTIONS)][0])
    await fake.wait_for(
        lambda: all(len(fake.sent_to(u)) >= PER_USER for u in expected), timeout=60
    )
    await fake.wait_sent(AGENT_USER, 1)
    await fake.wait_sent(FLOOD_USER, FLOOD_LIMIT + 1)
    return expected


async def _count(app: App) -> int:
    try:
        return await count_questions(app.store)
    except BotError:  # still reconnecting
        return -1
