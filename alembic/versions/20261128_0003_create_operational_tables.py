"""Create schedules, FAQ drafts, subscribers, announcements, notices, delivery status and
contact windows; index feedback and first replies by time for the statistics.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28 06:51:24.607136
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0003'
down_revision: str | Sequence[str] | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('announcements',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('created_by', sa.String(length=128), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("status IN ('draft', 'sending', 'done', 'cancelled')", name=op.f('ck_announcements_status')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_announcements'))
    )
    with op.batch_alter_table('announcements', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_announcements_status'), ['status'], unique=False)

    op.create_table('contact_windows',
    sa.Column('channel', sa.String(length=32), nullable=False),
    sa.Column('chat_id', sa.String(length=64), nullable=False),
    sa.Column('last_inbound_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('channel', 'chat_id', name=op.f('pk_contact_windows'))
    )
    op.create_table('notices',
    sa.Column('key', sa.String(length=32), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('set_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('set_by', sa.String(length=128), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_notices'))
    )
    op.create_table('schedules',
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('next_run_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_run_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_schedules'))
    )
    op.create_table('subscribers',
    sa.Column('channel', sa.String(length=32), nullable=False),
    sa.Column('chat_id', sa.String(length=64), nullable=False),
    sa.Column('subscribed', sa.Boolean(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('channel', 'chat_id', name=op.f('pk_subscribers'))
    )
    op.create_table('announcement_deliveries',
    sa.Column('announcement_id', sa.Integer(), nullable=False),
    sa.Column('channel', sa.String(length=32), nullable=False),
    sa.Column('chat_id', sa.String(length=64), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('attempted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('error', sa.String(length=200), nullable=True),
    sa.CheckConstraint("status IN ('pending', 'sent', 'failed', 'skipped')", name=op.f('ck_announcement_deliveries_status')),
    sa.ForeignKeyConstraint(['announcement_id'], ['announcements.id'], name=op.f('fk_announcement_deliveries_announcement_id_announcements'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('announcement_id', 'channel', 'chat_id', name=op.f('pk_announcement_deliveries'))
    )
    with op.batch_alter_table('announcement_deliveries', schema=None) as batch_op:
        batch_op.create_index('ix_announcement_deliveries_announcement_id_status', ['announcement_id', 'status'], unique=False)

    op.create_table('delivery_status',
    sa.Column('channel', sa.String(length=32), nullable=False),
    sa.Column('message_id', sa.String(length=128), nullable=False),
    sa.Column('user_hash', sa.String(length=64), nullable=True),
    sa.Column('ticket_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['ticket_id'], ['tickets.id'], name=op.f('fk_delivery_status_ticket_id_tickets'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('channel', 'message_id', name=op.f('pk_delivery_status'))
    )
    with op.batch_alter_table('delivery_status', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_delivery_status_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_delivery_status_ticket_id'), ['ticket_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_delivery_status_updated_at'), ['updated_at'], unique=False)

    op.create_table('faq_drafts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('source', sa.String(length=16), nullable=False),
    sa.Column('ticket_id', sa.Integer(), nullable=True),
    sa.Column('entry_id', sa.String(length=64), nullable=True),
    sa.Column('questions', sa.JSON(), nullable=False),
    sa.Column('answer', sa.Text(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('created_by', sa.String(length=128), nullable=True),
    sa.CheckConstraint("source IN ('ticket', 'cluster', 'log')", name=op.f('ck_faq_drafts_source')),
    sa.CheckConstraint("status IN ('pending', 'accepted', 'rejected')", name=op.f('ck_faq_drafts_status')),
    sa.ForeignKeyConstraint(['ticket_id'], ['tickets.id'], name=op.f('fk_faq_drafts_ticket_id_tickets'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_faq_drafts'))
    )
    with op.batch_alter_table('faq_drafts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_faq_drafts_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_faq_drafts_ticket_id'), ['ticket_id'], unique=False)

    with op.batch_alter_table('feedback', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_feedback_created_at'), ['created_at'], unique=False)

    with op.batch_alter_table('tickets', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tickets_first_reply_at'), ['first_reply_at'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('tickets', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_tickets_first_reply_at'))

    with op.batch_alter_table('feedback', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_feedback_created_at'))

    with op.batch_alter_table('faq_drafts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_faq_drafts_ticket_id'))
        batch_op.drop_index(batch_op.f('ix_faq_drafts_status'))

    op.drop_table('faq_drafts')
    with op.batch_alter_table('delivery_status', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_delivery_status_updated_at'))
        batch_op.drop_index(batch_op.f('ix_delivery_status_ticket_id'))
        batch_op.drop_index(batch_op.f('ix_delivery_status_status'))

    op.drop_table('delivery_status')
    with op.batch_alter_table('announcement_deliveries', schema=None) as batch_op:
        batch_op.drop_index('ix_announcement_deliveries_announcement_id_status')

    op.drop_table('announcement_deliveries')
    op.drop_table('subscribers')
    op.drop_table('schedules')
    op.drop_table('notices')
    op.drop_table('contact_windows')
    with op.batch_alter_table('announcements', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_announcements_status'))

    op.drop_table('announcements')
