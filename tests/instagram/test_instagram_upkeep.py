"""Instagram's upkeep besides the token, through `serve` workers on SQLite and PostgreSQL:
the ice breakers refreshed weekly from what people asked most (one worker; the menu's topics
fill in while the log is thin; taps are not counted), and `db purge` covering Instagram's
own tables."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

import pytest
from fakes.instagram_api import FakeInstagram
from fakes.instagram_payloads import IgUser
from sqlalchemy import select, update
from support.meta_harness import served
from support.rows import recent_questions

from bot.channels.instagram.ice_breakers import LEASE, MAX_QUESTION, chosen, questions
from bot.channels.instagram.tables import InstagramChatRow, InstagramCommentRow
from bot.runtime.app import App
from bot.runtime.cli import purge
from bot.storage.tables_ops import ScheduleRow
from knowledge.loader import load

from .harness import instagram_of, instagram_settings

PEOPLE = [IgUser(f"65432109876{n:05d}", f"pemohon.{n}") for n in range(4)]
FAQ = Path(__file__).parents[2] / "faq.yaml"
LONG_AGO = dt.timedelta(days=400)  # past the default retention (365 days)


async def make_due(app: App) -> None:
    """Next week has come: the ice breakers' round is due again."""
    past = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)
    async with instagram_of(app).store._engine.begin() as connection:
        await connection.execute(
            update(ScheduleRow).where(ScheduleRow.name == LEASE).values(next_run_at=past)
        )


async def test_the_weekly_round_opens_on_the_most_asked_topic_then_the_menu(
    fake: FakeInstagram, bot: App
) -> None:
    assert len(fake.ice_breakers) == 1  # the first round, at start: the menu's topics
    menu = bot.conversation.matcher.kb.menu_entries()
    for person in PEOPLE[:3]:
        await fake.user_says(person, "kalau paspor hilang harus bagaimana")
        # Taps are no asks: the fourth menu topic tapped three times stays where it was.
        _, payload = fake.ice_breakers[0][3]
        await fake.user_taps_ice_breaker(person, menu[3].title, payload)
    await fake.wait_sent(PEOPLE[2].igsid, 2)
    asked = {q.faq_id for q in await recent_questions(bot.store)} - {menu[3].id}
    (lost,) = asked
    await make_due(bot)
    await instagram_of(bot).upkeep()
    await fake.wait_for(lambda: len(fake.ice_breakers) == 2)
    most_asked = bot.conversation.matcher.kb.get(lost)
    assert most_asked is not None
    then = [e.title for e in menu if e.id != lost][:3]
    assert [q for q, _ in fake.ice_breakers[1]] == [most_asked.title, *then]
    await instagram_of(bot).upkeep()  # the week's round is taken: nothing more is set
    assert len(fake.ice_breakers) == 2


async def test_one_worker_takes_the_weekly_round(
    fake: FakeInstagram, db_url: str, tmp_path: Path
) -> None:
    settings = instagram_settings(fake, db_url, tmp_path)
    async with served(settings) as (a, _), served(settings) as (b, _):
        await fake.wait_for(lambda: len(fake.ice_breakers) == 1)  # one of the two, at start
        await make_due(a)
        rounds = [await instagram_of(app).ice_breakers.claim() for app in (a, b)]
    assert [taken is not None for taken in rounds] in ([True, False], [False, True])
    assert len(fake.ice_breakers) == 1


def test_asked_topics_come_first_then_the_menu_each_once() -> None:
    kb = load(FAQ)
    menu = kb.menu_entries()
    picked = chosen(kb, ["tidak-ada", menu[2].id, "sapaan", menu[2].id])
    assert [e.id for e in picked] == [menu[2].id, menu[0].id, menu[1].id, menu[3].id]
    long = questions([("x" * 200, "biaya")])
    assert len(long[0][0]) <= MAX_QUESTION
    assert long[0][1] == "#faq:biaya"


async def test_db_purge_removes_old_instagram_conversations_and_comments(
    fake: FakeInstagram, bot: App, db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old, recent, quiet = PEOPLE[:3]
    for person in (old, recent, quiet):
        await fake.user_says(person, "berapa biaya paspor")
        await fake.user_comments(person, "min, berapa biaya paspor?")
    await fake.wait_sent(quiet.igsid, 2)
    await fake.officer_types(quiet, "Halo kak, saya bantu ya")  # a takeover still running
    store = instagram_of(bot).store
    long_ago = dt.datetime.now(dt.UTC) - LONG_AGO
    keep = {store._chat_hash(recent.igsid)}
    async with store._engine.begin() as connection:
        chats = update(InstagramChatRow).where(InstagramChatRow.chat_hash.not_in(keep))
        await connection.execute(chats.values(last_inbound_at=long_ago, taken_over_at=None))
        (comment,) = (await connection.execute(select(InstagramCommentRow.comment_key))).first()
        comments = update(InstagramCommentRow).where(InstagramCommentRow.comment_key == comment)
        await connection.execute(comments.values(created_at=long_ago))
    settings = instagram_settings(fake, db_url, tmp_path)
    assert await purge(settings, argparse.Namespace(older_than=None)) == 0
    out = capsys.readouterr().out
    assert "Dihapus: 1 percakapan DM Instagram." in out
    assert "Dihapus: 1 komentar Instagram." in out
    async with store._engine.connect() as connection:
        left = set((await connection.scalars(select(InstagramChatRow.chat_hash))).all())
        comments_left = len((await connection.scalars(select(InstagramCommentRow))).all())
    assert left == {store._chat_hash(recent.igsid), store._chat_hash(quiet.igsid)}
    assert comments_left == 2
