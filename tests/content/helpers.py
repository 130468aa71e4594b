"""The report tests' question log (1–3 November 2026) plus what the content kit also reads:
complaints answered with an entry no other figure puts first, and a row whose stored text
still carries a raw NIK and phone number (written before a redaction rule existed), so the
kit's own redaction is tested too."""

from __future__ import annotations

import datetime as dt

from reporting.helpers import RAW_NIK, RAW_PHONE, Clock, asked, local, seed
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.core.vocabulary import ComplaintRecord
from bot.storage import Store
from knowledge.complaints import COMPLAINT

UNTIL = "2026-11-03"
PLANNED = "2026-11-04"
COMPLAINED = "ambil-paspor"  # two complaints, nothing else: it takes the kit's last place
LEAKY = f"otp tidak masuk, nik {RAW_NIK} hp {RAW_PHONE}"
COMPLAINTS = ("paspor belum bisa diambil, lama sekali", "ambil paspor antre lama")


async def seed_week(engine: AsyncEngine) -> None:
    """The report's log, two complaints about collecting the passport, a leaky row."""
    clock = Clock()
    store = Store(engine, clock=clock)
    await seed(store, clock)
    rows = [asked(text, local(2, 10 + n), faq_id=COMPLAINED) for n, text in enumerate(COMPLAINTS)]
    rows.append(asked(LEAKY, local(2, 13), action="fallback", top="akun-otp"))
    ids = await store.log_questions(rows)
    for question_id, text, n in zip(ids, COMPLAINTS, range(2), strict=False):
        await store.add_complaint(
            ComplaintRecord(
                question_id, "telegram", COMPLAINT, "proses", COMPLAINED, text, local(2, 10 + n)
            )
        )


def week_env(db_url: str, data: str) -> dict[str, str]:
    """The environment `python -m bot content` runs with in the tests."""
    return {
        "DATABASE_URL": db_url,
        "TANYA_DATA_DIR": data,
        "USER_HASH_SALT": "garam-uji",
        "OFFICE_TIMEZONE": "Asia/Jakarta",
    }


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)
