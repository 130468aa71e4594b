"""Create the question log and the feedback on it.

Revision ID: 0001
Revises:
Create Date: 2026-11-28 06:08:25
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "questions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("channel", sa.String(length=32), nullable=False),
        sa.Column("user_hash", sa.String(length=64), nullable=False),
        sa.Column("text_redacted", sa.Text(), nullable=False),
        sa.Column("normalized", sa.Text(), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("faq_id", sa.String(length=64), nullable=True),
        sa.Column("score", sa.Double(), nullable=False),
        sa.Column("candidates", sa.JSON(), nullable=False),
        sa.Column("latency_ms", sa.Double(), nullable=False),
        sa.Column("kb_version", sa.String(length=64), nullable=False),
        sa.Column("flags", sa.JSON(), nullable=False),
        sa.Column("sentinel", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_questions")),
    )
    for column in ("created_at", "user_hash", "action", "faq_id"):
        op.create_index(op.f(f"ix_questions_{column}"), "questions", [column])

    op.create_table(
        "feedback",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.Integer(), nullable=False),
        sa.Column("helpful", sa.Boolean(), nullable=False),
        sa.Column("user_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feedback")),
        sa.ForeignKeyConstraint(
            ["question_id"],
            ["questions.id"],
            name=op.f("fk_feedback_question_id_questions"),
            ondelete="CASCADE",
        ),
        # Leads with question_id, so it also serves lookups by question and the cascade.
        sa.UniqueConstraint(
            "question_id", "user_hash", name=op.f("uq_feedback_question_id_user_hash")
        ),
    )


def downgrade() -> None:
    # Dropping a table drops its indexes and constraints with it; feedback goes first
    # because it references questions.
    op.drop_table("feedback")
    op.drop_table("questions")
