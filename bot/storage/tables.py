"""Database schema: the question log, the feedback on it (votes, complaints and suggestions),
and the officers' tickets.

The schema is created by the Alembic migrations in `alembic/versions/`; these models are what
those migrations are checked against (all of them together in `bot.storage.schema`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    Index,
    PrimaryKeyConstraint,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, orm_insert_sentinel

from bot.storage.columns import CHAT_ID_LENGTH, Base, UTCDateTime

# report_sql.UNANSWERED_ACTIONS as SQL (that module reads these models, so it cannot be imported).
UNANSWERED_WHERE = "action IN ('fallback', 'clarify')"


class QuestionRow(Base):
    """One incoming message, already redacted, with how the bot answered it."""

    __tablename__ = "questions"
    __table_args__ = (
        # One office's month is a range scan of this index, not of the whole log; on
        # PostgreSQL it also carries what the report counts by, so the counts never read the
        # wide rows (4 million questions: one office's report 12.4 s → 4.1 s, docs/figures.md).
        Index(
            "ix_questions_office_report",
            "office_id",
            "created_at",
            postgresql_include=["action", "channel", "faq_id", "id"],
        ),
        # The few rows the unanswered sections read (fallbacks and clarifications), newest first.
        Index(
            "ix_questions_unanswered",
            "office_id",
            "created_at",
            postgresql_where=text(UNANSWERED_WHERE),
            sqlite_where=text(UNANSWERED_WHERE),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, index=True)
    channel: Mapped[str] = mapped_column(String(32))
    user_hash: Mapped[str] = mapped_column(String(64), index=True)
    text_redacted: Mapped[str] = mapped_column(Text)
    normalized: Mapped[str] = mapped_column(Text)
    action: Mapped[str] = mapped_column(String(16), index=True)
    faq_id: Mapped[str | None] = mapped_column(String(64), index=True)
    score: Mapped[float]
    # [{"faq_id": str, "score": float}, ...], best first.
    candidates: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    latency_ms: Mapped[float]
    kb_version: Mapped[str] = mapped_column(String(64))
    flags: Mapped[list[str]] = mapped_column(JSON)
    # The applicant's office (an offices.yaml id) when known.
    office_id: Mapped[str | None] = mapped_column(String(64))
    # Lets a many-row INSERT ... RETURNING hand ids back in order in one statement; without
    # it SQLAlchemy falls back to one statement per row on SQLite.
    sentinel: Mapped[int | None] = orm_insert_sentinel()


class FeedbackRow(Base):
    """A 👍/👎 on a logged question; one per question and user, the latest one wins."""

    __tablename__ = "feedback"
    # The unique constraint's index leads with question_id, so it also serves lookups by
    # question and the ON DELETE CASCADE scan; a separate question_id index would be redundant.
    __table_args__ = (UniqueConstraint("question_id", "user_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id", ondelete="CASCADE"))
    helpful: Mapped[bool]
    user_hash: Mapped[str] = mapped_column(String(64))
    # Indexed for the statistics, which count feedback by when it was given.
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, index=True)


class ComplaintRow(Base):
    """A complaint or suggestion heard in a logged question (redacted), with its topic; it goes
    with its question (retention)."""

    __tablename__ = "complaints"
    __table_args__ = (
        # One per question; its index also serves the ON DELETE CASCADE scan.
        UniqueConstraint("question_id"),
        CheckConstraint("kind IN ('keluhan', 'saran')", name="kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id", ondelete="CASCADE"))
    # Indexed for the report, which counts them by week.
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, index=True)
    channel: Mapped[str] = mapped_column(String(32))
    kind: Mapped[str] = mapped_column(String(16))
    topic: Mapped[str] = mapped_column(String(32))
    faq_id: Mapped[str | None] = mapped_column(String(64))
    text_redacted: Mapped[str] = mapped_column(Text)
    # Marked handled in the admin console's Suara pemohon, with what the office did.
    handled_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    handled_by: Mapped[str | None] = mapped_column(String(64))
    note: Mapped[str | None] = mapped_column(Text)


class TicketRow(Base):
    """A question handed to the officers, with its owner and the times that matter for SLAs."""

    __tablename__ = "tickets"
    __table_args__ = (
        # Serves `active_ticket`: equality on the chat, then the few statuses of that chat.
        Index("ix_tickets_channel_chat_id_status", "channel", "chat_id", "status"),
        CheckConstraint("status IN ('open', 'claimed', 'answered', 'closed')", name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(32))
    chat_id: Mapped[str] = mapped_column(String(CHAT_ID_LENGTH))
    user_hash: Mapped[str] = mapped_column(String(64), index=True)
    status: Mapped[str] = mapped_column(String(16), index=True)
    question: Mapped[str] = mapped_column(Text)
    # [{"faq_id": str, "score": float}, ...], best first, as in questions.candidates.
    guesses: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    # The applicant's earlier (redacted) messages, oldest first.
    context: Mapped[list[str]] = mapped_column(JSON)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, index=True)
    owner_id: Mapped[str | None] = mapped_column(String(64))
    owner_name: Mapped[str | None] = mapped_column(String(128))
    claimed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    first_reply_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, index=True)
    closed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    last_reminded_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # The office whose officers handle it (an offices.yaml id); NULL: the default group.
    office_id: Mapped[str | None] = mapped_column(String(64), index=True)


class TicketMessageRow(Base):
    """One message in a ticket's thread; the id gives the thread its order."""

    __tablename__ = "ticket_messages"
    __table_args__ = (CheckConstraint("author IN ('applicant', 'officer', 'bot')", name="author"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(
        ForeignKey("tickets.id", ondelete="CASCADE"), index=True
    )
    author: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text)
    officer_name: Mapped[str | None] = mapped_column(String(128))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class TicketPostRow(Base):
    """A message in a staff chat that shows a ticket, so replies to it find the ticket."""

    __tablename__ = "ticket_posts"
    __table_args__ = (PrimaryKeyConstraint("channel", "chat_id", "message_id"),)

    channel: Mapped[str] = mapped_column(String(32))
    chat_id: Mapped[str] = mapped_column(String(CHAT_ID_LENGTH))
    message_id: Mapped[str] = mapped_column(String(64))
    # Indexed for the ON DELETE CASCADE scan when a ticket is deleted.
    ticket_id: Mapped[int] = mapped_column(
        ForeignKey("tickets.id", ondelete="CASCADE"), index=True
    )
