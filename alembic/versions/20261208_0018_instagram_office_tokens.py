"""Instagram tokens keyed by account (issue 21): each office's own professional account has
its token refreshed like the main one's, so `instagram_token` holds a row per account instead
of its one row (`id = 1`). That row becomes the main account's (`account = 'main'`).

The table has at most one short row, so it is read, rebuilt and written back: the same steps
on SQLite and PostgreSQL, without changing a primary key in place. Downgrading keeps only the
main account's token (the offices' tokens are pasted again in the environment).

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-08 09:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | Sequence[str] | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MAIN = "main"  # bot.channels.instagram.tables.MAIN_ACCOUNT (migrations import no bot code)
COLUMNS = "token, expires_at, refreshed_at"
INSERT = "INSERT INTO instagram_token VALUES (:key, :token, :expires_at, :refreshed_at)"


def _token_columns() -> list[sa.Column[object]]:
    return [
        sa.Column("token", sa.Text(), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("refreshed_at", sa.DateTime(timezone=True), nullable=False),
    ]


def upgrade() -> None:
    rows = _read(f"SELECT {COLUMNS} FROM instagram_token WHERE id = 1")
    op.drop_table("instagram_token")
    op.create_table(
        "instagram_token",
        sa.Column("account", sa.String(length=64), nullable=False),
        *_token_columns(),
        sa.PrimaryKeyConstraint("account", name=op.f("pk_instagram_token")),
    )
    _write(rows, MAIN)


def downgrade() -> None:
    rows = _read(f"SELECT {COLUMNS} FROM instagram_token WHERE account = '{MAIN}'")
    op.drop_table("instagram_token")
    op.create_table(
        "instagram_token",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        *_token_columns(),
        sa.CheckConstraint("id = 1", name=op.f("ck_instagram_token_one_row")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_instagram_token")),
    )
    _write(rows, 1)


def _read(query: str) -> list[dict[str, object]]:
    # The values go back as they came (SQLite's stored text, PostgreSQL's timestamps).
    return [dict(row) for row in op.get_bind().execute(sa.text(query)).mappings()]


def _write(rows: list[dict[str, object]], key: object) -> None:
    for row in rows:
        op.get_bind().execute(sa.text(INSERT), {**row, "key": key})
