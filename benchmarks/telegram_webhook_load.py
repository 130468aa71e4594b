"""Telegram webhook load: N senders x M messages POSTed (with the webhook secret) to `/telegram`
of two `python -m bot serve` workers sharing one (throwaway) PostgreSQL database; replies go
to the fake Bot API, in a process of its own and without a rate limit, so the run measures the
bot rather than Telegram's 30 messages/s (`benchmarks.telegram_load` measures that). The bot's
own sending pace still applies.

Reports the same figures as `benchmarks.whatsapp_load`.

    BENCH_TELEGRAM_WEBHOOK_USERS=1000 BENCH_TELEGRAM_WEBHOOK_MESSAGES=5 \
        .venv/bin/python -m benchmarks.telegram_webhook_load
"""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

from benchmarks import load_run

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from postgres_server import find_bindir  # noqa: E402


def report() -> None:
    users = int(os.environ.get("BENCH_TELEGRAM_WEBHOOK_USERS", "1000"))
    per_user = int(os.environ.get("BENCH_TELEGRAM_WEBHOOK_MESSAGES", "5"))
    bindir = find_bindir()
    if bindir is None:
        print("Telegram webhook load: skipped (no PostgreSQL server binaries: initdb, pg_ctl)")
        return
    f = asyncio.run(load_run.run("telegram", users, per_user, bindir))
    print(
        f"Telegram webhook load ({users} senders x {per_user} messages, 2 `serve` workers, "
        f"PostgreSQL, fake Bot API without a rate limit, {f['redelivered']:.0f} redelivered to "
        f"the other worker): {load_run.outcome(f)}. {load_run.costs(f)}; "
        f"{load_run.machine_load()}"
    )


if __name__ == "__main__":
    report()
