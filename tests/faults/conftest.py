"""The fault suite imports its helpers by bare name, like the other suites; `own_postgres` is
a server of one test alone, so the test can stop and start it (a database outage)."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from postgres_server import PostgresServer, find_bindir, start_server

sys.path.insert(0, str(Path(__file__).resolve().parent))


@pytest.fixture
def own_postgres() -> Iterator[PostgresServer]:
    """A PostgreSQL server of this test alone, so it can be stopped and started again."""
    bindir = find_bindir()
    if bindir is None:
        if os.environ.get("REQUIRE_POSTGRES") == "1":
            pytest.fail("PostgreSQL server binaries not found, and REQUIRE_POSTGRES=1")
        pytest.skip("PostgreSQL server binaries (initdb, pg_ctl) not found")
    server = start_server(bindir)
    yield server
    server.stop()
