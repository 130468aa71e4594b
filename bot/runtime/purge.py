"""`python -m bot db purge`: enforce the retention period."""

from __future__ import annotations

import datetime as dt

from bot.runtime.config import Settings
from bot.storage import open_database
from bot.storage.purge import RetentionStore

REPORT = (
    "Dihapus: {questions} pertanyaan (beserta penilaiannya), {tickets} tiket tertutup atau "
    "terbengkalai, {statuses} status kiriman, {windows} "
    "jendela 24 jam WhatsApp yang sudah lewat, {subscribers} pelanggan yang berhenti, "
    "{recipients} daftar penerima pengumuman yang selesai.\n"
    "Nomor chat dihapus dari {chat_ids} tiket yang sudah ditutup lebih dari sehari."
)


async def run_purge(settings: Settings, *, older_than: int | None) -> int:
    """Purge and print what went; exit 2 on a nonsensical period."""
    days = older_than if older_than is not None else settings.retention_days
    if days < 1:
        print("--older-than harus minimal 1 hari.")
        return 2
    engine = await open_database(settings.database_url)
    try:
        purged = await RetentionStore(engine).purge(older_than=dt.timedelta(days=days))
    finally:
        await engine.dispose()
    print(f"Data lebih tua dari {days} hari.")
    print(REPORT.format(**{k: getattr(purged, k) for k in purged.__dataclass_fields__}))
    return 0
