"""Admins per office on Telegram (issue 21), end to end over the fake Bot API on SQLite and
PostgreSQL: an office admin gets their office's figures only, an admin of every office the
combined ones with the comparison between offices, and national commands stay national."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path

import pytest
from fakes.telegram_api import FakeTelegram, Sent
from telegram_harness import ADMIN, polling_bot, settings_for

from bot.channels.telegram.admin_access import NATIONAL_ONLY, OTHER_OFFICE
from bot.reporting import digest
from bot.runtime.app import App, telegram_wiring
from bot.runtime.app.feature_settings import report_settings

from .helpers import asked

KOTABUMI_ADMIN = 7101
KALIANDA_ADMIN = 7102
QUESTIONS = {"kotabumi": 3, "kalianda": 5, "bandar-lampung": 2}


@pytest.fixture
async def bot(fake: FakeTelegram, db_url: str, tmp_path: Path) -> AsyncIterator[App]:
    admins = f"kotabumi:{KOTABUMI_ADMIN},kalianda:{KALIANDA_ADMIN}"
    settings = settings_for(fake, db_url, tmp_path, {"TELEGRAM_OFFICE_ADMINS": admins})
    async with polling_bot(settings) as app:
        now = dt.datetime.now(dt.UTC)
        logged = [
            replace(asked("berapa biaya paspor", now - dt.timedelta(hours=1)), office_id=office)
            for office, count in QUESTIONS.items()
            for _ in range(count)
        ]
        await app.store.log_questions(logged)
        yield app


async def reply_to(fake: FakeTelegram, chat: int, text: str) -> str:
    """The first message the bot sends `chat` after it says `text`."""

    def sent() -> list[Sent]:
        return [s for s in fake.sent_to(chat) if s.method == "sendMessage"]

    before = len(sent())
    fake.user_says(chat, text)
    await fake.wait_for(lambda: len(sent()) > before, timeout=30)
    return sent()[before].visible_text or ""


async def test_an_office_admin_gets_their_own_office_only(fake: FakeTelegram, bot: App) -> None:
    text = await reply_to(fake, KOTABUMI_ADMIN, "/laporan")
    assert text.startswith("📊 Laporan 7 hari terakhir — Kantor Imigrasi Kotabumi")
    assert "Pertanyaan: 3\n" in text
    assert "Per kantor:" not in text  # no comparison for one office
    own = await reply_to(fake, KOTABUMI_ADMIN, "/laporan kotabumi 3")
    assert own.startswith("📊 Laporan 3 hari terakhir — Kantor Imigrasi Kotabumi")
    other = await reply_to(fake, KOTABUMI_ADMIN, "/laporan kalianda")
    assert other == OTHER_OFFICE.format(office="Kantor Imigrasi Kotabumi")
    stats = await reply_to(fake, KALIANDA_ADMIN, "/statistik")
    assert stats.startswith("Kantor Imigrasi Kalianda\n")
    assert "Pertanyaan: 5" in stats
    refused = await reply_to(fake, KALIANDA_ADMIN, "/statistik bandar lampung")
    assert refused == OTHER_OFFICE.format(office="Kantor Imigrasi Kalianda")


async def test_an_admin_of_every_office_gets_the_comparison(fake: FakeTelegram, bot: App) -> None:
    text = await reply_to(fake, ADMIN, "/laporan")
    assert text.startswith("📊 Laporan 7 hari terakhir (")
    assert "Pertanyaan: 10\n" in text  # every office combined
    comparison = text.split("Per kantor:\n", 1)[1].split("\n\n", 1)[0].splitlines()
    assert [line.split(":", 1)[0] for line in comparison] == [
        "• Kantor Imigrasi Kalianda",
        "• Kantor Imigrasi Kotabumi",
        "• Kantor Imigrasi Bandar Lampung",
    ]
    assert comparison[0].startswith("• Kantor Imigrasi Kalianda: 5 pertanyaan, dijawab bot 100%")
    one = await reply_to(fake, ADMIN, "/laporan Kantor Imigrasi Kalianda")
    assert one.startswith("📊 Laporan 7 hari terakhir — Kantor Imigrasi Kalianda")
    assert "Pertanyaan: 5\n" in one
    stats = await reply_to(fake, ADMIN, "/statistik")
    assert "Per kantor, 7 hari terakhir:" in stats


async def test_national_commands_are_refused_to_office_admins(
    fake: FakeTelegram, bot: App
) -> None:
    for command in ("muat_ulang", "gangguan"):
        text = await reply_to(fake, KOTABUMI_ADMIN, f"/{command}")
        assert text == NATIONAL_ONLY.format(command=command, office="Kantor Imigrasi Kotabumi")
    reloaded = await reply_to(fake, ADMIN, "/muat_ulang")
    assert reloaded.startswith("faq.yaml dimuat ulang")


async def test_each_office_admin_gets_their_office_digest(fake: FakeTelegram, bot: App) -> None:
    for admin in (KOTABUMI_ADMIN, KALIANDA_ADMIN):
        await reply_to(fake, admin, "/start")  # a bot may only write to someone who started it
    settings = report_settings(bot.settings, bot.offices)
    assert bot.telegram is not None
    tells = telegram_wiring.office_admin_sends(bot.settings, bot.telegram.application)
    kb = bot.conversation.matcher.kb
    send = digest.send_office_digests_if_due
    now = dt.datetime.now(dt.UTC)
    assert await send(bot.reports, tells, settings, kb, now=now) == []  # books the first run
    due = await bot.reports.schedules.next_run(f"{digest.SCHEDULE}:kotabumi")
    assert due is not None
    assert await send(bot.reports, tells, settings, kb, now=due) == ["kalianda", "kotabumi"]
    assert await send(bot.reports, tells, settings, kb, now=due) == []  # claimed once
    sent = [s.visible_text or "" for s in fake.sent_to(KOTABUMI_ADMIN)]
    assert sent[-1].startswith("📊 Ringkasan mingguan Tanya Paspor — Kantor Imigrasi Kotabumi")
    assert "Kalianda" not in sent[-1]
    assert "Per kantor:" not in sent[-1]
    kalianda = [s.visible_text or "" for s in fake.sent_to(KALIANDA_ADMIN)][-1]
    assert kalianda.startswith("📊 Ringkasan mingguan Tanya Paspor — Kantor Imigrasi Kalianda")
