"""The admin console's tables: accounts, server-side sessions and the audit log."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.columns import Base, UTCDateTime


class AdminAccountRow(Base):
    """A console account; the password only as an argon2 hash."""

    __tablename__ = "admin_accounts"
    __table_args__ = (CheckConstraint("role IN ('admin', 'petugas')", name="role"),)

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    role: Mapped[str] = mapped_column(String(16))
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool]
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    # The one office this account sees and acts for; NULL: every office (regional, national).
    office_id: Mapped[str | None] = mapped_column(String(64))


class AdminSessionRow(Base):
    """A signed-in browser, known by the SHA-256 of its cookie's token (never the token)."""

    __tablename__ = "admin_sessions"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(
        ForeignKey("admin_accounts.name", ondelete="CASCADE"), index=True
    )
    csrf: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, index=True)


class AuditRow(Base):
    """One change made in the console, with the text before and after."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, index=True)
    who: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(32))
    target: Mapped[str] = mapped_column(String(128))
    before: Mapped[str | None] = mapped_column(Text)
    after: Mapped[str | None] = mapped_column(Text)
