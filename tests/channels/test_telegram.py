"""Applicants on Telegram, end to end: the real PTB stack over real HTTP against the fake
Bot API on loopback, the real core and a real database (SQLite and PostgreSQL)."""

from __future__ import annotations

import asyncio
import re

import pytest
from fakes.telegram_api import FakeTelegram, buttons, keyboard
from support.rows import count_questions, feedback_for, recent_questions

from bot.core.replies import (
    AGENT_BUTTON,
    DETAILS_BUTTON,
    FLOOD,
    LONG,
    NONE_OF_THESE,
    NOT_HELPFUL,
    PRIVACY_WARNING,
)
from bot.runtime.app import App

USER = 424242


async def test_start_shows_a_large_reply_keyboard(fake: FakeTelegram, bot: App) -> None:
    fake.user_says(USER, "/start")
    (welcome,) = await fake.wait_sent(USER, 1)
    labels = keyboard(welcome)
    assert "Biaya paspor" in " ".join(labels)
    assert AGENT_BUTTON in labels
    fake.user_says(USER, labels[0])
    answer = (await fake.wait_sent(USER, 2))[-1]
    assert "📞 " in (answer.visible_text or "")  # the contact footer (short under a short answer)


async def test_short_answer_then_details_then_feedback(fake: FakeTelegram, bot: App) -> None:
    fake.user_says(USER, "brp biaya bikin paspor 10 thn?")
    (short,) = await fake.wait_sent(USER, 1)
    assert "Rp650.000" in (short.visible_text or "")
    assert "Rp1.000.000" not in (short.visible_text or ""), "percepatan is a detail"
    assert "📞 Ditjen Imigrasi" in (short.visible_text or "")
    (more,) = buttons(short)
    assert more[0] == DETAILS_BUTTON
    assert more[1] is not None
    fake.user_presses(USER, short.message_id, more[1])
    answer = (await fake.wait_sent(USER, 2))[-1]
    assert "Rp1.000.000" in (answer.visible_text or "")
    assert "Layanan pelanggan" in (answer.visible_text or "")
    tap, asked = await recent_questions(bot.store, 2)
    assert (asked.action, asked.faq_id) == ("answer", "biaya-paspor")
    assert (tap.action, tap.faq_id, tap.flags) == ("details", "biaya-paspor", ("details",))
    data = dict((label, value) for label, value in buttons(answer))
    down = data[NOT_HELPFUL]
    assert down is not None
    fake.user_presses(USER, answer.message_id, down)
    sorry = (await fake.wait_sent(USER, 3))[-1]
    assert AGENT_BUTTON in [label for label, _ in buttons(sorry)]
    question_id = int(down.split(":")[1])
    (feedback,) = await feedback_for(bot.store, question_id)
    assert feedback.helpful is False
    assert fake.unanswered_callbacks == []


async def test_clarify_choice(fake: FakeTelegram, bot: App) -> None:
    fake.user_says(USER, "paspor")
    (clarify,) = await fake.wait_sent(USER, 1)
    choices = buttons(clarify)
    assert len(choices) == 4
    assert choices[-1][0] == NONE_OF_THESE
    first = choices[0][1]
    assert first is not None
    fake.user_presses(USER, clarify.message_id, first)
    answer = (await fake.wait_sent(USER, 2))[-1]
    assert "📞 " in (answer.visible_text or "")


@pytest.mark.parametrize("kind", ["photo", "voice", "sticker", "document", "location", "contact"])
async def test_non_text_gets_a_polite_answer(fake: FakeTelegram, bot: App, kind: str) -> None:
    fake.user_sends(USER, kind)
    (reply,) = await fake.wait_sent(USER, 1)
    assert "Maaf, saya belum bisa membaca" in (reply.visible_text or "")
    assert AGENT_BUTTON in [label for label, _ in buttons(reply)]
    (logged,) = await recent_questions(bot.store, limit=1)
    assert f"media:{kind}" in logged.flags


async def test_markup_and_long_text_are_safe(fake: FakeTelegram, bot: App) -> None:
    fake.user_says(USER, "<b>biaya</b> & <i>paspor</i> *tebal* _miring_ " + "x " * 3000)
    replies = await fake.wait_sent(USER, 2)
    assert replies[0].visible_text == LONG
    assert fake.errors == []


async def test_personal_data_warning(fake: FakeTelegram, bot: App) -> None:
    fake.user_says(USER, "nik saya 3201234567890001 tidak valid kenapa")
    replies = await fake.wait_sent(USER, 2)
    assert replies[-1].visible_text == PRIVACY_WARNING
    (logged,) = await recent_questions(bot.store, limit=1)
    assert "3201234567890001" not in logged.text_redacted


async def test_flood_is_slowed_politely(fake: FakeTelegram, bot: App) -> None:
    for n in range(16):
        fake.user_says(USER, f"halo {n}")
    await fake.wait_for(lambda: len(bot_texts(fake)) >= 13, timeout=15)
    for _ in range(100):  # the last three are logged without a reply
        if await count_questions(bot.store) == 16:
            break
        await asyncio.sleep(0.05)
    assert await count_questions(bot.store) == 16
    texts = bot_texts(fake)
    assert len(texts) == 13
    assert texts.count(FLOOD) == 1


def bot_texts(fake: FakeTelegram) -> list[str]:
    return [s.visible_text or "" for s in fake.sent_to(USER)]


def ticket_number(text: str) -> int:
    found = re.search(r"#(\d+)", text)
    assert found, text
    return int(found.group(1))
