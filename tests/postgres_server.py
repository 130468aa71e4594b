"""A throwaway PostgreSQL server for the test session, run from the local server binaries."""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from support.ports import held_port

# Durability is pointless for a cluster that is deleted after the run; these make it fast.
_SERVER_OPTIONS = "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
DATABASE = "tanya_test"


def find_bindir() -> Path | None:
    """The directory holding `initdb` and `pg_ctl`, or None when PostgreSQL is not installed."""
    initdb = shutil.which("initdb")
    if initdb is not None:
        return Path(initdb).resolve().parent
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), reverse=True)
    return Path(found[0]).parent if found else None


@dataclass(frozen=True, slots=True)
class PostgresServer:
    """A cluster in a temporary directory, listening on 127.0.0.1 with trust authentication."""

    bindir: Path
    root: Path
    # Holds the port while the server is down too (between start-up steps, during a pause).
    held: socket.socket

    @property
    def port(self) -> int:
        return int(self.held.getsockname()[1])

    @property
    def url(self) -> str:
        return f"postgresql+asyncpg://postgres@127.0.0.1:{self.port}/{DATABASE}"

    def start(self) -> None:
        data, log = self.root / "data", self.root / "server.log"
        _run(self.bindir / "initdb", "-D", data, "-A", "trust", "-U", "postgres",
             "-E", "UTF8", "--no-locale")  # fmt: skip
        options = f"{_SERVER_OPTIONS} -k {self.root} -h 127.0.0.1 -p {self.port}"
        try:
            _run(self.bindir / "pg_ctl", "-D", data, "-l", log, "-o", options, "-w", "start")
        except RuntimeError as exc:
            # pg_ctl only says "see the log"; the reason is in the server's log.
            detail = log.read_text(errors="replace") if log.exists() else ""
            raise RuntimeError(f"{exc}{detail}") from None
        _run(self.bindir / "createdb", "-h", "127.0.0.1", "-p", str(self.port),
             "-U", "postgres", DATABASE)  # fmt: skip

    def pause(self) -> None:
        """Stop the server, keeping the cluster (a database outage)."""
        _run(self.bindir / "pg_ctl", "-D", self.root / "data", "-m", "fast", "-w", "stop")

    def resume(self) -> None:
        """Start the server again after `pause`."""
        options = f"{_SERVER_OPTIONS} -k {self.root} -h 127.0.0.1 -p {self.port}"
        log = self.root / "server.log"
        _run(self.bindir / "pg_ctl", "-D", self.root / "data", "-l", log, "-o", options, "-w",
             "start")  # fmt: skip

    def stop(self) -> None:
        """Stop the server if it runs, and delete the cluster."""
        try:
            if (self.root / "data" / "postmaster.pid").exists():
                _run(self.bindir / "pg_ctl", "-D", self.root / "data", "-m", "immediate", "stop")
        finally:
            self.held.close()
            shutil.rmtree(self.root, ignore_errors=True)


def start_server(bindir: Path) -> PostgresServer:
    """Create and start a cluster on a free local port; nothing is left behind on failure."""
    server = PostgresServer(bindir=bindir, root=_make_root(), held=held_port())
    try:
        server.start()
    except BaseException:
        server.stop()
        raise
    return server


def _make_root() -> Path:
    # PostgreSQL refuses to run as root, so as root the cluster belongs to `postgres`; /tmp
    # rather than $TMPDIR because that user must be able to reach the directory.
    if os.geteuid() != 0:
        return Path(tempfile.mkdtemp(prefix="tanya-pg-"))
    root = Path(tempfile.mkdtemp(prefix="tanya-pg-", dir="/tmp"))
    user = pwd.getpwnam("postgres")
    os.chown(root, user.pw_uid, user.pw_gid)
    return root


def _run(*command: str | Path) -> None:
    prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    result = subprocess.run(
        [*prefix, *map(str, command)], capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        name = Path(command[0]).name
        raise RuntimeError(f"{name} failed ({result.returncode}):\n{result.stdout}{result.stderr}")
