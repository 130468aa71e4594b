"""Who writes in the load runs: the same senders on the driver's side and the fake API's."""

from __future__ import annotations

TELEGRAM_SECRET = "bench-webhook-secret-0123"  # `serve` wants at least 16 characters


def whatsapp_user(number: int) -> str:
    """The sender's WhatsApp number."""
    return f"62812{number:08d}"


def telegram_user(number: int) -> int:
    """The sender's Telegram user id, which is also their private chat's id."""
    return 700_000_000 + number
