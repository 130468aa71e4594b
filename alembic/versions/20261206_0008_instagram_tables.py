"""Instagram's own tables: DM conversations (windows, takeover), comments, the access token.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06 19:23:25
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | Sequence[str] | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "instagram_chats",
        sa.Column("chat_hash", sa.String(length=64), nullable=False),
        sa.Column("last_inbound_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("taken_over_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("takeover_until", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("chat_hash", name=op.f("pk_instagram_chats")),
    )
    op.create_table(
        "instagram_comments",
        sa.Column("comment_key", sa.String(length=64), nullable=False),
        sa.Column("media_id", sa.String(length=64), nullable=False),
        sa.Column("thread_key", sa.String(length=64), nullable=False),
        sa.Column("answered_thread", sa.String(length=64), nullable=True),
        sa.Column("user_hash", sa.String(length=64), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("topic", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("replied_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("comment_key", name=op.f("pk_instagram_comments")),
        sa.UniqueConstraint("answered_thread", name=op.f("uq_instagram_comments_answered_thread")),
    )
    with op.batch_alter_table("instagram_comments", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_instagram_comments_created_at"), ["created_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_instagram_comments_media_id"), ["media_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_instagram_comments_thread_key"), ["thread_key"], unique=False
        )

    op.create_table(
        "instagram_token",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("token", sa.Text(), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("refreshed_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("id = 1", name=op.f("ck_instagram_token_one_row")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_instagram_token")),
    )


def downgrade() -> None:
    op.drop_table("instagram_token")
    with op.batch_alter_table("instagram_comments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_instagram_comments_thread_key"))
        batch_op.drop_index(batch_op.f("ix_instagram_comments_media_id"))
        batch_op.drop_index(batch_op.f("ix_instagram_comments_created_at"))

    op.drop_table("instagram_comments")
    op.drop_table("instagram_chats")
