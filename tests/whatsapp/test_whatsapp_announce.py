"""Announcements on WhatsApp: inside the 24-hour window a free-form message with an opt-out
button; outside it the approved template, or the subscriber is skipped and counted."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from fakes.whatsapp_api import FakeGraph
from fakes.whatsapp_payloads import User
from support.meta_harness import served

from bot.channels.whatsapp.broadcast import WhatsAppBroadcaster
from bot.channels.whatsapp.channel import WINDOW_CLOSED
from bot.channels.whatsapp.running import WhatsApp
from bot.core import replies
from bot.core.errors import DeliveryError
from bot.runtime.app import App

from .harness import whatsapp_settings

RECENT = User("6281311112222", None, "Ani")
QUIET = "6281399990000"  # subscribed long ago; has not written in the last 24 hours
TEXT = "Kuota bulan depan dibuka Senin 09.00."


@pytest.fixture
async def graph() -> AsyncIterator[FakeGraph]:
    async with FakeGraph() as fake:
        yield fake


@pytest.fixture
async def bot(graph: FakeGraph, db_url: str, tmp_path: Path) -> AsyncIterator[App]:
    async with served(whatsapp_settings(graph, db_url, tmp_path)) as (app, url):
        graph.deliver_to(f"{url}/whatsapp")
        yield app


def broadcaster(app: App, template: str = "") -> WhatsAppBroadcaster:
    whatsapp = app.channel(WhatsApp)
    assert whatsapp is not None
    return WhatsAppBroadcaster(whatsapp.sender, whatsapp.store, template=template)


async def test_the_channel_registers_its_broadcaster(bot: App) -> None:
    assert bot.announcements.sender.broadcasters.get("whatsapp") is not None


async def test_inside_the_window_a_message_with_an_opt_out_button(
    graph: FakeGraph, bot: App
) -> None:
    await graph.user_says(RECENT, "/langganan")
    before = len(graph.sent_to(RECENT.address))
    result = await broadcaster(bot).send(RECENT.address, TEXT)
    assert result.status == "sent"
    (sent,) = graph.sent_to(RECENT.address)[before:]
    assert TEXT in sent.text
    assert replies.UNSUBSCRIBE_BUTTON in [title for _, title in sent.choices]


async def test_outside_the_window_skipped_without_a_template(graph: FakeGraph, bot: App) -> None:
    result = await broadcaster(bot).send(QUIET, TEXT)
    assert (result.status, result.error) == ("skipped", WINDOW_CLOSED)
    assert graph.sent_to(QUIET) == []


async def test_outside_the_window_the_template_is_used(graph: FakeGraph, bot: App) -> None:
    result = await broadcaster(bot, template="jawaban_petugas").send(QUIET, TEXT)
    assert result.status == "sent"
    (sent,) = graph.sent_to(QUIET)
    assert sent.kind == "template"


async def test_a_permanent_refusal_fails_and_a_throttle_is_retried_later(
    graph: FakeGraph, bot: App
) -> None:
    await graph.user_says(RECENT, "halo")
    graph.refuse(RECENT.address)
    failed = await broadcaster(bot).send(RECENT.address, TEXT)
    assert failed.status == "failed"
    other = User("6281322223333", None, "Budi")
    await graph.user_says(other, "halo")
    graph.fail_next(20, status=429)
    with pytest.raises(DeliveryError):
        await broadcaster(bot).send(other.address, TEXT)
