"""`python -m bot db purge`: enforce the retention period."""

from __future__ import annotations

import datetime as dt

from bot.runtime.config import Settings
from bot.storage.purge import RetentionStore

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


async def run_purge(retention: RetentionStore, days: int) -> int:
    """Purge what is older than `days` and print what went; exit 0."""
    purged = await retention.purge(older_than=dt.timedelta(days=days))
    print(f"Data lebih tua dari {days} hari.")
    print(REPORT.format(**{k: getattr(purged, k) for k in purged.__dataclass_fields__}))
    return 0
