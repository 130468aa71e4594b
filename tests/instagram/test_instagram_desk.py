"""An Instagram applicant and the officers' Telegram group in one `serve` process: tickets
relayed both ways, the 24-hour window and the 7-day HUMAN_AGENT one, undeliverable answers
shown to the officer, takeover and story context noted on the ticket, /gagal_kirim."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from fakes.instagram_api import FakeInstagram
from fakes.instagram_payloads import IgSent, IgUser
from fakes.telegram_api import FakeTelegram, Sent
from sqlalchemy import update
from support.desk import group_messages, number, officer_replies
from support.meta_harness import served
from telegram_harness import ADMIN, GROUP, SECRET

from bot.channels.instagram.tables import InstagramChatRow
from bot.channels.instagram.texts import TAKEOVER_NO_TICKET
from bot.core import replies
from bot.runtime.app import App

from .harness import instagram_of, instagram_settings

APPLICANT = IgUser("6543210987651111", "wati.pemohon")
HOURS_25 = 25 * 3600
DAYS_8 = 8 * 24 * 3600


async def start(
    telegram: FakeTelegram, fake: FakeInstagram, db_url: str, data: Path, human_agent: str
) -> AsyncIterator[App]:
    extra = {"INSTAGRAM_HUMAN_AGENT": human_agent}
    settings = instagram_settings(fake, db_url, data, telegram=telegram, extra=extra)
    async with served(settings) as (app, url):
        telegram.deliver_to(f"{url}/telegram", SECRET)
        fake.deliver_to(f"{url}/instagram")
        await fake.wait_for(lambda: bool(fake.ice_breakers))  # not to spend injected failures
        yield app


@pytest.fixture
async def bot(
    telegram: FakeTelegram, fake: FakeInstagram, db_url: str, tmp_path: Path
) -> AsyncIterator[App]:
    async for app in start(telegram, fake, db_url, tmp_path, "0"):
        yield app


@pytest.fixture
async def bot_with_human_agent(
    telegram: FakeTelegram, fake: FakeInstagram, db_url: str, tmp_path: Path
) -> AsyncIterator[App]:
    async for app in start(telegram, fake, db_url, tmp_path, "1"):
        yield app


def titles(sent: IgSent) -> list[str]:
    return [title for _, title in sent.choices]


async def open_ticket(telegram: FakeTelegram, fake: FakeInstagram) -> tuple[int, Sent]:
    """The applicant asks what the bot cannot answer and taps "Tanya petugas"."""
    await fake.user_says(APPLICANT, "bolehkah saya membawa hewan peliharaan ke ruang tunggu")
    fallback = fake.sent_to(APPLICANT.igsid)[-1]
    assert replies.AGENT_BUTTON in titles(fallback), fake.describe()
    await fake.user_taps(APPLICANT, fallback, replies.AGENT_BUTTON)
    opened = fake.sent_to(APPLICANT.igsid)[-1]
    (post,) = await group_messages(telegram, 1)
    assert number(opened.text) == number(post.visible_text)
    assert "instagram" in (post.visible_text or "")  # the channel is shown
    return number(post.visible_text), post


async def back_in_time(app: App, seconds: float) -> None:
    """Our record of the applicant's last message, moved back (Meta's is the fake's clock)."""
    store = instagram_of(app).store
    row = await store.chat(APPLICANT.igsid)
    assert row is not None
    assert row.last_inbound_at is not None
    earlier = row.last_inbound_at - dt.timedelta(seconds=seconds)
    async with store._engine.begin() as connection:
        await connection.execute(
            update(InstagramChatRow)
            .where(InstagramChatRow.chat_hash == row.chat_hash)
            .values(last_inbound_at=earlier)
        )


async def test_an_officer_answer_is_relayed_within_the_window(
    telegram: FakeTelegram, fake: FakeInstagram, bot: App
) -> None:
    ticket_id, post = await open_ticket(telegram, fake)
    before = len(fake.sent_to(APPLICANT.igsid))
    officer_replies(telegram, post, "Boleh, asal di dalam keranjang.")
    (answer,) = (await fake.wait_sent(APPLICANT.igsid, before + 1))[before:]
    assert "Boleh, asal di dalam keranjang." in answer.text
    assert not answer.human_agent
    assert titles(answer) == [replies.TICKET_DONE_BUTTON]
    confirmation = (await group_messages(telegram, 2))[-1]
    assert "terkirim" in (confirmation.visible_text or "")
    await fake.user_taps(APPLICANT, answer, replies.TICKET_DONE_BUTTON)
    ticket = await bot.store.get_ticket(ticket_id)
    assert ticket is not None
    assert ticket.status == "closed"


async def test_after_24_hours_without_human_agent_the_officer_is_told(
    telegram: FakeTelegram, fake: FakeInstagram, bot: App
) -> None:
    ticket_id, post = await open_ticket(telegram, fake)
    await back_in_time(bot, HOURS_25)
    fake.clock_offset = HOURS_25
    before = len(fake.sent)
    officer_replies(telegram, post, "Silakan datang hari Senin.")
    note = (await group_messages(telegram, 2))[-1]
    assert f"tiket #{ticket_id} tidak terkirim" in (note.visible_text or "")
    assert "24 jam" in (note.visible_text or "")
    assert len(fake.sent) == before  # nothing was even attempted
    since = dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)
    (failed,) = await instagram_of(bot).store.failed_since(since)
    assert failed.ticket_id == ticket_id
    texts = [s.visible_text or "" for s in telegram.sent_to(GROUP)]
    assert not any("Jawaban terkirim" in text for text in texts)


async def test_after_24_hours_human_agent_carries_the_answer_for_7_days(
    telegram: FakeTelegram, fake: FakeInstagram, bot_with_human_agent: App
) -> None:
    ticket_id, post = await open_ticket(telegram, fake)
    await back_in_time(bot_with_human_agent, HOURS_25)
    fake.clock_offset = HOURS_25
    before = len(fake.sent_to(APPLICANT.igsid))
    officer_replies(telegram, post, "Silakan datang hari Senin.")
    (answer,) = (await fake.wait_sent(APPLICANT.igsid, before + 1))[before:]
    assert answer.human_agent
    texts = [s.visible_text or "" for s in await group_messages(telegram, 3)]
    assert any(f"Tiket #{ticket_id}" in t and "HUMAN_AGENT" in t for t in texts)


async def test_after_7_days_even_human_agent_cannot_reach_them(
    telegram: FakeTelegram, fake: FakeInstagram, bot_with_human_agent: App
) -> None:
    ticket_id, post = await open_ticket(telegram, fake)
    await back_in_time(bot_with_human_agent, DAYS_8)
    officer_replies(telegram, post, "Silakan datang hari Senin.")
    note = (await group_messages(telegram, 2))[-1]
    assert f"tiket #{ticket_id} tidak terkirim" in (note.visible_text or "")
    assert "7 hari" in (note.visible_text or "")


async def test_when_meta_says_the_window_closed_the_officer_is_told(
    telegram: FakeTelegram, fake: FakeInstagram, bot: App
) -> None:
    ticket_id, post = await open_ticket(telegram, fake)
    fake.clock_offset = HOURS_25  # Meta's clock: closed; ours says open
    officer_replies(telegram, post, "Jawaban setelah jendela tertutup.")
    note = (await group_messages(telegram, 2))[-1]
    assert f"tiket #{ticket_id} tidak terkirim ke Instagram" in (note.visible_text or "")
    assert "2534022" in (note.visible_text or "")


async def test_a_takeover_and_a_story_reply_are_noted_on_the_open_ticket(
    telegram: FakeTelegram, fake: FakeInstagram, bot: App
) -> None:
    ticket_id, _ = await open_ticket(telegram, fake)
    await fake.user_replies_to_story(APPLICANT, "yang ini kak jadwalnya?", "17900000000000555")
    await group_messages(telegram, 3)  # the message appended, and its context
    texts = [s.visible_text or "" for s in telegram.sent_to(GROUP)]
    assert any(f"Tiket #{ticket_id}" in t and "17900000000000555" in t for t in texts)
    await fake.officer_types(APPLICANT, "Halo kak, saya bantu di sini ya")
    note = (await group_messages(telegram, 4))[-1]
    assert f"Tiket #{ticket_id}" in (note.visible_text or "")
    assert "aplikasi Instagram" in (note.visible_text or "")


async def test_a_takeover_without_a_ticket_is_told_to_the_group_once_without_who(
    telegram: FakeTelegram, fake: FakeInstagram, bot: App
) -> None:
    await fake.user_says(APPLICANT, "berapa biaya paspor")
    await fake.wait_sent(APPLICANT.igsid, 1)
    await fake.officer_types(APPLICANT, "Halo kak, saya bantu di sini ya")
    (line,) = await group_messages(telegram, 1)
    assert line.visible_text == TAKEOVER_NO_TICKET.format(minutes=60)
    await fake.officer_types(APPLICANT, "Sebentar saya cek dulu ya")  # the same takeover
    assert len(telegram.sent_to(GROUP)) == 1
    assert APPLICANT.igsid not in (line.visible_text or "")
    assert APPLICANT.username not in (line.visible_text or "")


async def test_admins_see_instagram_in_gagal_kirim(
    telegram: FakeTelegram, fake: FakeInstagram, bot: App
) -> None:
    telegram.user_says(ADMIN, "/gagal_kirim")
    (empty,) = await telegram.wait_sent(ADMIN, 1)
    assert "tidak ada pesan yang gagal" in (empty.visible_text or "")
    fake.fail_next(1, status=400, code=100)  # refused for good: not retried
    await fake.user_says(APPLICANT, "berapa biaya paspor")
    assert fake.sent_to(APPLICANT.igsid) == []
    since = dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)
    (failed,) = await instagram_of(bot).store.failed_since(since)
    assert failed.error is not None
    assert failed.error.startswith("100 ")
    telegram.user_says(ADMIN, "/gagal_kirim")
    listing = (await telegram.wait_sent(ADMIN, 2))[-1]
    assert "1 pesan gagal terkirim" in (listing.visible_text or "")
    assert "Instagram" in (listing.visible_text or "")
