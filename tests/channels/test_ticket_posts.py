"""Ticket posts of any length reach the officers' group, and a post Telegram refuses is kept,
retried and shown to the admins instead of being dropped (issue 9)."""

from __future__ import annotations

import datetime as dt

from fakes.telegram_api import FakeTelegram, Sent
from fakes.telegram_rules import MAX_TEXT_LENGTH, ApiError
from telegram_harness import ADMIN, GROUP

from bot.core import replies
from bot.runtime.app import App

from .test_telegram_desk import number, sent

USER = 626262
OFFICER = 7003


def long_message(marker: str) -> str:
    """About 3,000 characters the bot cannot answer, with a marker at its very end."""
    return ("kenapa antrean di kantor tadi lama sekali " * 72) + marker


def group_posts(fake: FakeTelegram) -> list[Sent]:
    return [s for s in fake.sent_to(GROUP) if s.method == "sendMessage"]


async def test_three_long_messages_reach_the_group_and_tiket_n_shows_them_whole(
    fake: FakeTelegram, bot: App
) -> None:
    for marker in ("AKHIR-SATU", "AKHIR-DUA", "AKHIR-TIGA"):
        before = len(fake.sent_to(USER))
        fake.user_says(USER, long_message(marker))
        await fake.wait_for(lambda: len(fake.sent_to(USER)) > before)  # noqa: B023
    fake.user_says(USER, "mau tanya petugas")
    (post,) = await sent(fake, GROUP, 1)
    ticket_id = number(post.visible_text)
    opened = replies.TICKET_OPENED.format(number=ticket_id, hours=replies.HOURS_UNKNOWN)
    await fake.wait_for(lambda: fake.sent_to(USER)[-1].visible_text == opened)
    assert len(post.visible_text or "") <= MAX_TEXT_LENGTH
    assert f"…(lanjutan di /tiket {ticket_id})" in (post.visible_text or "")
    fake.group_says(GROUP, OFFICER, f"/tiket {ticket_id}")
    await fake.wait_for(
        lambda: "AKHIR-TIGA" in "".join(s.visible_text or "" for s in group_posts(fake))
    )
    history = group_posts(fake)[1:]
    assert len(history) >= 3
    assert all(len(part.visible_text or "") <= MAX_TEXT_LENGTH for part in history)
    whole = "\n".join(part.visible_text or "" for part in history)
    assert all(marker in whole for marker in ("AKHIR-SATU", "AKHIR-DUA", "AKHIR-TIGA"))
    assert whole.count("kenapa antrean") == 3 * 72
    assert fake.errors == []


async def test_a_refused_post_is_retried_until_it_reaches_the_officers(
    fake: FakeTelegram, bot: App
) -> None:
    fake.user_says(ADMIN, "/start")  # Telegram only lets a bot write to users who wrote first
    await sent(fake, ADMIN, 1)
    fake.failing_chats[GROUP] = ApiError(500, "Internal Server Error")
    fake.user_says(USER, "bolehkah saya membawa hewan peliharaan ke ruang tunggu")
    await sent(fake, USER, 1)
    fake.user_says(USER, "mau tanya petugas")
    told = (await sent(fake, USER, 2, timeout=30))[-1]
    ticket_id = number(told.visible_text)
    assert told.visible_text == replies.TICKET_NOT_POSTED.format(
        number=ticket_id, hours=replies.HOURS_UNKNOWN
    )
    alert = (await sent(fake, ADMIN, 2))[-1]
    assert alert.visible_text == replies.ADMIN_POST_FAILED.format(number=ticket_id)
    fake.user_says(USER, "mau tanya petugas")
    again = (await sent(fake, USER, 3))[-1]
    assert again.visible_text == replies.TICKET_ALREADY_NOT_POSTED.format(number=ticket_id)

    later = dt.datetime.now(dt.UTC) + dt.timedelta(hours=1)
    assert await bot.escalation.repost(later) == []  # Telegram still refuses it
    assert await bot.escalation.repost(later) == []  # booked later: not due again yet
    del fake.failing_chats[GROUP]
    assert await bot.escalation.repost(later + dt.timedelta(hours=1)) == [ticket_id]
    (post,) = group_posts(fake)
    assert number(post.visible_text) == ticket_id
    assert "hewan peliharaan" in (post.visible_text or "")
    recovered = (await sent(fake, ADMIN, 3))[-1]
    assert recovered.visible_text == replies.ADMIN_POST_RECOVERED.format(number=ticket_id)
    assert await bot.escalation.repost(later + dt.timedelta(days=1)) == []
    assert len(group_posts(fake)) == 1
