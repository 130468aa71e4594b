"""Channel API faults, in process on SQLite and PostgreSQL: an outage of the send methods
(Telegram 60 s, WhatsApp 15 s) loses no reply, and a permanent refusal is tried once and
recorded. Backoff is shortened through its settings; the outage itself is real time."""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

from channels.test_telegram_desk import USER, open_ticket
from fakes.telegram_api import FakeTelegram
from fakes.whatsapp_api import FakeGraph
from fakes.whatsapp_payloads import User
from support.meta_harness import served
from support.rows import failed_replies, pending_counts
from telegram_harness import GROUP, polling_bot, settings_for
from whatsapp.harness import whatsapp_settings

from benchmarks.questions import answerable_questions
from bot.channels.whatsapp.running import WhatsApp
from bot.core import replies
from bot.runtime.app import App

FAST = {"RETRY_FIRST_SECONDS": "0.2", "RETRY_MAX_SECONDS": "5"}
TELEGRAM_OUTAGE = 60.0
# The queue code is the same on both databases (tests/storage/test_queue.py covers each);
# the full minute runs once, on PostgreSQL, to keep CI short.
SQLITE_OUTAGE = 20.0
OFFICER = 7001
WHATSAPP_OUTAGE = 15.0


async def until(check: Callable[[], Awaitable[bool]], timeout: float = 30.0) -> None:  # noqa: ASYNC109
    """Wait for a database condition (the bot writes it from the same loop, between polls)."""
    async with asyncio.timeout(timeout):
        while not await check():  # noqa: ASYNC110
            await asyncio.sleep(0.05)


async def test_telegram_replies_survive_a_60_second_send_outage(
    fake: FakeTelegram, db_url: str, tmp_path: Path
) -> None:
    questions = answerable_questions(20)
    users = range(1, len(questions) + 1)
    outage = TELEGRAM_OUTAGE if db_url.startswith("postgres") else SQLITE_OUTAGE
    async with polling_bot(settings_for(fake, db_url, tmp_path, FAST)):
        started = time.monotonic()
        fake.faults.outage(outage)
        for user, (question, _) in zip(users, questions, strict=True):
            fake.user_says(user, question)
        await fake.wait_for(lambda: fake.faults.outage_refusals >= len(questions), timeout=30)
        await fake.wait_for(lambda: all(fake.sent_to(u) for u in users), timeout=outage + 60)
    assert time.monotonic() - started >= outage
    for user, (_, first_line) in zip(users, questions, strict=True):
        [reply] = fake.sent_to(user)
        assert (reply.visible_text or "").startswith(first_line)


async def test_a_permanent_telegram_refusal_is_tried_once_and_recorded(
    fake: FakeTelegram, bot: App
) -> None:
    fake.faults.refuse_chat("77")
    fake.user_says(77, "berapa biaya paspor")
    fake.user_says(78, "berapa biaya paspor")
    await fake.wait_sent(78, 1)
    store = bot.pipeline.store
    await until(lambda: _failed(bot, 1))
    [(channel, _, error)] = await failed_replies(store)
    assert channel == "telegram"
    assert "BadRequest" in error
    fake.user_says(78, "syarat paspor anak")  # later sends go on; the refused one stays failed
    await fake.wait_sent(78, 2)
    assert fake.faults.refusals == {"77": 1}
    assert fake.sent_to(77) == []


async def test_a_retried_part_of_a_long_reply_is_sent_alone(
    fake: FakeTelegram, db_url: str, tmp_path: Path
) -> None:
    async with polling_bot(settings_for(fake, db_url, tmp_path, FAST)):
        ticket_id, _ = await open_ticket(fake)
        before = len(fake.sent_to(USER))
        long_answer = " ".join(f"langkah{n}" for n in range(400))  # two Telegram messages
        fake.faults.fail_after(str(USER), 1)  # part 1 goes through, part 2 fails once (500)
        fake.group_says(GROUP, OFFICER, f"/jawab {ticket_id} {long_answer}")
        await fake.wait_for(lambda: "langkah399" in (fake.sent_to(USER)[-1].visible_text or ""))
    parts = [s.visible_text or "" for s in fake.sent_to(USER)[before:]]
    assert (500, "sendMessage") in {(code, method) for method, code, _ in fake.errors}
    assert len(parts) == 2
    assert "langkah0 " in parts[0]
    assert "langkah0 " not in parts[1]


async def test_whatsapp_replies_survive_a_send_outage(db_url: str, tmp_path: Path) -> None:
    user = User("6281200000001")
    async with (
        FakeGraph() as graph,
        served(whatsapp_settings(graph, db_url, tmp_path, extra=FAST)) as (app, url),
    ):
        graph.deliver_to(f"{url}/whatsapp")
        graph.faults.outage(WHATSAPP_OUTAGE)
        started = time.monotonic()
        assert await graph.user_says(user, "berapa biaya paspor") == 200  # stored: 200
        (short,) = await graph.wait_sent(user.address, 1, timeout=WHATSAPP_OUTAGE + 60)
        assert time.monotonic() - started >= WHATSAPP_OUTAGE
        assert "350.000" in short.text
        # A second outage for the two-message reply: the whole answer, then its 👍/👎.
        graph.faults.outage(WHATSAPP_OUTAGE)
        started = time.monotonic()
        assert await graph.user_taps(user, short, replies.DETAILS_BUTTON) == 200
        await graph.wait_sent(user.address, 3, timeout=WHATSAPP_OUTAGE + 60)
        assert time.monotonic() - started >= WHATSAPP_OUTAGE
        await until(lambda: _drained(app))
        answer, feedback = graph.sent_to(user.address)[1:]
        assert "1.000.000" in answer.text
        assert "membantu" in feedback.text
        assert graph.faults.outage_refusals > 2


async def test_a_permanent_whatsapp_refusal_is_tried_once_and_shown_to_admins(
    db_url: str, tmp_path: Path
) -> None:
    user = User("6281200000002")
    async with (
        FakeGraph() as graph,
        served(whatsapp_settings(graph, db_url, tmp_path)) as (
            app,
            url,
        ),
    ):
        graph.deliver_to(f"{url}/whatsapp")
        graph.faults.refuse_chat(user.address)
        assert await graph.user_says(user, "berapa biaya paspor") == 200
        await until(lambda: _failed(app, 1))
        assert graph.faults.refusals == {user.address: 1}
        whatsapp = app.channel(WhatsApp)
        assert whatsapp is not None
        week_ago = dt.datetime.now(dt.UTC) - dt.timedelta(days=7)
        assert await whatsapp.store.count_failed_since(week_ago) == 1  # /gagal_kirim


async def _failed(app: App, count: int) -> bool:
    return len(await failed_replies(app.pipeline.store)) == count


async def _drained(app: App) -> bool:
    return await pending_counts(app.pipeline.store) == (0, 0)
