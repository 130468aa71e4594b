"""The data directory, the SQLite database and the files SQLite adds beside it (they hold raw
messages not handled yet), and the user-hash salt, are readable by their owner only."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from support.rows import count_questions

from bot.runtime.config import Settings
from bot.storage import Store, create_engine, open_database


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(autouse=True)
def usual_umask() -> Iterator[None]:
    """The usual umask (022), which by itself lets everybody read new files."""
    old = os.umask(0o022)
    yield
    os.umask(old)


async def test_a_fresh_data_directory_and_database_are_for_the_owner_only(
    tmp_path: Path,
) -> None:
    data = tmp_path / "srv" / "data"
    engine = await open_database(f"sqlite:///{data / 'bot.db'}")
    try:
        assert await count_questions(Store(engine)) == 0  # the connection is open: WAL in use
        modes = {path.name: mode(path) for path in data.iterdir()}
    finally:
        await engine.dispose()
    assert mode(data) == 0o700
    assert modes == {"bot.db": 0o600, "bot.db-wal": 0o600, "bot.db-shm": 0o600}


async def test_database_files_left_readable_are_tightened_on_start(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'bot.db'}"
    await (await open_database(url)).dispose()
    for name in ("bot.db", "bot.db-wal", "bot.db-journal"):
        (tmp_path / name).touch()
        (tmp_path / name).chmod(0o644)  # as an older version left them
    engine = create_engine(url)  # before SQLite opens (and may remove) the side files
    try:
        for name in ("bot.db", "bot.db-wal", "bot.db-journal"):
            assert mode(tmp_path / name) == 0o600, name
    finally:
        await engine.dispose()


def test_the_generated_salt_and_its_directory_are_for_the_owner_only(tmp_path: Path) -> None:
    data = tmp_path / "data"
    salt = Settings.from_env({"TANYA_DATA_DIR": str(data)}).salt()
    assert len(salt) == 64
    assert (mode(data), mode(data / ".user_salt")) == (0o700, 0o600)
