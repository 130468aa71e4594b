"""One Instagram account per office (issue 21), end to end: signed webhook POSTs to the real
`serve` route for the main account and an office's account of the same Meta app, replies and
officers' answers sent over real HTTP to the strict fake Graph API (which takes each account's
calls only with that account's token), and the question log's office (SQLite and
PostgreSQL)."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from fakes import instagram_payloads as payloads
from fakes.instagram_api import FakeInstagram
from fakes.instagram_payloads import IgSent, IgUser
from fakes.telegram_api import FakeTelegram
from support.desk import group_messages, number, officer_replies
from support.meta_harness import served
from support.rows import count_questions, recent_questions
from telegram_harness import SECRET

from bot.channels.instagram.inbound import Comment, parse
from bot.core import replies
from bot.runtime.app import App

from .harness import instagram_of, instagram_settings

KOTABUMI = "17841400000000077"
KOTABUMI_TOKEN = "IGAAkotabumiToken4567"
NOT_OURS = "17841400000000099"  # another account that authorised the app, not configured
OFFICE_ACCOUNTS = {
    "INSTAGRAM_OFFICE_ACCOUNTS": f"kotabumi:{KOTABUMI}",
    "INSTAGRAM_OFFICE_TOKEN_KOTABUMI": KOTABUMI_TOKEN,
}
USER = IgUser("6543210987654321", "siti.pemohon")
PRICE = "brp biaya bikin paspor 10 thn?"


async def start(
    fake: FakeInstagram, db_url: str, data: Path, telegram: FakeTelegram | None = None
) -> AsyncIterator[App]:
    fake.add_account(KOTABUMI, KOTABUMI_TOKEN)
    fake.add_account(NOT_OURS, "IGAAnotOursToken890")
    settings = instagram_settings(fake, db_url, data, telegram=telegram, extra=OFFICE_ACCOUNTS)
    async with served(settings) as (app, url):
        fake.deliver_to(f"{url}/instagram")
        if telegram is not None:
            telegram.deliver_to(f"{url}/telegram", SECRET)
        await fake.wait_for(lambda: bool(fake.ice_breakers))  # set at start, in the background
        yield app


@pytest.fixture
async def bot(fake: FakeInstagram, db_url: str, tmp_path: Path) -> AsyncIterator[App]:
    async for app in start(fake, db_url, tmp_path):
        yield app


@pytest.fixture
async def desk(
    telegram: FakeTelegram, fake: FakeInstagram, db_url: str, tmp_path: Path
) -> AsyncIterator[App]:
    async for app in start(fake, db_url, tmp_path, telegram):
        yield app


async def asks(fake: FakeInstagram, text: str, *, to: str | None, count: int = 1) -> list[IgSent]:
    """USER writes to account `to` (None: the main one); the bot's next `count` messages."""
    before = len(fake.sent_to(USER.igsid))
    assert await fake.user_says(USER, text, to=to) == 200
    return (await fake.wait_sent(USER.igsid, before + count))[before:]


async def test_a_dm_to_an_office_account_is_answered_through_it_for_its_office(
    fake: FakeInstagram, bot: App
) -> None:
    (short,) = await asks(fake, PRICE, to=KOTABUMI)
    assert "Rp650.000" in short.text
    assert short.account == KOTABUMI  # the fake took it only with Kotabumi's token
    assert await fake.user_taps(USER, short, replies.DETAILS_BUTTON) == 200
    await fake.wait_sent(USER.igsid, 2)
    assert {sent.account for sent in fake.sent} == {KOTABUMI}
    tap, asked = await recent_questions(bot.store, 2)
    assert (asked.faq_id, asked.office_id) == ("biaya-paspor", "kotabumi")
    assert (tap.action, tap.office_id) == ("details", "kotabumi")
    # Its own chat: the echo of the bot's send is known as the bot's (no takeover), and the
    # main account's chat with the same IGSID was never opened.
    assert await fake.echo(short) == 200
    store = instagram_of(bot).store
    row = await store.chat(f"{USER.igsid}@{KOTABUMI}")
    assert row is not None
    assert (row.last_inbound_at is not None, row.takeover_until) == (True, None)
    assert await store.chat(USER.igsid) is None


async def test_the_main_account_answers_as_before(fake: FakeInstagram, bot: App) -> None:
    (main,) = await asks(fake, PRICE, to=None)
    assert main.account == fake.account_id
    (asked,) = await recent_questions(bot.store, 1)
    assert asked.office_id == "kalianda"  # the deployment's office (OFFICE's default)
    assert await instagram_of(bot).store.chat(USER.igsid) is not None


async def test_an_account_not_configured_is_ignored_and_logged(
    fake: FakeInstagram, bot: App, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING):
        assert await fake.user_says(USER, PRICE, to=NOT_OURS) == 200
    await asks(fake, "halo", to=None)  # answered: the ignored one held nothing up
    assert [sent.account for sent in fake.sent] == [fake.account_id]
    assert await count_questions(bot.store) == 1
    lines = [r.getMessage() for r in caplog.records if "not configured" in r.getMessage()]
    assert lines == ["Instagram events for an account not configured ignored"]
    assert NOT_OURS not in caplog.text
    assert USER.igsid not in caplog.text


async def test_a_comment_on_an_office_post_is_answered_through_that_account(
    fake: FakeInstagram, bot: App
) -> None:
    _, comment_id = await fake.user_comments(USER, "min, berapa biaya paspor?", on=KOTABUMI)
    await fake.wait_for(lambda: len(fake.public_replies) == 1)
    (private,) = fake.sent
    assert (private.comment, private.account) == (comment_id, KOTABUMI)
    assert "Rp650.000" in private.text
    ((under, _, _),) = fake.public_replies  # refused but for Kotabumi's token: its post
    assert under == comment_id
    (asked,) = await recent_questions(bot.store, 1)
    assert asked.office_id == "kotabumi"
    # The office account's own comment under its post is never answered.
    office = IgUser(KOTABUMI, "kanim.kotabumi")
    assert (await fake.user_comments(office, "Info kuota?", on=KOTABUMI))[0] == 200
    _, later = await fake.user_comments(USER, "syarat paspor anak apa?", on=KOTABUMI)
    await fake.wait_for(lambda: len(fake.public_replies) == 2)
    assert [sent.comment for sent in fake.sent] == [comment_id, later]


async def test_an_officers_answer_goes_out_through_the_office_account(
    telegram: FakeTelegram, fake: FakeInstagram, desk: App
) -> None:
    (fallback,) = await asks(
        fake, "bolehkah membawa hewan peliharaan ke ruang tunggu", to=KOTABUMI
    )
    assert await fake.user_taps(USER, fallback, replies.AGENT_BUTTON) == 200
    opened = (await fake.wait_sent(USER.igsid, 2))[-1]
    (post,) = await group_messages(telegram, 1)
    assert number(opened.text) == number(post.visible_text)
    officer_replies(telegram, post, "Boleh, asal di dalam keranjang.")
    answer = (await fake.wait_sent(USER.igsid, 3))[-1]
    assert "Boleh, asal di dalam keranjang." in answer.text
    assert {sent.account for sent in fake.sent} == {KOTABUMI}
    ticket = await desk.store.get_ticket(number(post.visible_text))
    assert ticket is not None
    assert (ticket.chat_id, ticket.office_id) == (f"{USER.igsid}@{KOTABUMI}", "kotabumi")


def test_the_parser_names_an_office_account_and_skips_one_not_configured() -> None:
    main, office = "17841400000000001", KOTABUMI
    dm = payloads.event(USER.igsid, office, 1_000, **payloads.text("halo"))
    echo = payloads.event(office, USER.igsid, 1_000, **payloads.text("jawaban"))
    own = payloads.comment_value("17850000000000009", "Info", IgUser(office), "17999")
    body = payloads.envelope(
        payloads.messaging_entry(office, [dm, echo], 1),
        payloads.changes_entry(office, [own], 1),
        payloads.messaging_entry(NOT_OURS, [dm], 1),
        payloads.messaging_entry(main, [dm], 1),
    )
    events = parse(body, account_id=main, offices={office})
    assert [(type(e).__name__, getattr(e, "account", None)) for e in events] == [
        ("DirectMessage", office),
        ("Echo", office),  # sent by the office's account
        ("Comment", office),
        ("DirectMessage", ""),  # the main account's
    ]
    assert isinstance(events[2], Comment)
    assert events[2].own
    # Without office accounts every entry is the main account's, as before.
    assert len(parse(body, account_id=main)) == 5
