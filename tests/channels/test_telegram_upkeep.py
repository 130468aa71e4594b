"""The outage notice from Telegram: an admin pins it, applicants see it, the admin lifts it."""

from __future__ import annotations

from fakes.telegram_api import FakeTelegram
from telegram_harness import ADMIN

from bot.runtime.app import App

USER = 717171


async def test_admin_pins_and_lifts_the_outage_notice(fake: FakeTelegram, bot: App) -> None:
    fake.user_says(ADMIN, "/gangguan Server M-Paspor sedang diperbaiki (kode G-88).")
    (pinned,) = await fake.wait_sent(ADMIN, 1)
    assert "dipasang" in (pinned.visible_text or "")
    fake.user_says(USER, "aplikasi m paspor tidak bisa dibuka")
    replies = await fake.wait_sent(USER, 2)
    assert "G-88" in (replies[0].visible_text or "")
    fake.user_says(ADMIN, "/gangguan selesai")
    await fake.wait_sent(ADMIN, 2)
    fake.user_says(USER, "aplikasi m paspor tidak bisa dibuka")
    later = (await fake.wait_sent(USER, 3))[-1]
    assert "G-88" not in (later.visible_text or "")


async def test_non_admin_cannot_pin(fake: FakeTelegram, bot: App) -> None:
    fake.user_says(USER, "/gangguan palsu")
    (reply,) = await fake.wait_sent(USER, 1)
    assert reply.visible_text == "Maaf, perintah ini khusus admin."
    assert await bot.outage.outage() is None
