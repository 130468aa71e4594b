"""While a ticket is open, on Telegram end to end (issue 17): the real bot (PTB, core,
database) long-polling the fake Bot API, on SQLite and PostgreSQL. A question the bot can
answer is answered while the ticket waits (the officers see it); once an officer has taken
the ticket, the conversation is the officer's until the ticket is closed, or for
TICKET_IDLE_HOURS."""

from __future__ import annotations

from pathlib import Path

import pytest
from fakes.telegram_api import FakeTelegram
from telegram_harness import GROUP, polling_bot, settings_for

from bot.core.errors import ConfigError
from bot.core.replies import TICKET_APPENDED
from bot.runtime.app import App
from bot.runtime.config import TICKET_IDLE_HOURS, Settings

from .test_telegram_desk import OFFICER_A, USER, open_ticket, sent

FEE = "biayanya berapa?"
FEE_ANSWER = "Rp350.000"


def text_of(fake: FakeTelegram, chat: int, message_id: int) -> str:
    return str(fake.message(chat, message_id).get("text") or "")


async def test_the_bot_answers_while_the_ticket_waits_then_the_officer_holds_it(
    fake: FakeTelegram, bot: App
) -> None:
    ticket_id, post = await open_ticket(fake)
    fake.user_says(USER, FEE)
    answer = (await sent(fake, USER, 3))[-1]
    assert FEE_ANSWER in (answer.visible_text or "")
    note = (await sent(fake, GROUP, 2))[-1].visible_text or ""
    assert f"#{ticket_id}" in note
    assert "bot sudah menjawabnya" in note
    assert FEE in note
    fake.group_presses(
        GROUP, OFFICER_A, post.message_id, f"t:claim:{ticket_id}", first_name="Rina"
    )
    await fake.wait_for(lambda: "Rina" in text_of(fake, GROUP, post.message_id))
    fake.user_says(USER, FEE)  # now the officer's conversation: not answered by the bot
    appended = (await sent(fake, USER, 4))[-1]
    assert appended.visible_text == TICKET_APPENDED.format(number=ticket_id)
    relayed = (await sent(fake, GROUP, 3))[-1].visible_text or ""
    assert "pesan baru dari pemohon" in relayed
    fake.group_says(
        GROUP,
        OFFICER_A,
        "Rp350.000 untuk paspor biasa 48 halaman.",
        first_name="Rina",
        reply_to_message_id=post.message_id,
    )
    await sent(fake, USER, 5)
    fake.group_presses(
        GROUP, OFFICER_A, post.message_id, f"t:close:{ticket_id}", first_name="Rina"
    )
    closed = (await sent(fake, USER, 6))[-1]
    assert "ditutup" in (closed.visible_text or "")
    fake.user_says(USER, FEE)  # closed: the bot answers again
    again = (await sent(fake, USER, 7))[-1]
    assert FEE_ANSWER in (again.visible_text or "")
    thread = await bot.store.ticket_messages(ticket_id)
    assert [m.author for m in thread] == ["applicant", "applicant", "bot", "applicant", "officer"]
    fake.group_says(GROUP, OFFICER_A, f"/tiket {ticket_id}", first_name="Rina")
    await fake.wait_for(lambda: any("Percakapan:" in text for text in group_texts(fake)))
    [history] = [text for text in group_texts(fake) if "Percakapan:" in text]
    assert "(dijawab bot dengan entri “Biaya paspor”)" in history
    assert "] Bot:" in history


def group_texts(fake: FakeTelegram) -> list[str]:
    return [s.visible_text or "" for s in fake.sent_to(GROUP) if s.method == "sendMessage"]


async def test_with_no_idle_time_a_claim_does_not_silence_the_bot(
    fake: FakeTelegram, db_url: str, tmp_path: Path
) -> None:
    settings = settings_for(fake, db_url, tmp_path, {"TICKET_IDLE_HOURS": "0"})
    async with polling_bot(settings):
        ticket_id, post = await open_ticket(fake)
        fake.group_presses(
            GROUP, OFFICER_A, post.message_id, f"t:claim:{ticket_id}", first_name="Rina"
        )
        await fake.wait_for(lambda: "Rina" in text_of(fake, GROUP, post.message_id))
        fake.user_says(USER, FEE)
        answer = (await sent(fake, USER, 3))[-1]
        assert FEE_ANSWER in (answer.visible_text or "")


def test_the_idle_time_setting() -> None:
    assert Settings.from_env({}).ticket_idle_hours == TICKET_IDLE_HOURS == 24.0
    assert Settings.from_env({"TICKET_IDLE_HOURS": "2.5"}).ticket_idle_hours == 2.5
    for wrong in ("-1", "satu hari", "100000"):
        with pytest.raises(ConfigError, match="TICKET_IDLE_HOURS"):
            Settings.from_env({"TICKET_IDLE_HOURS": wrong})
