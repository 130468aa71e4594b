"""Telegram and the many offices (issue 21), through the real PTB against the fake Bot API: a
deep link `t.me/<bot>?start=kotabumi` binds the chat, and an unbound chat is asked where the
applicant lives, answered with a button."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from fakes.telegram_api import FakeTelegram, buttons
from support.rows import recent_questions
from telegram_harness import polling_bot, settings_for

from bot.core.offices import ASK
from bot.runtime.app import App

USER = 4242


@pytest.fixture
async def asking(fake: FakeTelegram, db_url: str, tmp_path: Path) -> AsyncIterator[App]:
    """The bot of a deployment that serves every office and binds none (OFFICE=ask)."""
    async with polling_bot(settings_for(fake, db_url, tmp_path, {"OFFICE": "ask"})) as app:
        yield app


async def test_a_deep_link_binds_the_chat(fake: FakeTelegram, asking: App) -> None:
    fake.user_says(USER, "/start kotabumi")
    (welcome,) = await fake.wait_sent(USER, 1)
    assert "Kantor Imigrasi Kotabumi" in welcome.text
    fake.user_says(USER, "brp biaya paspor")
    answer = (await fake.wait_sent(USER, 2))[-1]
    assert "Rp350.000" in answer.text
    assert ASK not in answer.text
    newest = await recent_questions(asking.store, 2)
    assert [q.office_id for q in newest] == ["kotabumi", "kotabumi"]


async def test_an_unbound_chat_is_asked_and_a_button_answers(
    fake: FakeTelegram, asking: App
) -> None:
    fake.user_says(USER, "brp biaya paspor")
    sent = await fake.wait_sent(USER, 2)
    ask = next(s for s in sent if s.text == ASK)
    way_kanan = next(data for label, data in buttons(ask) if label == "Way Kanan")
    assert way_kanan is not None
    fake.user_presses(USER, ask.message_id, way_kanan)
    placed = (await fake.wait_sent(USER, 3))[-1]
    assert "Kantor Imigrasi Kotabumi" in placed.text
    fake.user_says(USER, "brp biaya paspor")
    await fake.wait_sent(USER, 4)
    (newest,) = await recent_questions(asking.store, 1)
    assert newest.office_id == "kotabumi"
