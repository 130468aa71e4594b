"""/umumkan per office (issue 21) end to end: the real bot (PTB, core, database) against the
fake Bot API over real HTTP, on SQLite and PostgreSQL, with Kotabumi's office admin beside
the admin of every office. Subscribers opt in through /langganan; their office is then set
with the store's own `move`, as a chat that chose its office would have it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from fakes.telegram_api import FakeTelegram, Sent, buttons
from telegram_harness import ADMIN, polling_bot, settings_for

from bot.announcements import texts
from bot.core.replies import ANNOUNCE_CANCEL_BUTTON, ANNOUNCE_SEND_BUTTON
from bot.runtime.app import App
from bot.runtime.config import Settings
from bot.storage import create_engine
from bot.storage.announcements import AnnouncementStore

from .test_telegram_announce import announcements_to, subscribe, users

TEXT = "Kuota bulan depan dibuka Senin 09.00."
KOTABUMI_ADMIN = 9002
OFFICE_OF = {0: "kalianda", 1: "kalianda", 2: "kotabumi", 3: "kotabumi", 4: None}


@pytest.fixture
def settings(fake: FakeTelegram, db_url: str, tmp_path: Path) -> Settings:
    extra = {"TELEGRAM_OFFICE_ADMINS": f"kotabumi:{KOTABUMI_ADMIN}"}
    return settings_for(fake, db_url, tmp_path, extra)


@pytest.fixture
async def bot(settings: Settings) -> AsyncIterator[App]:
    async with polling_bot(settings) as app:
        yield app


@pytest.fixture
async def chats(fake: FakeTelegram, bot: App, settings: Settings) -> list[int]:
    """Two subscribers of Kalianda, two of Kotabumi, one with no office."""
    chats = users(len(OFFICE_OF))
    await subscribe(fake, chats)
    engine = create_engine(settings.database_url)
    try:
        store = AnnouncementStore(engine)
        for n, office in OFFICE_OF.items():
            await store.move("telegram", str(chats[n]), office)
    finally:
        await engine.dispose()
    return chats


async def command(fake: FakeTelegram, admin: int, text: str) -> Sent:
    """An admin's /umumkan and the bot's answer to it."""
    before = len(fake.sent_to(admin))
    fake.user_says(admin, f"/umumkan {text}")
    await fake.wait_for(lambda: len(fake.sent_to(admin)) > before)
    return fake.sent_to(admin)[before]


def press(fake: FakeTelegram, preview: Sent, label: str, *, owner: int, user: int) -> None:
    """`user` presses a button under the preview `owner` got."""
    data = dict(buttons(preview))[label]
    assert data is not None
    fake.user_presses(user, preview.message_id, data, chat_id=owner)


def got(fake: FakeTelegram, chats: list[int]) -> list[int]:
    return [n for n, chat in enumerate(chats) if announcements_to(fake, chat)]


async def sent_and_reported(fake: FakeTelegram, bot: App, admin: int) -> None:
    await fake.wait_for(
        lambda: any("📣 Laporan" in (s.visible_text or "") for s in fake.sent_to(admin))
    )
    await bot.announcements.sender.settled()


async def test_an_office_admin_announces_to_their_office_only(
    fake: FakeTelegram, bot: App, chats: list[int]
) -> None:
    preview = await command(fake, KOTABUMI_ADMIN, TEXT)
    shown = preview.visible_text or ""
    assert "Untuk pelanggan Kantor Imigrasi Kotabumi." in shown
    assert "Akan dikirim ke 2 pelanggan (telegram 2)." in shown
    press(fake, preview, ANNOUNCE_SEND_BUTTON, owner=KOTABUMI_ADMIN, user=KOTABUMI_ADMIN)
    await sent_and_reported(fake, bot, KOTABUMI_ADMIN)
    assert got(fake, chats) == [2, 3]


async def test_an_admin_of_every_office_announces_to_one_office_or_to_all(
    fake: FakeTelegram, bot: App, chats: list[int]
) -> None:
    preview = await command(fake, ADMIN, f"kantor=kalianda {TEXT}")
    assert "Untuk pelanggan Kantor Imigrasi Kalianda." in (preview.visible_text or "")
    assert "kantor=" not in (preview.visible_text or "")
    press(fake, preview, ANNOUNCE_SEND_BUTTON, owner=ADMIN, user=ADMIN)
    await sent_and_reported(fake, bot, ADMIN)
    assert got(fake, chats) == [0, 1]
    everyone = await command(fake, ADMIN, "Semua kantor tutup hari Jumat.")
    assert "Untuk pelanggan semua kantor." in (everyone.visible_text or "")
    assert "Akan dikirim ke 5 pelanggan" in (everyone.visible_text or "")
    unknown = await command(fake, ADMIN, f"kantor=metro {TEXT}")
    assert "“metro” tidak dikenal" in (unknown.visible_text or "")


async def test_an_office_admin_cannot_announce_to_or_decide_for_another_office(
    fake: FakeTelegram, bot: App, chats: list[int]
) -> None:
    refused = await command(fake, KOTABUMI_ADMIN, f"kantor=kalianda {TEXT}")
    assert refused.visible_text == texts.OTHER_OFFICE.format(own="Kantor Imigrasi Kotabumi")
    assert not list(buttons(refused))
    kalianda = await command(fake, ADMIN, f"kantor=kalianda {TEXT}")
    everyone = await command(fake, ADMIN, "Untuk semua.")
    for preview in (kalianda, everyone):
        for label in (ANNOUNCE_SEND_BUTTON, ANNOUNCE_CANCEL_BUTTON):
            answered = len(fake.callback_answers)
            press(fake, preview, label, owner=ADMIN, user=KOTABUMI_ADMIN)
            await fake.wait_for(lambda: len(fake.callback_answers) > answered)  # noqa: B023
            answer = fake.callback_answers[-1]
            assert "Anda hanya dapat mengurus pengumuman Kantor Imigrasi Kotabumi" in (
                answer.text or ""
            )
            assert answer.show_alert
    for preview in (kalianda, everyone):
        number = int((dict(buttons(preview))[ANNOUNCE_SEND_BUTTON] or "").rsplit(":", 1)[1])
        found = await bot.announcements.get(number)
        assert found is not None
        assert found.status == "draft"
        # The preview keeps its buttons, for the admins who may decide it.
        assert "reply_markup" in fake.message(ADMIN, preview.message_id)
    await bot.announcements.sender.settled()
    assert got(fake, chats) == []
