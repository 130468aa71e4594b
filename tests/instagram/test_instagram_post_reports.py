"""Instagram's report figures from real traffic through `serve` (SQLite and PostgreSQL): an
answered DM, an officer's message typed in the app while the bot keeps quiet, and an answered
comment each give one first-reply time."""

from __future__ import annotations

import asyncio
import datetime as dt

from fakes.instagram_api import FakeInstagram
from fakes.instagram_payloads import IgUser

from bot.channels.instagram.post_reports import InstagramReports
from bot.reporting.vocabulary import PostFigures
from bot.runtime.app import App
from bot.storage import create_engine

USER = IgUser("6543210987654321", "siti.pemohon")
POST = "17800000000000001"


async def figures(db_url: str, *, dms: int, comments: int) -> PostFigures:
    """The last day's figures, once the expected replies are recorded (after they are sent)."""
    engine = create_engine(db_url)
    try:
        reports = InstagramReports(engine)
        for _ in range(100):
            now = dt.datetime.now(dt.UTC)
            found = await reports.post_figures(since=now - dt.timedelta(days=1), until=now)
            if (len(found.dm_reply_minutes), len(found.comment_reply_minutes)) == (dms, comments):
                return found
            await asyncio.sleep(0.05)
    finally:
        await engine.dispose()
    raise AssertionError(f"reply times not recorded: {found}")


async def test_dms_and_comments_get_first_reply_times(
    fake: FakeInstagram, bot: App, db_url: str
) -> None:
    assert await fake.user_says(USER, "berapa biaya paspor") == 200  # the bot's reply: 1
    await fake.officer_types(USER, "Halo kak, saya petugas")  # nothing waited: no time
    assert await fake.user_says(USER, "paspor saya hilang") == 200  # the bot keeps quiet
    await fake.officer_types(USER, "Baik kak, kami bantu")  # the officer's reply: 2
    status, _ = await fake.user_comments(USER, "berapa biaya paspor?", media_id=POST)
    assert status == 200

    found = await figures(db_url, dms=2, comments=1)

    assert len([s for s in fake.sent_to(USER.igsid) if s.comment is None]) == 1  # quiet
    assert all(0 <= minutes < 1 for minutes in found.dm_reply_minutes)
    (post,) = found.posts
    assert (post.post, post.questions, post.topics) == (POST, 1, (("biaya-paspor", 1),))
