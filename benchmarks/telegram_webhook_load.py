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

from benchmarks import load_run


def report() -> None:
    load_run.report(
        "telegram",
        "Telegram webhook load",
        "BENCH_TELEGRAM_WEBHOOK",
        setup="fake Bot API without a rate limit, ",
    )


if __name__ == "__main__":
    report()
