"""The send limiter in the real PTB application, against the fake Bot API's 30 messages/s."""

from __future__ import annotations

import asyncio
import contextvars
import tempfile
from collections.abc import Callable
from functools import partial
from pathlib import Path

import httpx
import pytest
from fakes.telegram_api import FakeTelegram
from telegram_harness import TELEGRAMS_OWN_LIMITS, polling_bot, settings_for

from benchmarks.questions import answerable_questions
from bot.channels.telegram.channel import CHANNEL, build_application, with_retry
from bot.channels.telegram.durable import TelegramTransport
from bot.channels.telegram.limiter import ChatLimited, LimiterStopped
from bot.channels.telegram.settings import TelegramSettings
from bot.core.secret import Secret
from bot.core.vocabulary import Reply
from bot.delivery.sending import SendDeferred, SendFailure
from bot.delivery.vocabulary import Outgoing

LIMIT = 30
CHATS = range(101, 121)
OUTSIDER = 999
USER = 101
GROUP = -1001234


async def test_a_429_pauses_every_send_once_and_nothing_is_lost_or_reordered() -> None:
    async with FakeTelegram(max_per_second=LIMIT) as fake:
        settings = TelegramSettings(token=Secret(fake.token), api_url=fake.base_url)
        application = build_application(settings, polling=False)
        for chat in [*CHATS, OUTSIDER]:
            fake.user_says(chat, "halo")
        async with application:
            # Another process on the same token fills Telegram's window first.
            await _send_raw(fake, LIMIT + 1)
            assert fake.rate_limited == 1
            sends = [
                application.bot.send_message(chat, f"pesan {n}")
                for n in range(2)
                for chat in CHATS
            ]
            await asyncio.gather(*sends)
    for chat in CHATS:
        assert [s.visible_text for s in fake.sent_to(chat)] == ["pesan 0", "pesan 1"]
    # Each of the 30 sends let through at once was refused at most once: after the first 429
    # every send waited out retry_after instead of trying again into a full window.
    assert 1 < fake.rate_limited <= 1 + LIMIT


async def test_a_burst_of_questions_gets_every_answer_in_order() -> None:
    questions = answerable_questions(3)
    users = range(1, 41)
    async with FakeTelegram(max_per_second=LIMIT) as fake:
        with tempfile.TemporaryDirectory() as folder:
            db = f"sqlite+aiosqlite:///{folder}/limit.db"
            settings = settings_for(fake, db, Path(folder), TELEGRAMS_OWN_LIMITS)
            async with polling_bot(settings):
                for user in users:
                    for question, _ in questions:
                        fake.user_says(user, question)
                for user in users:
                    await fake.wait_sent(user, len(questions), timeout=60)
    for user in users:
        replies = [s.visible_text or "" for s in fake.sent_to(user)]
        assert len(replies) == len(questions)
        for reply, (_, first_line) in zip(replies, questions, strict=True):
            assert reply.startswith(first_line)


async def test_a_send_to_a_busy_group_is_deferred_not_held_past_the_outbox_lease() -> None:
    async with FakeTelegram(max_per_second=LIMIT) as fake:
        fake.add_group(GROUP, "Petugas")
        settings = TelegramSettings(token=Secret(fake.token), api_url=fake.base_url)
        application = build_application(settings, polling=False)
        async with application:
            await asyncio.gather(*(application.bot.send_message(GROUP, "ok") for _ in range(20)))
            with pytest.raises(ChatLimited) as limited:
                await application.bot.send_message(GROUP, "satu lagi", rate_limit_args=0.2)
            transport = TelegramTransport(application, max_turn_wait=0.2)
            await application.start()  # the transport keeps replies queued until then
            with pytest.raises(SendDeferred) as deferred:
                await transport.send_part(Outgoing(CHANNEL, str(GROUP), Reply("tiket")), 0)
            await application.stop()
    assert len(fake.sent_to(GROUP)) == 20
    # The group's window frees a minute after its first sends: that is when to come back.
    assert 50 < limited.value.delay <= 60
    assert 40 < deferred.value.delay <= 60


async def test_the_group_limit_setting_reaches_the_application() -> None:
    async with FakeTelegram(max_per_second=LIMIT) as fake:
        fake.add_group(GROUP, "Petugas")
        env = {"TELEGRAM_GROUP_SENDS_PER_MINUTE": "25"}
        settings = TelegramSettings.from_env(
            {**env, "TELEGRAM_BOT_TOKEN": fake.token, "TELEGRAM_API_URL": fake.base_url}
        )
        application = build_application(settings, polling=False)
        async with application:
            await asyncio.gather(*(application.bot.send_message(GROUP, "ok") for _ in range(25)))
            with pytest.raises(ChatLimited):
                await application.bot.send_message(GROUP, "satu lagi", rate_limit_args=0.2)
    assert len(fake.sent_to(GROUP)) == 25


async def test_a_send_waiting_for_its_turn_fails_at_once_when_telegram_shuts_down() -> None:
    async with FakeTelegram(max_per_second=LIMIT) as fake:
        fake.add_group(GROUP, "Petugas")
        settings = TelegramSettings(token=Secret(fake.token), api_url=fake.base_url)
        application = build_application(settings, polling=False)
        await application.initialize()
        await asyncio.gather(*(application.bot.send_message(GROUP, "ok") for _ in range(20)))
        # The group's next turn is a minute away: the post waits for it.
        post = partial(application.bot.send_message, GROUP, "x")
        waiting = asyncio.create_task(with_retry(post))
        await asyncio.sleep(0.2)
        assert not waiting.done()
        started = asyncio.get_running_loop().time()
        await application.shutdown()
        with pytest.raises(LimiterStopped):
            await waiting  # not tried again: the bot is down
        with pytest.raises(LimiterStopped):
            await application.bot.send_message(USER, "sesudah")
        assert asyncio.get_running_loop().time() - started < 1.0
        # The outbox keeps such a reply for later, as for a network error.
        await application.initialize()
        await application.start()
        transport = TelegramTransport(application)
        sending = asyncio.create_task(
            transport.send_part(Outgoing(CHANNEL, str(GROUP), Reply("tiket")), 0)
        )
        await asyncio.sleep(0.2)
        await application.stop()
        await application.shutdown()
        with pytest.raises(SendFailure) as failure:
            await sending
    assert failure.value.transient
    assert len(fake.sent_to(GROUP)) == 20


async def _send_raw(fake: FakeTelegram, count: int) -> None:
    async with httpx.AsyncClient() as client:
        url = f"{fake.base_url}{fake.token}/sendMessage"
        for n in range(count):
            await client.post(url, data={"chat_id": OUTSIDER, "text": f"lain {n}"})


class _Handle(asyncio.Handle):
    """What uvloop's call_at returns for a time less than a millisecond away: a handle that
    can be cancelled but has no when()."""

    def __init__(self, timer: asyncio.TimerHandle, loop: asyncio.AbstractEventLoop) -> None:
        super().__init__(lambda: None, (), loop)
        self._timer = timer

    def cancel(self) -> None:
        self._timer.cancel()
        super().cancel()


class _PlainHandles(asyncio.SelectorEventLoop):
    def call_at(  # type: ignore[override]  # a plain handle, as uvloop gives
        self,
        when: float,
        callback: Callable[..., object],
        *args: object,
        context: contextvars.Context | None = None,
    ) -> asyncio.Handle:
        return _Handle(super().call_at(when, callback, *args, context=context), self)


def test_pacing_asks_the_loop_nothing_but_to_call_back() -> None:
    # `serve` runs on uvloop; the limiter once read when() off its timer handle and failed
    # a webhook request (500) whenever the next turn was under a millisecond away.
    async def burst() -> None:
        async with FakeTelegram(max_per_second=LIMIT) as fake:
            for chat in CHATS:
                fake.user_says(chat, "halo")
            settings = TelegramSettings(token=Secret(fake.token), api_url=fake.base_url)
            async with build_application(settings, polling=False) as application:
                sends = [
                    application.bot.send_message(chat, f"pesan {n}")
                    for n in range(2)
                    for chat in CHATS
                ]
                await asyncio.gather(*sends)  # 40 sends: the second 10 wait for a turn
            for chat in CHATS:
                assert [s.visible_text for s in fake.sent_to(chat)] == ["pesan 0", "pesan 1"]
            assert fake.rate_limited == 0

    with asyncio.Runner(loop_factory=_PlainHandles) as runner:
        runner.run(burst())
