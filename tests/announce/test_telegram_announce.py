"""Announcements end to end on Telegram: the real bot (PTB, core, database) against the fake
Bot API enforcing Telegram's 30 messages a second, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from fakes.telegram_api import FakeTelegram, Sent, buttons
from telegram_harness import ADMIN, polling_bot, settings_for

from bot.core.replies import (
    ANNOUNCE_CANCEL_BUTTON,
    ANNOUNCE_SEND_BUTTON,
    ANNOUNCE_USAGE,
    SUBSCRIBED,
    UNSUBSCRIBE_BUTTON,
    UNSUBSCRIBED,
)
from bot.runtime.app import App, running
from bot.runtime.config import Settings
from bot.runtime.runners import tick

TEXT = "Kuota bulan depan dibuka Senin 09.00."
FIRST_USER = 610_000


def users(count: int) -> list[int]:
    return [FIRST_USER + n for n in range(count)]


@pytest.fixture
def settings(fake: FakeTelegram, db_url: str, tmp_path: Path) -> Settings:
    return settings_for(fake, db_url, tmp_path)


@pytest.fixture
async def bot(settings: Settings) -> AsyncIterator[App]:
    async with polling_bot(settings) as app:
        yield app


def announcements_to(fake: FakeTelegram, chat: int) -> list[Sent]:
    return [
        s
        for s in fake.sent_to(chat)
        if s.method == "sendMessage" and (s.visible_text or "").startswith("📢 Pengumuman")
    ]


def reports(fake: FakeTelegram) -> list[str]:
    return [
        s.visible_text or "" for s in fake.sent_to(ADMIN) if "📣 Laporan" in (s.visible_text or "")
    ]


async def subscribe(fake: FakeTelegram, chats: Sequence[int]) -> None:
    for chat in chats:
        fake.user_says(chat, "/langganan")
    await fake.wait_for(lambda: all(fake.sent_to(chat) for chat in chats), timeout=20)
    assert {fake.sent_to(chat)[0].visible_text for chat in chats} == {SUBSCRIBED}


async def preview(fake: FakeTelegram, text: str = TEXT) -> Sent:
    """The admin writes /umumkan and gets the preview with its buttons."""
    before = len(fake.sent_to(ADMIN))
    fake.user_says(ADMIN, f"/umumkan {text}")
    await fake.wait_for(lambda: len(fake.sent_to(ADMIN)) > before)
    return fake.sent_to(ADMIN)[before]


def press(fake: FakeTelegram, post: Sent, label: str, *, user: int = ADMIN) -> None:
    data = dict(buttons(post))[label]
    assert data is not None
    assert len(data.encode()) <= 64
    fake.user_presses(user, post.message_id, data, chat_id=ADMIN)


async def delivered_once_each(
    fake: FakeTelegram,
    chats: Sequence[int],
    timeout: float,  # noqa: ASYNC109
    senders: Sequence[App],
) -> None:
    await fake.wait_for(lambda: all(announcements_to(fake, c) for c in chats), timeout=timeout)
    await fake.wait_for(lambda: bool(reports(fake)), timeout=timeout)
    # Every sender idle: nothing is in flight, so a duplicate would already have been sent.
    for app in senders:
        await asyncio.wait_for(app.announcements.sender.settled(), timeout)
    assert {c: len(announcements_to(fake, c)) for c in chats} == {c: 1 for c in chats}


async def test_announcement_reaches_every_subscriber_once_within_the_limit(
    fake: FakeTelegram, bot: App
) -> None:
    chats = users(40)
    await subscribe(fake, chats)
    post = await preview(fake)
    assert "40 pelanggan" in (post.visible_text or "")
    assert TEXT in (post.visible_text or "")
    press(fake, post, ANNOUNCE_SEND_BUTTON)
    await delivered_once_each(fake, chats, timeout=20, senders=[bot])
    message = announcements_to(fake, chats[0])[0]
    assert TEXT in (message.visible_text or "")
    assert [label for label, _ in buttons(message)] == [UNSUBSCRIBE_BUTTON]
    (report,) = reports(fake)
    assert "Terkirim: 40" in report
    assert "Gagal: 0" in report
    # Any 429 along the way was waited out and retried by PTB's rate limiter.
    assert {code for _, code, _ in fake.errors} <= {429}
    edited = fake.message(ADMIN, post.message_id)
    assert "sedang dikirim ke 40 pelanggan" in edited["text"]
    assert "reply_markup" not in edited
    assert fake.unanswered_callbacks == []


async def test_preview_then_cancel_sends_nothing(fake: FakeTelegram, bot: App) -> None:
    chats = users(3)
    await subscribe(fake, chats)
    post = await preview(fake)
    press(fake, post, ANNOUNCE_CANCEL_BUTTON)
    await fake.wait_for(lambda: "dibatalkan" in fake.message(ADMIN, post.message_id)["text"])
    # A late press on Kirim (the buttons were removed; a stale client may still send it).
    fake.user_presses(ADMIN, post.message_id, f"ann:send:{number(post)}", check_button=False)
    await fake.wait_for(lambda: len(fake.callback_answers) == 2)
    assert "sudah dibatalkan" in (fake.callback_answers[-1].text or "")
    await bot.announcements.sender.settled()
    assert all(announcements_to(fake, chat) == [] for chat in chats)


def number(post: Sent) -> int:
    data = dict(buttons(post))[ANNOUNCE_SEND_BUTTON]
    assert data is not None
    return int(data.rsplit(":", 1)[1])


async def test_usage_and_too_long(fake: FakeTelegram, bot: App) -> None:
    fake.user_says(ADMIN, "/umumkan")
    fake.user_says(ADMIN, "/umumkan " + "a" * 3600)
    replies = await fake.wait_sent(ADMIN, 2)
    assert replies[0].visible_text == ANNOUNCE_USAGE
    assert "terlalu panjang" in (replies[1].visible_text or "")


async def test_non_admin_is_refused(fake: FakeTelegram, bot: App) -> None:
    (intruder,) = users(1)
    fake.user_says(intruder, f"/umumkan {TEXT}")
    (refusal,) = await fake.wait_sent(intruder, 1)
    assert refusal.visible_text == "Maaf, perintah ini khusus admin."
    # A forged press on someone else's preview is refused too and changes nothing.
    post = await preview(fake)
    fake.user_presses(intruder, post.message_id, f"ann:send:{number(post)}", chat_id=ADMIN)
    await fake.wait_for(lambda: len(fake.callback_answers) == 1)
    assert fake.callback_answers[0].text == "Maaf, perintah ini khusus admin."
    announcement = await bot.announcements.get(number(post))
    assert announcement is not None
    assert announcement.status == "draft"


async def test_blocked_subscriber_fails_and_is_unsubscribed(fake: FakeTelegram, bot: App) -> None:
    chats = users(4)
    await subscribe(fake, chats)
    fake.block(chats[2])
    press(fake, await preview(fake), ANNOUNCE_SEND_BUTTON)
    await fake.wait_for(lambda: bool(reports(fake)), timeout=10)
    (report,) = reports(fake)
    assert "Terkirim: 3" in report
    assert "Gagal: 1" in report
    assert "Berhenti langganan: 1" in report
    # The next announcement is for the three who can still read it.
    assert "3 pelanggan" in ((await preview(fake, "Lagi")).visible_text or "")


async def test_unsubscribe_button_under_an_announcement(fake: FakeTelegram, bot: App) -> None:
    chats = users(2)
    await subscribe(fake, chats)
    press(fake, await preview(fake), ANNOUNCE_SEND_BUTTON)
    await delivered_once_each(fake, chats, timeout=10, senders=[bot])
    message = announcements_to(fake, chats[0])[0]
    fake.user_presses(
        chats[0], message.message_id, dict(buttons(message))[UNSUBSCRIBE_BUTTON] or ""
    )
    await fake.wait_for(lambda: fake.sent_to(chats[0])[-1].visible_text == UNSUBSCRIBED)
    assert "1 pelanggan" in ((await preview(fake, "Lagi")).visible_text or "")


async def test_restart_half_way_sends_each_subscriber_exactly_once(
    fake: FakeTelegram, settings: Settings
) -> None:
    chats = users(30)
    async with polling_bot(settings) as first:
        await subscribe(fake, chats)
        press(fake, await preview(fake), ANNOUNCE_SEND_BUTTON)
        await fake.wait_for(lambda: any(announcements_to(fake, c) for c in chats))
        # Shut down as the runners do: the sender first, while Telegram can still send.
        await first.announcements.sender.stop()
    before = sum(len(announcements_to(fake, c)) for c in chats)
    assert 0 < before < len(chats)
    assert reports(fake) == []
    async with polling_bot(settings) as second:
        background = asyncio.create_task(tick(second, every=0.2))
        try:
            await delivered_once_each(fake, chats, timeout=20, senders=[second])
        finally:
            background.cancel()
    (report,) = reports(fake)
    assert "Terkirim: 30" in report


@asynccontextmanager
async def silent_worker(settings: Settings) -> AsyncIterator[App]:
    """A second worker on the same database: it sends, but takes no updates."""
    async with running(settings, "serve") as app:  # a webhook worker that is never posted to
        assert app.telegram is not None
        application = app.telegram.application
        async with application:
            await application.start()
            try:
                yield app
            finally:
                await app.announcements.sender.stop()
                await application.stop()


async def test_two_workers_racing_on_one_announcement_send_each_row_once(
    fake: FakeTelegram, settings: Settings
) -> None:
    chats = users(30)
    async with polling_bot(settings) as first, silent_worker(settings) as second:
        await subscribe(fake, chats)
        post = await preview(fake)
        press(fake, post, ANNOUNCE_SEND_BUTTON)
        await fake.wait_for(lambda: bool(fake.callback_answers))
        announcement = await second.announcements.get(number(post))
        assert announcement is not None
        # The first worker's sender is running; the second drains the same rows at once,
        # past the per-channel lease, so only the row claims keep them apart.
        handled = await second.announcements.sender.drain(announcement, "telegram")
        assert 0 < handled < len(chats)  # both really sent
        await second.announcements.sender.run()  # whoever records the last row reports
        await delivered_once_each(fake, chats, timeout=20, senders=[first, second])
    assert len(reports(fake)) == 1
