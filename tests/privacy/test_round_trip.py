"""The personal-data corpus through whole conversations, on Telegram and on WhatsApp (with the
officers on Telegram), on SQLite and PostgreSQL: the applicant types every form, asks for an
officer, goes on typing into the ticket; the officer answers with personal data of their own
and closes; the report is produced. Then no raw value may be found in any table, log line,
officers' post or report file."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from fakes.telegram_api import FakeTelegram, Sent
from fakes.whatsapp_api import FakeGraph
from fakes.whatsapp_payloads import User
from sqlalchemy.ext.asyncio import AsyncEngine
from support.meta_harness import served
from support.rows import pending_counts
from telegram_harness import GROUP, SECRET, polling_bot, settings_for
from whatsapp.harness import whatsapp_settings

from bot.runtime.app import App
from bot.storage import create_engine
from bot.storage.purge import RetentionStore

from .corpus import SAFE
from .dump import containing, table_texts
from .round_trip import (
    BUSY,
    OFFICER_ANSWER,
    database_leaks,
    leaks,
    log_texts,
    messages,
    officer_posts,
    report_texts,
)

APPLICANT, OFFICER = 818181, 7001
WA_APPLICANT = User("6281355554444", "ID.55554444555544445555", "Wati")


def posts(fake: FakeTelegram) -> list[Sent]:
    return [s for s in fake.sent_to(GROUP) if s.method == "sendMessage"]


async def ticket_number(fake: FakeTelegram) -> int:
    await fake.wait_for(lambda: bool(posts(fake)))
    found = re.search(r"#(\d+)", posts(fake)[0].visible_text or "")
    assert found
    return int(found.group(1))


async def officer_answers_and_closes(fake: FakeTelegram, ticket: int) -> None:
    fake.group_says(GROUP, OFFICER, f"/jawab {ticket} {OFFICER_ANSWER}", first_name="Rina")
    await fake.wait_for(lambda: any("terkirim" in (p.visible_text or "") for p in posts(fake)))
    fake.group_says(GROUP, OFFICER, f"/tutup {ticket}", first_name="Rina")
    await fake.wait_for(lambda: any("ditutup" in (p.visible_text or "") for p in posts(fake)))


@pytest.fixture
async def reader(db_url: str) -> AsyncIterator[AsyncEngine]:
    """A second engine on the bot's database, to read every table as an auditor would."""
    engine = create_engine(db_url)
    yield engine
    await engine.dispose()


async def assert_nothing_leaked(
    app: App,
    fake: FakeTelegram,
    caplog: pytest.LogCaptureFixture,
    reader: AsyncEngine,
    chat: str = "",
) -> None:
    """No corpus value anywhere; the applicant's own `chat` id in no post, report or log."""
    await app.log.drain()  # the question log is written in batches
    # A reply waits in the outbox (chat id and text as sent) only until it is sent.
    await until_sent(app)
    found = await database_leaks(reader)
    shown = [chat] if chat else []
    found += leaks("officers' post", officer_posts(fake), shown)
    report = await report_texts(app.settings, app.settings.data_dir / "report")
    found += leaks("report", report, shown)
    found += leaks("log", log_texts(caplog.records), shown)
    assert found == []
    stored = [text for _, _, text in await table_texts(reader)]
    for safe in SAFE[:5]:
        assert any(safe in text for text in stored)  # ordinary questions are kept as typed


async def until_sent(app: App, timeout: float = 20.0) -> None:  # noqa: ASYNC109
    deadline = asyncio.get_running_loop().time() + timeout
    while await pending_counts(app.pipeline.store) != (0, 0):
        assert asyncio.get_running_loop().time() < deadline, "replies still waiting to be sent"
        await asyncio.sleep(0.05)


@pytest.fixture
async def telegram_bot(fake: FakeTelegram, db_url: str, tmp_path: Path) -> AsyncIterator[App]:
    async with polling_bot(settings_for(fake, db_url, tmp_path, BUSY)) as app:
        yield app


async def test_telegram_round_trip_keeps_nothing_in_the_clear(
    fake: FakeTelegram,
    telegram_bot: App,
    caplog: pytest.LogCaptureFixture,
    reader: AsyncEngine,
) -> None:
    caplog.set_level(logging.INFO)
    script = messages()
    for text in script:  # one at a time: each reply is waited for, as a person would
        before = len(fake.sent_to(APPLICANT))
        fake.user_says(APPLICANT, text)
        await fake.wait_sent(APPLICANT, before + 1)
    ticket = await ticket_number(fake)
    notes = len(script) - script.index("mau tanya petugas") - 1
    await fake.wait_for(lambda: len(posts(fake)) > notes)
    await officer_answers_and_closes(fake, ticket)
    await assert_nothing_leaked(telegram_bot, fake, caplog, reader)


@pytest.fixture
async def whatsapp_bot(
    fake: FakeTelegram, graph: FakeGraph, db_url: str, tmp_path: Path
) -> AsyncIterator[App]:
    settings = whatsapp_settings(graph, db_url, tmp_path, telegram=fake, extra=BUSY)
    async with served(settings) as (app, url):
        fake.deliver_to(f"{url}/telegram", SECRET)
        graph.deliver_to(f"{url}/whatsapp")
        yield app


async def test_whatsapp_round_trip_keeps_nothing_in_the_clear(
    fake: FakeTelegram,
    graph: FakeGraph,
    whatsapp_bot: App,
    caplog: pytest.LogCaptureFixture,
    reader: AsyncEngine,
) -> None:
    caplog.set_level(logging.INFO)
    for text in messages():
        assert await graph.user_says(WA_APPLICANT, text) == 200
    ticket = await ticket_number(fake)
    await officer_answers_and_closes(fake, ticket)
    number = WA_APPLICANT.wa_id or "x"
    await assert_nothing_leaked(whatsapp_bot, fake, caplog, reader, chat=number)
    # Only the ticket keeps the number (to deliver the answer); a day after closing, it goes.
    assert {table for table, _, _ in containing(await table_texts(reader), number)} == {"tickets"}
    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=2)
    await RetentionStore(reader, clock=lambda: later).purge(older_than=dt.timedelta(days=30))
    assert containing(await table_texts(reader), number) == []
