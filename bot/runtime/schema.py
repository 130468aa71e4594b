"""The complete schema: storage's tables and those a listed channel keeps in its own package.

A channel with tables of its own puts them in a `tables` module beside its `entry` (on
`bot.storage.schema.Base`). Storage never imports a channel, so Alembic's environment and the
migration test take the metadata from here, which imports each such module once.
"""

from __future__ import annotations

import importlib
import importlib.util

from sqlalchemy import MetaData

from bot.runtime.channels import CHANNELS
from bot.storage.schema import Base


def full_metadata() -> MetaData:
    """`Base.metadata` with every listed channel's tables on it."""
    for channel in CHANNELS:
        package = type(channel).__module__.rpartition(".")[0]
        if importlib.util.find_spec(f"{package}.tables") is not None:
            importlib.import_module(f"{package}.tables")
    return Base.metadata
