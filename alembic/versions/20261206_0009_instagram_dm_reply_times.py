"""Instagram DMs' first-reply times: the wait open in each conversation, and closed waits.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06 20:10:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | Sequence[str] | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("instagram_chats", schema=None) as batch_op:
        batch_op.add_column(sa.Column("waiting_since", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "instagram_dm_replies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("replied_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_instagram_dm_replies")),
    )
    with op.batch_alter_table("instagram_dm_replies", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_instagram_dm_replies_received_at"), ["received_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("instagram_dm_replies", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_instagram_dm_replies_received_at"))
    op.drop_table("instagram_dm_replies")
    with op.batch_alter_table("instagram_chats", schema=None) as batch_op:
        batch_op.drop_column("waiting_since")
