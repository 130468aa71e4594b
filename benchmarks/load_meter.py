"""What a load run costs, measured outside the processes that do the work.

CPU time comes from /proc/<pid>/stat (utime + stime, plus cutime + cstime: the CPU of children
the process has reaped), summed over a process and all its descendants. A PostgreSQL backend
that exits between two readings is reaped by the postmaster, so its CPU moves into the
postmaster's cutime and a before/after delta over the tree still counts it exactly once.

Transactions come from PostgreSQL's own statistics (`pg_stat_database`), statements from
`pg_stat_statements` when the server has the library (it is preloaded here, then the server
is restarted; without it the figure is reported as not available).
"""

from __future__ import annotations

import asyncio
import os
from dataclasses import dataclass
from pathlib import Path

import asyncpg

TICKS = os.sysconf("SC_CLK_TCK")
XACTS = (
    "SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = current_database()"
)
# Our own readings mention pg_stat_*; they are left out of the application's statements.
STATEMENTS = (
    "SELECT coalesce(sum(calls), 0) FROM pg_stat_statements WHERE dbid = "
    "(SELECT oid FROM pg_database WHERE datname = current_database()) "
    "AND query NOT LIKE '%pg_stat%'"
)


def _fields(pid: int) -> list[str]:
    """The fields of /proc/<pid>/stat after the command name (which may hold spaces)."""
    raw = Path(f"/proc/{pid}/stat").read_text()
    return raw[raw.rindex(")") + 2 :].split()


def _own_and_reaped(fields: list[str]) -> int:
    # Fields 14-17 of proc(5): utime, stime, cutime, cstime; index 0 here is field 3.
    return sum(int(value) for value in fields[11:15])


def tree_cpu(root: int) -> float:
    """CPU seconds used so far by `root` and every process below it (reaped ones included)."""
    parents: dict[int, int] = {}
    ticks: dict[int, int] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            fields = _fields(int(entry.name))
        except (FileNotFoundError, ProcessLookupError, ValueError):
            continue  # gone while we looked
        parents[int(entry.name)] = int(fields[1])
        ticks[int(entry.name)] = _own_and_reaped(fields)
    return sum(ticks[pid] for pid in _descendants(root, parents)) / TICKS


def _descendants(root: int, parents: dict[int, int]) -> set[int]:
    found = {root}
    grew = True
    while grew:
        below = {pid for pid, parent in parents.items() if parent in found} - found
        found |= below
        grew = bool(below)
    return found & parents.keys()


def postmaster_pid(data_directory: Path) -> int:
    """The server's main process, from the first line of postmaster.pid."""
    return int((data_directory / "postmaster.pid").read_text().split()[0])


def plain_dsn(sqlalchemy_url: str) -> str:
    return sqlalchemy_url.replace("postgresql+asyncpg://", "postgresql://")


def statements_library(bindir: Path) -> bool:
    """Whether the server binaries come with pg_stat_statements (Debian's layout)."""
    return (bindir.parent / "lib" / "pg_stat_statements.so").exists()


# BENCH_TOP_STATEMENTS=N prints the N statements that cost PostgreSQL the most (planning
# included, which is then tracked too), to see where its time goes.
TOP = int(os.environ.get("BENCH_TOP_STATEMENTS", "0"))
# The knowledge-base version of the questions `load_history` leaves: not the run's own.
HISTORY_VERSION = "kept-before-the-run"
_TOP = (
    "SELECT calls, total_exec_time + total_plan_time AS ms, total_plan_time AS plan_ms,"
    " left(regexp_replace(query, '\\s+', ' ', 'g'), 160) AS query FROM pg_stat_statements"
    " WHERE query NOT LIKE '%pg_stat%' ORDER BY 2 DESC LIMIT $1"
)


async def preload_statements(dsn: str) -> None:
    """Ask for pg_stat_statements at the next start (the caller restarts the server)."""
    connection = await asyncpg.connect(dsn)
    try:
        await connection.execute(
            "ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'"
        )
    finally:
        await connection.close()


_TABLES = (
    "SELECT relname, n_tup_ins, n_tup_upd, n_tup_hot_upd, n_tup_del, autovacuum_count,"
    " autoanalyze_count FROM pg_stat_user_tables WHERE n_tup_ins + n_tup_upd + n_tup_del > 0"
    " ORDER BY relname"
)


async def print_top_statements(dsn: str) -> None:
    """The `TOP` costliest statements since the server started, with their calls, and what
    each table was asked to write (updates that were HOT touched no index)."""
    connection = await asyncpg.connect(dsn)
    try:
        for row in await connection.fetch(_TOP, TOP):
            print(f"{row['calls']:>7} calls {row['ms']:>9.0f} ms (plan {row['plan_ms']:>6.0f}) "
                  f"{row['query']}")  # fmt: skip
        for row in await connection.fetch(_TABLES):
            print("  ".join(f"{key} {value}" for key, value in row.items()))
    finally:
        await connection.close()


async def create_statements_view(dsn: str) -> None:
    connection = await asyncpg.connect(dsn)
    try:
        await connection.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements")
        if TOP:  # known only once the library is loaded
            await connection.execute("ALTER SYSTEM SET pg_stat_statements.track_planning = on")
            await connection.execute("SELECT pg_reload_conf()")
    finally:
        await connection.close()


@dataclass(frozen=True, slots=True)
class Counters:
    """PostgreSQL's cumulative counters for the database at one moment."""

    transactions: int
    statements: int | None  # None without pg_stat_statements


async def read_counters(dsn: str, *, statements: bool) -> Counters:
    """The counters, read on a connection of its own in as many transactions as queries."""
    connection = await asyncpg.connect(dsn)
    try:
        xacts = int(await connection.fetchval(XACTS))
        calls = int(await connection.fetchval(STATEMENTS)) if statements else None
    finally:
        await connection.close()
    return Counters(xacts, calls)


def reading_transactions(*, statements: bool) -> int:
    """How many transactions one `read_counters` adds to the next reading (its own queries)."""
    return 2 if statements else 1


async def wait_for_no_backends(postmaster: int, database: str, *, timeout: float = 30.0) -> None:  # noqa: ASYNC109
    """Until no backend serves `database`: a backend flushes its statistics as it exits, and
    PostgreSQL 15 publishes an idle one's counters only after up to 10 s. Watched in /proc,
    not over SQL, which would add transactions of its own to the count."""
    async with asyncio.timeout(timeout):
        # Another process's state, in /proc: there is nothing to await, so look again shortly.
        while True:
            if not any(f" {database} " in _title(pid) for pid in _children(postmaster)):
                return
            await asyncio.sleep(0.1)


def _children(parent: int) -> list[int]:
    found = []
    for entry in os.scandir("/proc"):
        try:
            if entry.name.isdigit() and int(_fields(int(entry.name))[1]) == parent:
                found.append(int(entry.name))
        except (FileNotFoundError, ProcessLookupError):
            continue
    return found


def _title(pid: int) -> str:
    """A backend's process title ("postgres: USER DATABASE HOST(PORT) STATE")."""
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except (FileNotFoundError, ProcessLookupError):
        return ""


async def count_questions(dsn: str) -> float:
    """How many questions were logged (every message should be, once); those the run found
    kept from before (`load_history`) are not counted."""
    connection = await asyncpg.connect(dsn)
    try:
        found = "SELECT count(*) FROM questions WHERE kb_version <> $1"
        return float(await connection.fetchval(found, HISTORY_VERSION))
    finally:
        await connection.close()
