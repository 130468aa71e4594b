"""Operational tables: schedules, FAQ drafts, subscriptions and announcements, notices, and
delivery status and contact windows for channels that report them (WhatsApp).

Kept apart from `tables.py` so each module stays readable; `bot.storage.schema` imports
every table module so every model is on `Base.metadata` (what Alembic compares the
migrations with).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, PrimaryKeyConstraint, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.columns import CHAT_ID_LENGTH, Base, UTCDateTime


class ScheduleRow(Base):
    """A recurring job (the weekly digest) leased through the database, so one worker runs it."""

    __tablename__ = "schedules"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    next_run_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    last_run_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


class FaqDraftRow(Base):
    """A proposed knowledge-base change waiting for a person to review it."""

    __tablename__ = "faq_drafts"
    __table_args__ = (
        CheckConstraint("source IN ('ticket', 'cluster', 'log')", name="source"),
        CheckConstraint("status IN ('pending', 'accepted', 'rejected')", name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    source: Mapped[str] = mapped_column(String(16))
    ticket_id: Mapped[int | None] = mapped_column(
        ForeignKey("tickets.id", ondelete="SET NULL"), index=True
    )
    # Set when the draft adds example questions to an existing entry.
    entry_id: Mapped[str | None] = mapped_column(String(64))
    questions: Mapped[list[str]] = mapped_column(JSON)
    answer: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), index=True)
    created_by: Mapped[str | None] = mapped_column(String(128))
    # The office whose questions or ticket it came from; NULL: every office's.
    office_id: Mapped[str | None] = mapped_column(String(64))


class SubscriberRow(Base):
    """An applicant's opt-in to announcements on one channel."""

    __tablename__ = "subscribers"
    __table_args__ = (PrimaryKeyConstraint("channel", "chat_id"),)

    channel: Mapped[str] = mapped_column(String(32))
    chat_id: Mapped[str] = mapped_column(String(CHAT_ID_LENGTH))
    subscribed: Mapped[bool]
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    # The chat's office when it subscribed or last changed office; an office's announcement
    # reaches only its own subscribers.
    office_id: Mapped[str | None] = mapped_column(String(64))


class AnnouncementRow(Base):
    """A message from the admins to subscribers: drafted, confirmed, sent."""

    __tablename__ = "announcements"
    __table_args__ = (
        CheckConstraint("status IN ('draft', 'sending', 'done', 'cancelled')", name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(16), index=True)
    confirmed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # NULL: every office's subscribers.
    office_id: Mapped[str | None] = mapped_column(String(64))


class AnnouncementDeliveryRow(Base):
    """One recipient of one announcement; the row is the restart-safe to-do list."""

    __tablename__ = "announcement_deliveries"
    __table_args__ = (
        PrimaryKeyConstraint("announcement_id", "channel", "chat_id"),
        Index("ix_announcement_deliveries_announcement_id_status", "announcement_id", "status"),
        CheckConstraint("status IN ('pending', 'sent', 'failed', 'skipped')", name="status"),
    )

    announcement_id: Mapped[int] = mapped_column(
        ForeignKey("announcements.id", ondelete="CASCADE")
    )
    channel: Mapped[str] = mapped_column(String(32))
    chat_id: Mapped[str] = mapped_column(String(CHAT_ID_LENGTH))
    status: Mapped[str] = mapped_column(String(16))
    attempted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    error: Mapped[str | None] = mapped_column(String(200))


class NoticeRow(Base):
    """A notice pinned by admins (the M-Paspor outage notice), shown until cleared."""

    __tablename__ = "notices"

    key: Mapped[str] = mapped_column(String(32), primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    set_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    set_by: Mapped[str] = mapped_column(String(128))


class DeliveryStatusRow(Base):
    """What a channel reported about a message we sent (sent, delivered, read, failed)."""

    __tablename__ = "delivery_status"
    __table_args__ = (PrimaryKeyConstraint("channel", "message_id"),)

    channel: Mapped[str] = mapped_column(String(32))
    message_id: Mapped[str] = mapped_column(String(128))
    user_hash: Mapped[str | None] = mapped_column(String(64))
    ticket_id: Mapped[int | None] = mapped_column(
        ForeignKey("tickets.id", ondelete="SET NULL"), index=True
    )
    status: Mapped[str] = mapped_column(String(16), index=True)
    error: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, index=True)


class ContactWindowRow(Base):
    """When a chat last wrote to us (WhatsApp's 24-hour customer-service window).

    The chat is kept as a salted hash: the sender always knows the number it is about to
    write to, so the number itself never needs to be stored for the rule.
    """

    __tablename__ = "contact_windows"
    __table_args__ = (PrimaryKeyConstraint("channel", "chat_hash"),)

    channel: Mapped[str] = mapped_column(String(32))
    chat_hash: Mapped[str] = mapped_column(String(64))
    # Indexed for the purge, which drops windows that closed.
    last_inbound_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, index=True)


__all__ = [
    "AnnouncementDeliveryRow",
    "AnnouncementRow",
    "ContactWindowRow",
    "DeliveryStatusRow",
    "FaqDraftRow",
    "NoticeRow",
    "ScheduleRow",
    "SubscriberRow",
]


class ChatOfficeRow(Base):
    """The office a chat chose (or was bound to), known by the chat's salted hash: the choice
    is kept, not who made it. `asked_at` says the bot has asked where the applicant lives."""

    __tablename__ = "chat_offices"
    __table_args__ = (PrimaryKeyConstraint("channel", "chat_hash"),)

    channel: Mapped[str] = mapped_column(String(32))
    chat_hash: Mapped[str] = mapped_column(String(64))
    office_id: Mapped[str | None] = mapped_column(String(64))
    asked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
