"""Instagram's per-post figures in the admins' chat reports, end to end: applicants comment on
the office's posts through the fake Graph API, and /laporan (through the fake Bot API) and the
weekly digest (sent by the real background round) of the same `serve` process name the posts
whose comments asked the most, their topics, and the median first reply under comments and in
DMs; on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import datetime as dt
import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from fakes.instagram_api import FakeInstagram
from fakes.instagram_payloads import IgUser
from fakes.telegram_api import FakeTelegram, Sent
from support.meta_harness import served
from telegram_harness import ADMIN, SECRET

from bot.channels.instagram.post_reports import InstagramReports
from bot.reporting import digest
from bot.runtime.app import App
from bot.runtime.runners import tick

from .harness import instagram_settings

POST_A, POST_B = "17999000000000101", "17999000000000102"
FEE = (
    (IgUser("6543210987650001", "siti.pemohon"), "min, berapa biaya paspor?"),
    (IgUser("6543210987650002", "budi.pemohon"), "berapa biaya paspor"),
)
CHILD = (IgUser("6543210987650003", "wati.pemohon"), "syarat paspor anak apa aja ya?")
TOP_POST = f"{POST_A}: 2 pertanyaan — Biaya paspor (2)"
# Every comment is replied to within seconds (the figure depends on the machine's speed); no
# DM waited for a reply.
REPLY_TIMES = re.compile(
    r"\nInstagram: median balasan pertama di komentar \d+,\d menit, di DM -\n"
)


@pytest.fixture
async def bot(
    telegram: FakeTelegram, fake: FakeInstagram, db_url: str, tmp_path: Path
) -> AsyncIterator[App]:
    settings = instagram_settings(fake, db_url, tmp_path, telegram=telegram)
    async with served(settings) as (app, url):
        telegram.deliver_to(f"{url}/telegram", SECRET)
        fake.deliver_to(f"{url}/instagram")
        await fake.wait_for(lambda: bool(fake.ice_breakers))
        yield app


async def comments_asked(fake: FakeInstagram) -> None:
    """Two fee questions under post A, one about a child's passport under post B."""
    for user, text in FEE:
        await fake.user_comments(user, text, media_id=POST_A)
    await fake.user_comments(*CHILD, media_id=POST_B)
    await fake.wait_for(lambda: len(fake.public_replies) == 3)


async def admin_messages(telegram: FakeTelegram, count: int) -> list[Sent]:
    """The first `count` texts the bot sent to the admin."""

    def sent() -> list[Sent]:
        return [s for s in telegram.sent_to(ADMIN) if s.method == "sendMessage"]

    await telegram.wait_for(lambda: len(sent()) >= count, timeout=30)
    return sent()[:count]


async def test_the_app_hands_instagrams_figures_to_the_reports(bot: App) -> None:
    assert isinstance(bot.posts, InstagramReports)


async def test_laporan_lists_the_posts_that_asked_most_and_the_reply_times(
    telegram: FakeTelegram, fake: FakeInstagram, bot: App
) -> None:
    await comments_asked(fake)

    telegram.user_says(ADMIN, "/laporan")
    (summary,) = await admin_messages(telegram, 1)

    text = summary.visible_text or ""
    assert text.startswith("📊 Laporan 7 hari terakhir")
    assert "\nUnggahan Instagram dengan pertanyaan terbanyak:\n" in text
    assert f"\n• {TOP_POST}\n" in text
    assert f"\n• {POST_B}: 1 pertanyaan — " in text
    assert REPLY_TIMES.search(text), text


async def test_the_weekly_digest_names_the_post_that_asked_most_in_one_line(
    telegram: FakeTelegram, fake: FakeInstagram, bot: App
) -> None:
    await comments_asked(fake)
    telegram.user_says(ADMIN, "/start")  # a bot may only write to someone who started it
    await admin_messages(telegram, 1)
    due = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)
    await bot.reports.schedules.claim(digest.SCHEDULE, now=due, next_run=due, first_run=due)

    background = asyncio.create_task(tick(bot, every=3600))  # the round `serve` runs
    try:
        sent = await admin_messages(telegram, 2)
    finally:
        background.cancel()
        await asyncio.gather(background, return_exceptions=True)

    text = sent[-1].visible_text or ""
    assert text.startswith(f"📊 {digest.HEADING}")
    assert f"\nUnggahan Instagram dengan pertanyaan terbanyak: {TOP_POST}\n" in text
    assert POST_B not in text
    assert REPLY_TIMES.search(text), text
