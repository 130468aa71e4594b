"""Report indexes for a national log (issue 21, benchmarks/offices_scale.py): one office's
month of questions read from a covering index, and the unanswered questions from a small
partial one, instead of the wide rows of the whole log.

The covering columns (INCLUDE) are PostgreSQL's; on SQLite the first index stays the plain
(office_id, created_at) of 0016 under its new name.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-08 06:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | Sequence[str] | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UNANSWERED_WHERE = "action IN ('fallback', 'clarify')"


def upgrade() -> None:
    with op.batch_alter_table("questions", schema=None) as batch_op:
        # The new index has the same key: the old one would only cost every insert.
        batch_op.drop_index("ix_questions_office_id_created_at")
        batch_op.create_index(
            "ix_questions_office_report",
            ["office_id", "created_at"],
            unique=False,
            postgresql_include=["action", "channel", "faq_id", "id"],
        )
        batch_op.create_index(
            "ix_questions_unanswered",
            ["office_id", "created_at"],
            unique=False,
            postgresql_where=sa.text(UNANSWERED_WHERE),
            sqlite_where=sa.text(UNANSWERED_WHERE),
        )


def downgrade() -> None:
    with op.batch_alter_table("questions", schema=None) as batch_op:
        batch_op.drop_index("ix_questions_unanswered")
        batch_op.drop_index("ix_questions_office_report")
        batch_op.create_index(
            "ix_questions_office_id_created_at", ["office_id", "created_at"], unique=False
        )
