"""`python -m bot db purge`: enforce the retention period."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from bot.runtime.config import Settings
from bot.storage.purge import ChannelRetention, RetentionStore

REPORT = (
    "Dihapus: {questions} pertanyaan (beserta penilaiannya), {tickets} tiket tertutup atau "
    "terbengkalai, {statuses} status kiriman, {windows} "
    "jendela 24 jam WhatsApp yang sudah lewat, {subscribers} pelanggan yang berhenti, "
    "{recipients} daftar penerima pengumuman yang selesai.\n"
    "Nomor chat dihapus dari {chat_ids} tiket yang sudah ditutup lebih dari sehari."
)


def retention_days(settings: Settings, older_than: int | None) -> int | None:
    """The period to keep, or None after saying it makes no sense (the command exits 2)."""
    days = older_than if older_than is not None else settings.retention_days
    if days < 1:
        print("--older-than harus minimal 1 hari.")
        return None
    return days


def channel_retention(settings: Settings) -> list[ChannelRetention]:
    """Every listed channel's own purge, configured or not: its tables exist either way."""
    return [listed.channel.retention for listed in settings.channels]


async def run_purge(
    retention: RetentionStore, days: int, *, channels: Sequence[ChannelRetention] = ()
) -> int:
    """Purge what is older than `days` and print what went; exit 0."""
    purged = await retention.purge(older_than=dt.timedelta(days=days), channels=channels)
    print(f"Data lebih tua dari {days} hari.")
    counts = {k: getattr(purged, k) for k in purged.__dataclass_fields__ if k != "channels"}
    print(REPORT.format(**counts))
    for label, rows in purged.channels:
        print(f"Dihapus: {rows} {label}.")
    return 0
