"""WhatsAppStore on SQLite and PostgreSQL: statuses only move forward whatever order Meta sends
them in, failures are counted for admins, and contact windows never shrink."""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import hmac

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.core.vocabulary import Candidate
from bot.storage import Store
from bot.storage.whatsapp import WhatsAppStore, message_key

NOW = dt.datetime(2026, 11, 30, 9, 0, tzinfo=dt.UTC)


def chat_hash(chat_id: str) -> str:
    return hmac.new(b"garam-uji", chat_id.encode(), hashlib.sha256).hexdigest()


@pytest.fixture
def whatsapp(engine: AsyncEngine) -> WhatsAppStore:
    return WhatsAppStore(engine, chat_hash=chat_hash, clock=lambda: NOW)


async def test_statuses_only_move_forward(whatsapp: WhatsAppStore) -> None:
    await whatsapp.record_sent(["wamid.A"], user_hash="u" * 64)
    await whatsapp.record_status("wamid.A", "read")
    await whatsapp.record_status("wamid.A", "delivered")  # late
    await whatsapp.record_status("wamid.A", "sent")  # later still
    delivery = await whatsapp.delivery("wamid.A")
    assert delivery is not None
    assert (delivery.status, delivery.user_hash) == ("read", "u" * 64)


async def test_a_callback_before_the_send_is_recorded_keeps_both(
    whatsapp: WhatsAppStore, store: Store
) -> None:
    ticket = await store.open_ticket(
        channel="whatsapp", chat_id="628", user_hash="h" * 64, question="q",
        guesses=(Candidate("biaya-paspor", 0.5),), context=(),
    )  # fmt: skip
    await whatsapp.record_status("wamid.B", "delivered")
    await whatsapp.record_sent(["wamid.B"], user_hash="h" * 64, ticket_id=ticket.id)
    delivery = await whatsapp.delivery("wamid.B")
    assert delivery is not None
    assert (delivery.status, delivery.ticket_id) == ("delivered", ticket.id)


async def test_failures_are_listed_newest_first_and_counted(engine: AsyncEngine) -> None:
    times = iter([NOW - dt.timedelta(days=9), NOW - dt.timedelta(days=2), NOW])
    whatsapp = WhatsAppStore(engine, chat_hash=chat_hash, clock=lambda: next(times))
    await whatsapp.record_failure("old", user_hash=None)
    await whatsapp.record_sent(["wamid.C"], user_hash=None)
    await whatsapp.record_status("wamid.C", "failed", error="131026 Message undeliverable")
    since = NOW - dt.timedelta(days=7)
    assert await whatsapp.count_failed_since(since) == 1
    (failed,) = await whatsapp.failed_since(since)
    assert (failed.message_id, failed.error) == (
        message_key("wamid.C"),
        "131026 Message undeliverable",
    )
    assert await whatsapp.failed_since(NOW - dt.timedelta(days=30), limit=0) == []


async def test_unknown_statuses_are_refused(whatsapp: WhatsAppStore) -> None:
    with pytest.raises(ValueError, match="unknown delivery status"):
        await whatsapp.record_status("wamid.D", "played")


async def test_the_window_follows_the_newest_message(whatsapp: WhatsAppStore) -> None:
    assert await whatsapp.last_inbound("628") is None
    await whatsapp.touch_window("628", NOW)
    await whatsapp.touch_window("628", NOW - dt.timedelta(hours=30))  # delivered late by Meta
    assert await whatsapp.last_inbound("628") == NOW
    await whatsapp.touch_window("628", NOW + dt.timedelta(minutes=1))
    assert await whatsapp.last_inbound("628") == NOW + dt.timedelta(minutes=1)


async def test_windows_keep_no_phone_number(whatsapp: WhatsAppStore, engine: AsyncEngine) -> None:
    await whatsapp.touch_window("6281377778888", NOW)
    async with engine.connect() as connection:
        rows = (await connection.execute(text("SELECT * FROM contact_windows"))).all()
    assert len(rows) == 1
    assert "6281377778888" not in repr(rows)
    assert await whatsapp.last_inbound("6281377778888") == NOW


async def test_concurrent_window_updates_from_two_workers(engine: AsyncEngine) -> None:
    first = WhatsAppStore(engine, chat_hash=chat_hash)
    second = WhatsAppStore(engine, chat_hash=chat_hash)
    moments = [NOW + dt.timedelta(seconds=n) for n in range(20)]
    await asyncio.gather(
        *(
            (first if n % 2 else second).touch_window("629", moment)
            for n, moment in enumerate(moments)
        )
    )
    assert await first.last_inbound("629") == moments[-1]
