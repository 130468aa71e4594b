"""Revision 0005 on a database from 0004 whose contact windows hold raw WhatsApp numbers."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import text

from bot.storage import create_engine, upgrade
from bot.storage.database import downgrade

NUMBER = "6281377778888"
AT = dt.datetime(2024, 3, 1, tzinfo=dt.UTC)


async def test_upgrade_drops_raw_numbers_and_downgrade_restores_the_shape(db_url: str) -> None:
    engine = create_engine(db_url)
    try:
        await upgrade(engine, "0004")
        async with engine.begin() as connection:
            await connection.execute(
                text("INSERT INTO contact_windows VALUES ('whatsapp', :chat, :at)"),
                {"chat": NUMBER, "at": AT},
            )
        await upgrade(engine, "0005")
        async with engine.connect() as connection:
            rows = (await connection.execute(text("SELECT * FROM contact_windows"))).all()
            hashed = await connection.execute(text("SELECT chat_hash FROM contact_windows"))
        assert rows == []
        assert hashed.all() == []
        await downgrade(engine, "0004")
        async with engine.connect() as connection:
            await connection.execute(text("SELECT chat_id FROM contact_windows"))
    finally:
        await engine.dispose()
