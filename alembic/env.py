"""Alembic environment: async engines, and connection sharing for migrations run from the app.

`bot.storage.database.upgrade` hands over an open connection in
`config.attributes["connection"]`; the `alembic` command line instead connects to
`DATABASE_URL` (default: the local SQLite file).
"""

from __future__ import annotations

import asyncio
import os
from typing import Any, Literal

from alembic import context
from alembic.autogenerate.api import AutogenContext
from sqlalchemy import Connection

from bot.runtime.schema import full_metadata
from bot.storage.database import DEFAULT_URL, create_engine, normalise_url
from bot.storage.schema import UTCDateTime

# Storage's tables and the channels' own (Instagram keeps its tables in its package).
target_metadata = full_metadata()


def _url() -> str:
    return normalise_url(os.environ.get("DATABASE_URL", DEFAULT_URL))


def render_item(kind: str, obj: Any, _autogen: AutogenContext) -> str | Literal[False]:
    """Render app column types as plain SQLAlchemy ones, so migrations never import `bot`."""
    if kind == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def run_migrations_offline() -> None:
    """Emit the migration SQL for `DATABASE_URL` without connecting (`alembic upgrade --sql`)."""
    url = _url()
    context.configure(
        url=url,
        target_metadata=target_metadata,
        literal_binds=True,
        dialect_opts={"paramstyle": "named"},
        render_as_batch=url.startswith("sqlite"),
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def do_run_migrations(connection: Connection) -> None:
    """Run the migrations on an open connection."""
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        # SQLite can alter little in place; batch mode rebuilds tables (move and copy).
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        render_item=render_item,
    )
    with context.begin_transaction():
        context.run_migrations()


async def run_async_migrations() -> None:
    """Connect to `DATABASE_URL` and migrate; the app's engine factory adds its pragmas."""
    engine = create_engine(_url())
    try:
        async with engine.begin() as connection:
            await connection.run_sync(do_run_migrations)
    finally:
        await engine.dispose()


def run_migrations_online() -> None:
    """Migrate on the caller's connection if one was shared, else on a new one."""
    connection = context.config.attributes.get("connection")
    if connection is None:
        asyncio.run(run_async_migrations())
    else:
        do_run_migrations(connection)


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
