"""The fake Bot API's sendPhoto, which /laporan relies on: uploads through real PTB, and the
refusals Telegram gives (not an image, caption too long, no photo)."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator

import httpx
import pytest
from fakes.telegram_api import FakeTelegram
from telegram import Bot
from telegram.error import BadRequest

from bot.reporting.charts import outcomes_chart

from .helpers import FIRST, LAST, empty_report

USER = 4242


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram() as server:
        server.user_says(USER, "/start")
        yield server


def png() -> bytes:
    """A real chart, as /laporan sends it (of a report with no questions)."""
    return outcomes_chart(empty_report(FIRST, LAST))


async def test_photo_upload_is_recorded_with_its_size_and_caption(fake: FakeTelegram) -> None:
    data = png()
    async with Bot(fake.token, base_url=fake.base_url) as bot:
        message = await bot.send_photo(
            USER, io.BytesIO(data), caption="Grafik <b>minggu</b> ini", parse_mode="HTML"
        )
    assert message.caption == "Grafik minggu ini"
    assert (message.photo[-1].width, message.photo[-1].height) == (800, 450)
    [record] = [s for s in fake.sent_to(USER) if s.method == "sendPhoto"]
    assert (record.photo_bytes, record.caption) == (len(data), "Grafik minggu ini")


async def test_what_telegram_refuses(fake: FakeTelegram) -> None:
    async with Bot(fake.token, base_url=fake.base_url) as bot:
        with pytest.raises(BadRequest, match="Image_process_failed"):
            await bot.send_photo(USER, b"bukan gambar")
        with pytest.raises(BadRequest, match="caption is too long"):
            await bot.send_photo(USER, png(), caption="x" * 1025)
    async with httpx.AsyncClient() as client:
        response = await client.post(
            f"{fake.base_url}{fake.token}/sendPhoto", data={"chat_id": str(USER)}
        )
    assert response.status_code == 400
    assert response.json()["description"] == "Bad Request: there is no photo in the request"
    assert [s.method for s in fake.sent_to(USER)].count("sendPhoto") == 0
