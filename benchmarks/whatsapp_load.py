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

from benchmarks import load_run
from benchmarks.load_driver import IN_FLIGHT
from benchmarks.load_run import two_workers

__all__ = ["IN_FLIGHT", "report", "two_workers"]  # the Instagram run shares these


def report() -> None:
    load_run.report(
        "whatsapp",
        "WhatsApp load",
        "BENCH_WHATSAPP",
        targets=" [targets: workers <= 5 ms, PostgreSQL <= 1.5 ms, <= 4 transactions]",
    )


if __name__ == "__main__":
    report()
