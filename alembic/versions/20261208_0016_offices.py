"""Many offices (issue 21): which office a chat chose, and the office of each logged question,
ticket, subscriber, announcement, draft and console account.

`office_id` is an id from offices.yaml; NULL means "no office known" on applicant data and
"every office" on an announcement or a console account (a regional or national admin).

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-08 04:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | Sequence[str] | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Each of these tables gains a nullable office_id.
WITH_OFFICE = ("tickets", "subscribers", "announcements", "faq_drafts", "admin_accounts")


def upgrade() -> None:
    op.create_table(
        "chat_offices",
        sa.Column("channel", sa.String(length=32), nullable=False),
        sa.Column("chat_hash", sa.String(length=64), nullable=False),
        sa.Column("office_id", sa.String(length=64), nullable=True),
        sa.Column("asked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("channel", "chat_hash", name=op.f("pk_chat_offices")),
    )
    with op.batch_alter_table("questions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("office_id", sa.String(length=64), nullable=True))
        # One office's month of questions is a range scan of this index, not of the log.
        batch_op.create_index(
            "ix_questions_office_id_created_at", ["office_id", "created_at"], unique=False
        )
    for table in WITH_OFFICE:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("office_id", sa.String(length=64), nullable=True))
    with op.batch_alter_table("tickets", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_tickets_office_id"), ["office_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("tickets", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_tickets_office_id"))
    for table in reversed(WITH_OFFICE):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("office_id")
    with op.batch_alter_table("questions", schema=None) as batch_op:
        batch_op.drop_index("ix_questions_office_id_created_at")
        batch_op.drop_column("office_id")
    op.drop_table("chat_offices")
