"""Instagram's private-reply budget: one row per reply the account may send in an hour.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06 22:20:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | Sequence[str] | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "instagram_reply_slots",
        sa.Column("slot", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("free_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("soonest", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("slot", name=op.f("pk_instagram_reply_slots")),
    )
    with op.batch_alter_table("instagram_reply_slots", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_instagram_reply_slots_free_at"), ["free_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("instagram_reply_slots", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_instagram_reply_slots_free_at"))
    op.drop_table("instagram_reply_slots")
