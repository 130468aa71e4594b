"""The durable inbox and outbox: raw updates stored before Telegram or Meta are told "got it",
and replies stored in the same transaction that marks their update handled.

Kept apart from `tables.py`; `bot.storage.schema` imports this module so the models are on
`Base.metadata` (what Alembic compares the migrations with).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.columns import CHAT_ID_LENGTH, Base, UTCDateTime


class InboxRow(Base):
    """One incoming update; `payload` is cleared once it is handled (it holds raw text)."""

    __tablename__ = "inbox"
    __table_args__ = (
        # The claim query looks for each chat's oldest pending row.
        Index("ix_inbox_status_channel_chat_id_id", "status", "channel", "chat_id", "id"),
        CheckConstraint("status IN ('pending', 'done')", name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(128), unique=True)
    channel: Mapped[str] = mapped_column(String(32))
    chat_id: Mapped[str] = mapped_column(String(CHAT_ID_LENGTH))
    payload: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(8))
    received_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, index=True)
    lease_until: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class OutboxRow(Base):
    """One reply waiting to be sent (deleted once sent); failed ones stay for the admins."""

    __tablename__ = "outbox"
    __table_args__ = (
        Index("ix_outbox_status_channel_chat_id_id", "status", "channel", "chat_id", "id"),
        CheckConstraint("status IN ('pending', 'failed')", name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(32))
    chat_id: Mapped[str] = mapped_column(String(CHAT_ID_LENGTH))
    # {"text": str, "buttons": [[label, data], ...], "keyboard": bool}
    reply: Mapped[dict[str, Any]] = mapped_column(JSON)
    user_hash: Mapped[str | None] = mapped_column(String(64))
    # A long reply goes out as several messages: the ones already sent are not sent again.
    parts_sent: Mapped[int]
    status: Mapped[str] = mapped_column(String(8))
    attempts: Mapped[int]
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    lease_until: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    error: Mapped[str | None] = mapped_column(String(200))
