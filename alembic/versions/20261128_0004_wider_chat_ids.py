"""Widen chat ids to 160 characters: WhatsApp business-scoped user ids run to about 131.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28 07:50:06.718359
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0004'
down_revision: str | Sequence[str] | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('announcement_deliveries', schema=None) as batch_op:
        batch_op.alter_column('chat_id',
               existing_type=sa.VARCHAR(length=64),
               type_=sa.String(length=160),
               existing_nullable=False)

    with op.batch_alter_table('contact_windows', schema=None) as batch_op:
        batch_op.alter_column('chat_id',
               existing_type=sa.VARCHAR(length=64),
               type_=sa.String(length=160),
               existing_nullable=False)

    with op.batch_alter_table('subscribers', schema=None) as batch_op:
        batch_op.alter_column('chat_id',
               existing_type=sa.VARCHAR(length=64),
               type_=sa.String(length=160),
               existing_nullable=False)

    with op.batch_alter_table('ticket_posts', schema=None) as batch_op:
        batch_op.alter_column('chat_id',
               existing_type=sa.VARCHAR(length=64),
               type_=sa.String(length=160),
               existing_nullable=False)

    with op.batch_alter_table('tickets', schema=None) as batch_op:
        batch_op.alter_column('chat_id',
               existing_type=sa.VARCHAR(length=64),
               type_=sa.String(length=160),
               existing_nullable=False)



def downgrade() -> None:
    with op.batch_alter_table('tickets', schema=None) as batch_op:
        batch_op.alter_column('chat_id',
               existing_type=sa.String(length=160),
               type_=sa.VARCHAR(length=64),
               existing_nullable=False)

    with op.batch_alter_table('ticket_posts', schema=None) as batch_op:
        batch_op.alter_column('chat_id',
               existing_type=sa.String(length=160),
               type_=sa.VARCHAR(length=64),
               existing_nullable=False)

    with op.batch_alter_table('subscribers', schema=None) as batch_op:
        batch_op.alter_column('chat_id',
               existing_type=sa.String(length=160),
               type_=sa.VARCHAR(length=64),
               existing_nullable=False)

    with op.batch_alter_table('contact_windows', schema=None) as batch_op:
        batch_op.alter_column('chat_id',
               existing_type=sa.String(length=160),
               type_=sa.VARCHAR(length=64),
               existing_nullable=False)

    with op.batch_alter_table('announcement_deliveries', schema=None) as batch_op:
        batch_op.alter_column('chat_id',
               existing_type=sa.String(length=160),
               type_=sa.VARCHAR(length=64),
               existing_nullable=False)

