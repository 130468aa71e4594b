"""`db purge` on both databases: every table holding personal data is covered, WhatsApp
numbers are kept only while something still has to be sent to them, and what is still
needed stays."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncEngine
from support.rows import open_ticket

from bot.channels.whatsapp.durable import stored
from bot.channels.whatsapp.inbound import InboundMessage
from bot.storage import Store
from bot.storage.purge import RetentionStore
from bot.storage.queue import QueueStore
from bot.storage.tables_ops import AnnouncementDeliveryRow, AnnouncementRow, SubscriberRow
from bot.storage.whatsapp import WhatsAppStore

from .dump import containing, table_texts

NOW = dt.datetime(2026, 12, 4, 9, 0, tzinfo=dt.UTC)
OLD = dt.datetime(2024, 3, 1, 9, 0, tzinfo=dt.UTC)
GONE = ("6281100000001", "6281100000002", "6281100000003", "6281100000004", "6281100000005")
KEPT = ("6281199999991", "6281199999992")


def chat_hash(chat_id: str) -> str:
    return hmac.new(b"garam", chat_id.encode(), hashlib.sha256).hexdigest()


async def seed(engine: AsyncEngine) -> None:
    old, new = Store(engine, clock=lambda: OLD), Store(engine, clock=lambda: NOW)
    await open_ticket(old, GONE[0], channel="whatsapp")  # open since 2024, nothing since
    closed = await open_ticket(old, GONE[1], channel="whatsapp")
    await Store(engine, clock=lambda: NOW - dt.timedelta(days=3)).close_ticket(closed)
    await open_ticket(
        new, KEPT[0], channel="whatsapp"
    )  # waiting for an officer: its number is needed
    await WhatsAppStore(engine, chat_hash=chat_hash, clock=lambda: OLD).touch_window(GONE[2], OLD)
    await WhatsAppStore(engine, chat_hash=chat_hash).touch_window(KEPT[1], NOW)
    async with engine.begin() as connection:
        await connection.execute(
            insert(SubscriberRow),
            [
                {
                    "channel": "whatsapp",
                    "chat_id": GONE[3],
                    "subscribed": False,
                    "updated_at": OLD,
                },
                {"channel": "whatsapp", "chat_id": KEPT[1], "subscribed": True, "updated_at": OLD},
            ],
        )
        done = {"text": "info", "created_by": "admin", "created_at": OLD, "status": "done"}
        await connection.execute(insert(AnnouncementRow).values(id=1, finished_at=OLD, **done))
        await connection.execute(
            insert(AnnouncementDeliveryRow).values(
                announcement_id=1, channel="whatsapp", chat_id=GONE[4], status="sent"
            )
        )


async def test_purge_leaves_no_old_number_anywhere(engine: AsyncEngine) -> None:
    await seed(engine)
    before = await table_texts(engine)
    assert all(containing(before, number) for number in (*GONE[:2], *GONE[3:], *KEPT))
    purged = await RetentionStore(engine, clock=lambda: NOW).purge(
        older_than=dt.timedelta(days=30)
    )
    after = await table_texts(engine)
    for number in GONE:
        assert containing(after, number) == [], number
    assert containing(after, KEPT[0])  # the open ticket can still be answered
    assert containing(after, KEPT[1])  # a subscriber who did not opt out
    assert (purged.tickets, purged.chat_ids, purged.windows) == (1, 1, 1)
    assert (purged.subscribers, purged.recipients) == (1, 1)
    window = WhatsAppStore(engine, chat_hash=chat_hash, clock=lambda: NOW)
    assert await window.last_inbound(KEPT[1]) == NOW
    assert await window.last_inbound(GONE[2]) is None


async def test_whatsapp_update_keys_are_kept_hashed(engine: AsyncEngine) -> None:
    # A real inbound message id: base64 of a record that starts with the sender's number.
    wamid = "wamid.HBgNNjI4MTEwMDAwMDAwNhUCABIYFDNBQjEyMzQ1Njc4OTBBQkNERUYA"
    message = InboundMessage(wamid, "6281100000006", "6281100000006", "halo", "text", NOW)
    queue = QueueStore(engine)
    (key,), _ = await queue.accept([stored(message)])
    assert "wamid" not in key
    assert await queue.accept([stored(message)]) == ([], [])  # a redelivery is recognised


async def test_sent_message_ids_are_kept_hashed(engine: AsyncEngine) -> None:
    whatsapp = WhatsAppStore(engine, chat_hash=chat_hash)
    wamid = "wamid.HBgNNjI4MTEwMDAwMDAwNhUCABEYEjk4RkQ2MkY0QjAzQzc1NkJGMAA="
    await whatsapp.record_sent([wamid], user_hash="u" * 64)
    await whatsapp.record_status(wamid, "delivered")
    delivery = await whatsapp.delivery(wamid)
    assert delivery is not None
    assert delivery.status == "delivered"
    assert containing(await table_texts(engine), "wamid") == []
