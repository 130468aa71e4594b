"""Contact windows keep a salted hash of the chat, never the WhatsApp number.

The 24-hour rule only asks "did this chat write to us lately?", and the sender always knows
the chat it is about to write to, so the hash answers it. The salt is not available here, so
existing windows cannot be converted: they are dropped, and for at most 24 hours a chat that
wrote before the upgrade is treated as outside its window (the template is used).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04 23:55:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.drop_table("contact_windows")
    op.create_table(
        "contact_windows",
        sa.Column("channel", sa.String(length=32), nullable=False),
        sa.Column("chat_hash", sa.String(length=64), nullable=False),
        sa.Column("last_inbound_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("channel", "chat_hash", name=op.f("pk_contact_windows")),
    )
    with op.batch_alter_table("contact_windows", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_contact_windows_last_inbound_at"), ["last_inbound_at"], unique=False
        )


def downgrade() -> None:
    op.drop_table("contact_windows")
    op.create_table(
        "contact_windows",
        sa.Column("channel", sa.String(length=32), nullable=False),
        sa.Column("chat_id", sa.String(length=160), nullable=False),
        sa.Column("last_inbound_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("channel", "chat_id", name=op.f("pk_contact_windows")),
    )
