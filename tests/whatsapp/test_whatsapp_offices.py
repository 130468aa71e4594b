"""One WhatsApp number per office (issue 21), end to end: signed webhook calls to the real
`serve` route for the main number and two office numbers of one business account, replies,
officers' answers and announcements sent over real HTTP from the number written to, and the
question log's office (SQLite and PostgreSQL)."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from fakes.telegram_api import FakeTelegram
from fakes.whatsapp_api import PHONE_NUMBER_ID, FakeGraph, GraphSent
from fakes.whatsapp_payloads import User
from sqlalchemy import select
from support.desk import group_messages, number, officer_replies
from support.meta_harness import served
from support.rows import count_questions, reading, recent_questions
from telegram_harness import SECRET

from bot.channels.whatsapp.broadcast import WhatsAppBroadcaster
from bot.channels.whatsapp.running import WhatsApp
from bot.core import replies
from bot.runtime.app import App
from bot.storage.tables_ops import SubscriberRow

from .harness import whatsapp_settings

KOTABUMI, BANDAR_LAMPUNG = "106540352242923", "106540352242924"
NOT_OURS = "106540352249999"  # another number of the account, not configured
OFFICE_NUMBERS = {
    "WHATSAPP_OFFICE_NUMBERS": f"kotabumi:{KOTABUMI},bandar-lampung:{BANDAR_LAMPUNG}"
}
USER = User("6281234567890", "ID.13491208655302741918", "Siti")
HOURS_25 = 25 * 3600


@pytest.fixture
async def graph() -> AsyncIterator[FakeGraph]:
    async with FakeGraph() as fake:
        for office_number in (KOTABUMI, BANDAR_LAMPUNG, NOT_OURS):
            fake.add_number(office_number)
        yield fake


@pytest.fixture
async def bot(graph: FakeGraph, db_url: str, tmp_path: Path) -> AsyncIterator[App]:
    settings = whatsapp_settings(graph, db_url, tmp_path, extra=OFFICE_NUMBERS)
    async with served(settings) as (app, url):
        graph.deliver_to(f"{url}/whatsapp")
        yield app


async def asks(graph: FakeGraph, text: str, *, to: str, count: int = 1) -> list[GraphSent]:
    """The user writes to number `to`; the bot's next `count` messages to them."""
    before = len(graph.sent_to(USER.address))
    assert await graph.user_says(USER, text, to=to) == 200
    return (await graph.wait_sent(USER.address, before + count))[before:]


def store_of(app: App) -> WhatsApp:
    whatsapp = app.channel(WhatsApp)
    assert whatsapp is not None
    return whatsapp


async def test_an_office_number_answers_from_itself_for_its_office(
    graph: FakeGraph, bot: App
) -> None:
    (short,) = await asks(graph, "brp biaya bikin paspor 10 thn?", to=KOTABUMI)
    assert "Rp650.000" in short.text
    assert short.number == KOTABUMI
    assert await graph.user_taps(USER, short, replies.DETAILS_BUTTON) == 200
    details = graph.sent_to(USER.address)[1:]
    assert details, graph.describe()
    assert {sent.number for sent in details} == {KOTABUMI}
    tap, asked = await recent_questions(bot.store, 2)
    assert (asked.faq_id, asked.office_id) == ("biaya-paspor", "kotabumi")
    assert (tap.action, tap.office_id) == ("details", "kotabumi")
    # WhatsApp counts the 24-hour window per number: the main number's is still closed.
    whatsapp = store_of(bot)
    assert await whatsapp.store.last_inbound(USER.address) is None
    assert await whatsapp.store.last_inbound(f"{USER.address}@{KOTABUMI}") is not None


async def test_the_main_number_answers_from_itself_for_the_deployments_office(
    graph: FakeGraph, bot: App
) -> None:
    (main,) = await asks(graph, "brp biaya bikin paspor 10 thn?", to=PHONE_NUMBER_ID)
    assert main.number == PHONE_NUMBER_ID
    (other,) = await asks(graph, "brp biaya bikin paspor 10 thn?", to=BANDAR_LAMPUNG)
    assert other.number == BANDAR_LAMPUNG
    bandar_lampung, kalianda = await recent_questions(bot.store, 2)
    assert (kalianda.office_id, bandar_lampung.office_id) == ("kalianda", "bandar-lampung")
    # The same person in two chats, one per number.
    assert kalianda.user_hash == bandar_lampung.user_hash


async def test_a_number_not_configured_is_not_answered(
    graph: FakeGraph, bot: App, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING):
        assert await graph.user_says(USER, "brp biaya bikin paspor", to=NOT_OURS) == 200
    await asks(graph, "halo", to=PHONE_NUMBER_ID)  # answered: the ignored one held nothing up
    assert [sent.number for sent in graph.sent] == [PHONE_NUMBER_ID]
    assert await count_questions(bot.store) == 1
    lines = [r.getMessage() for r in caplog.records if "not configured" in r.getMessage()]
    assert lines == ["1 WhatsApp messages to a number not configured ignored"]
    assert NOT_OURS not in caplog.text
    assert USER.address not in caplog.text


async def test_an_announcement_leaves_from_the_number_subscribed_to(
    graph: FakeGraph, bot: App
) -> None:
    await asks(graph, "/langganan", to=KOTABUMI)
    async with reading(bot.store) as connection:
        rows = (await connection.execute(select(SubscriberRow))).all()
    (subscriber,) = rows
    chat_id = subscriber.chat_id
    assert subscriber.office_id == "kotabumi"  # an opt-in is for the number's office's news
    whatsapp = store_of(bot)
    result = await WhatsAppBroadcaster(whatsapp.sender, whatsapp.store).send(chat_id, "Kuota.")
    assert result.status == "sent"
    assert graph.sent_to(USER.address)[-1].number == KOTABUMI


@pytest.fixture
async def desk(
    telegram: FakeTelegram, graph: FakeGraph, db_url: str, tmp_path: Path
) -> AsyncIterator[App]:
    extra = {**OFFICE_NUMBERS, "WHATSAPP_TEMPLATE": "jawaban_petugas"}
    settings = whatsapp_settings(graph, db_url, tmp_path, telegram=telegram, extra=extra)
    async with served(settings) as (app, url):
        telegram.deliver_to(f"{url}/telegram", SECRET)
        graph.deliver_to(f"{url}/whatsapp")
        yield app


async def open_ticket(telegram: FakeTelegram, graph: FakeGraph, app: App) -> int:
    """The applicant asks the Kotabumi number for an officer; the ticket's number."""
    await asks(graph, "mau tanya petugas soal paspor saya yang hilang", to=KOTABUMI)
    (post,) = await group_messages(telegram, 1)
    ticket = await app.store.get_ticket(number(post.visible_text))
    assert ticket is not None
    text = post.visible_text or ""
    assert KOTABUMI not in text  # staff see neither number
    assert USER.address not in text
    return ticket.id


async def test_an_officers_answer_leaves_from_the_number_written_to(
    telegram: FakeTelegram, graph: FakeGraph, desk: App
) -> None:
    await open_ticket(telegram, graph, desk)
    (post,) = await group_messages(telegram, 1)
    before = len(graph.sent_to(USER.address))
    officer_replies(telegram, post, "Silakan lapor kehilangan di kantor.")
    (answer,) = (await graph.wait_sent(USER.address, before + 1))[before:]
    assert "Silakan lapor kehilangan di kantor." in answer.text
    assert answer.number == KOTABUMI


async def test_after_24_hours_the_template_leaves_from_the_number_written_to(
    telegram: FakeTelegram, graph: FakeGraph, desk: App
) -> None:
    graph.clock_offset = -HOURS_25  # the applicant wrote to Kotabumi 25 hours ago
    await open_ticket(telegram, graph, desk)
    graph.clock_offset = 0
    # A message to the main number now does not open the Kotabumi number's window.
    await asks(graph, "halo", to=PHONE_NUMBER_ID)
    (post, *_) = await group_messages(telegram, 1)
    before = len(graph.sent_to(USER.address))
    officer_replies(telegram, post, "Silakan lapor kehilangan di kantor.")
    (template,) = (await graph.wait_sent(USER.address, before + 1))[before:]
    assert (template.kind, template.number) == ("template", KOTABUMI)
    assert graph.errors == []  # the bot knew the window was closed, without Meta's refusal
