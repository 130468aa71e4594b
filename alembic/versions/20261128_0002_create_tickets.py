"""Create tickets, their threads and staff posts, and the processed-update keys.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28 07:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    _create_tickets()
    _create_ticket_messages()
    _create_ticket_posts()
    op.create_table(
        "processed_updates",
        sa.Column("key", sa.String(length=128), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_processed_updates")),
    )


def downgrade() -> None:
    # Dropping a table drops its indexes and constraints with it; the tables that reference
    # tickets go first. The question log from 0001 is left as it was.
    op.drop_table("processed_updates")
    op.drop_table("ticket_posts")
    op.drop_table("ticket_messages")
    op.drop_table("tickets")


def _create_tickets() -> None:
    op.create_table(
        "tickets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=32), nullable=False),
        sa.Column("chat_id", sa.String(length=64), nullable=False),
        sa.Column("user_hash", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("guesses", sa.JSON(), nullable=False),
        sa.Column("context", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("owner_id", sa.String(length=64), nullable=True),
        sa.Column("owner_name", sa.String(length=128), nullable=True),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("first_reply_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_reminded_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tickets")),
        sa.CheckConstraint(
            "status IN ('open', 'claimed', 'answered', 'closed')", name=op.f("ck_tickets_status")
        ),
    )
    for column in ("created_at", "user_hash", "status"):
        op.create_index(op.f(f"ix_tickets_{column}"), "tickets", [column])
    # Serves the lookup of a chat's active ticket.
    op.create_index(
        "ix_tickets_channel_chat_id_status", "tickets", ["channel", "chat_id", "status"]
    )


def _create_ticket_messages() -> None:
    op.create_table(
        "ticket_messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=False),
        sa.Column("author", sa.String(length=16), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("officer_name", sa.String(length=128), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ticket_messages")),
        sa.ForeignKeyConstraint(
            ["ticket_id"],
            ["tickets.id"],
            name=op.f("fk_ticket_messages_ticket_id_tickets"),
            ondelete="CASCADE",
        ),
        sa.CheckConstraint(
            "author IN ('applicant', 'officer', 'bot')", name=op.f("ck_ticket_messages_author")
        ),
    )
    op.create_index(op.f("ix_ticket_messages_ticket_id"), "ticket_messages", ["ticket_id"])


def _create_ticket_posts() -> None:
    op.create_table(
        "ticket_posts",
        sa.Column("channel", sa.String(length=32), nullable=False),
        sa.Column("chat_id", sa.String(length=64), nullable=False),
        sa.Column("message_id", sa.String(length=64), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("channel", "chat_id", "message_id", name=op.f("pk_ticket_posts")),
        sa.ForeignKeyConstraint(
            ["ticket_id"],
            ["tickets.id"],
            name=op.f("fk_ticket_posts_ticket_id_tickets"),
            ondelete="CASCADE",
        ),
    )
    # For the cascade when a ticket is deleted.
    op.create_index(op.f("ix_ticket_posts_ticket_id"), "ticket_posts", ["ticket_id"])
