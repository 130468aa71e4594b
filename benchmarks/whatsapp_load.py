"""WhatsApp load: N senders x M messages through the signed webhook of two `python -m bot serve`
worker processes sharing one (throwaway) PostgreSQL database; replies go to the fake Graph API.

The load driver and the fake Graph API run in processes of their own (`benchmarks.load_run`).
Reports messages/s, webhook-to-send latency (from the POST leaving to the reply reaching the
Graph API), whether any reply was lost or sent twice, and per message: the CPU of the workers,
PostgreSQL, the driver and the fake API separately, and PostgreSQL's transactions and
statements.

    BENCH_WHATSAPP_USERS=1000 BENCH_WHATSAPP_MESSAGES=5 \
        .venv/bin/python -m benchmarks.whatsapp_load
"""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

from benchmarks import load_run
from benchmarks.load_driver import IN_FLIGHT
from benchmarks.load_run import two_workers

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from postgres_server import find_bindir  # noqa: E402

__all__ = ["IN_FLIGHT", "report", "two_workers"]  # the Instagram run shares these


def report() -> None:
    users = int(os.environ.get("BENCH_WHATSAPP_USERS", "1000"))
    per_user = int(os.environ.get("BENCH_WHATSAPP_MESSAGES", "5"))
    bindir = find_bindir()
    if bindir is None:
        print("WhatsApp load: skipped (no PostgreSQL server binaries: initdb, pg_ctl)")
        return
    f = asyncio.run(load_run.run("whatsapp", users, per_user, bindir))
    print(
        f"WhatsApp load ({users} senders x {per_user} messages, 2 `serve` workers, PostgreSQL, "
        f"{f['redelivered']:.0f} redelivered to the other worker): {load_run.outcome(f)}. "
        f"{load_run.costs(f)} [targets: workers <= 5 ms, PostgreSQL <= 1.5 ms, <= 4 "
        f"transactions]; {load_run.machine_load()}"
    )


if __name__ == "__main__":
    report()
