"""/laporan and the weekly digest on Telegram, end to end: the real bot (PTB, core, database)
long-polling the fake Bot API, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from fakes.telegram_api import FakeTelegram, Sent
from telegram_harness import ADMIN, polling_bot, settings_for

from bot.channels.telegram import staff_text
from bot.channels.telegram.admin_access import UNKNOWN_OFFICE
from bot.channels.telegram.reports import CAPTION, USAGE
from bot.reporting import digest
from bot.runtime.app import App
from bot.runtime.app.feature_settings import report_settings

from .helpers import RAW_VALUES, REDACTED_NIK_TEXT, asked

USER = 626262
PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
async def bot(fake: FakeTelegram, db_url: str, tmp_path: Path) -> AsyncIterator[App]:
    async with polling_bot(settings_for(fake, db_url, tmp_path)) as app:
        now = dt.datetime.now(dt.UTC)
        fee = [
            asked("berapa biaya paspor", now - dt.timedelta(hours=hours), faq_id="biaya-paspor")
            for hours in (1, 2, 26)
        ]
        unanswered = asked(REDACTED_NIK_TEXT, now - dt.timedelta(hours=3), action="fallback")
        await app.store.log_questions([*fee, unanswered])
        yield app


async def replies(fake: FakeTelegram, chat: int, count: int) -> list[Sent]:
    """The first `count` messages and photos the bot sent to a chat."""

    def sent() -> list[Sent]:
        return [s for s in fake.sent_to(chat) if s.method in ("sendMessage", "sendPhoto")]

    await fake.wait_for(lambda: len(sent()) >= count, timeout=30)
    return sent()[:count]


async def test_laporan_sends_a_summary_and_one_chart(fake: FakeTelegram, bot: App) -> None:
    fake.user_says(ADMIN, "/laporan")
    summary, photo = await replies(fake, ADMIN, 2)
    assert summary.method == "sendMessage"
    text = summary.visible_text or ""
    assert text.startswith("📊 Laporan 7 hari terakhir")
    assert "Pertanyaan: 4" in text
    assert "• terjawab: 3 (75%)" in text
    assert REDACTED_NIK_TEXT in text  # the biggest unanswered group, redacted
    assert not any(raw in text for raw in RAW_VALUES)
    assert bot.posts is None  # no channel with posts runs: no per-post lines
    assert "Unggahan" not in text
    assert "median balasan pertama di komentar" not in text
    assert photo.method == "sendPhoto"
    assert photo.caption == CAPTION
    assert photo.photo_bytes is not None
    assert photo.photo_bytes > 5_000
    [stored] = fake.message(ADMIN, photo.message_id)["photo"]
    assert (stored["width"], stored["height"]) == (800, 450)  # 8 x 4.5 inches at 100 dpi
    assert [s.method for s in fake.sent_to(ADMIN)].count("sendPhoto") == 1


async def test_laporan_takes_a_number_of_days(fake: FakeTelegram, bot: App) -> None:
    fake.user_says(ADMIN, "/laporan 1")
    summary, _ = await replies(fake, ADMIN, 2)
    assert (summary.visible_text or "").startswith("📊 Laporan 1 hari terakhir")
    fake.user_says(ADMIN, "/laporan 91")
    usage = (await replies(fake, ADMIN, 3))[-1]
    assert usage.visible_text == USAGE
    fake.user_says(ADMIN, "/laporan seminggu")  # a word is an office's name: none is called so
    unknown = (await replies(fake, ADMIN, 4))[-1]
    known = "bandar-lampung, kalianda, kotabumi"
    assert unknown.visible_text == UNKNOWN_OFFICE.format(wanted="seminggu", known=known)


async def test_laporan_is_refused_for_anyone_else(fake: FakeTelegram, bot: App) -> None:
    fake.user_says(USER, "/laporan")
    (reply,) = await replies(fake, USER, 1)
    assert reply.visible_text == staff_text.NOT_ADMIN
    fake.user_says(USER, "halo")  # the next message is answered: nothing got stuck
    await replies(fake, USER, 2)
    assert [s.method for s in fake.sent_to(USER)].count("sendPhoto") == 0


async def test_weekly_digest_reaches_the_admin_chat(fake: FakeTelegram, bot: App) -> None:
    fake.user_says(ADMIN, "/start")  # a bot may only write to someone who started it
    await replies(fake, ADMIN, 1)
    settings, kb = report_settings(bot.settings), bot.conversation.matcher.kb
    now = dt.datetime.now(dt.UTC)
    # The first round books the next Monday 08:00; at that time one round sends it.
    assert not await digest.send_digest_if_due(bot.reports, bot.admins.send, settings, kb, now=now)
    due = await bot.reports.schedules.next_run(digest.SCHEDULE)
    assert due is not None
    assert due.astimezone(settings.zone).strftime("%a %H:%M") == "Mon 08:00"
    assert await digest.send_digest_if_due(bot.reports, bot.admins.send, settings, kb, now=due)
    sent = await replies(fake, ADMIN, 2)
    text = sent[-1].visible_text or ""
    assert text.startswith("📊 Ringkasan mingguan Tanya Paspor")
    assert text.endswith(digest.CHART_HINT)
    assert "Unggahan" not in text
