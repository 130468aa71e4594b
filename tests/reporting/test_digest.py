"""The report queries that cut periods into local days, and the weekly digest's lease: on
SQLite and PostgreSQL, with two workers (two engines) racing for the same round."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.reporting import digest
from bot.reporting.period import Period
from bot.reporting.settings import ReportSettings
from bot.reporting.vocabulary import BucketCount
from bot.runtime.app.feature_settings import report_settings
from bot.runtime.config import Settings
from bot.storage import Store, create_engine
from bot.storage.report_queries import ReportQueries

from .helpers import RAW_VALUES, asked, matcher

# Sunday 1 November 2026, 20:00 in Jakarta; the digest is due Monday 08:00 (01:00 UTC).
SUNDAY = dt.datetime(2026, 11, 1, 13, 0, tzinfo=dt.UTC)
MONDAY_8 = dt.datetime(2026, 11, 2, 1, 0, tzinfo=dt.UTC)
WEEK = dt.timedelta(days=7)


class Admins:
    """The admin chat at the transport edge: records what it was told, or fails."""

    def __init__(self, *, fail: bool = False) -> None:
        self.told: list[str] = []
        self.fail = fail

    async def tell(self, text: str) -> None:
        if self.fail:
            raise ConnectionError("chat unreachable")
        self.told.append(text)


@pytest.fixture
def settings(db_url: str, tmp_path: Path) -> ReportSettings:
    env = {"DATABASE_URL": db_url, "TANYA_DATA_DIR": str(tmp_path), "USER_HASH_SALT": "garam"}
    env |= {"DIGEST_AT": "Mon 08:00", "REMIND_AFTER_MINUTES": "30"}
    return report_settings(Settings.from_env(env))


@pytest.fixture
async def second(db_url: str) -> AsyncIterator[ReportQueries]:
    """The report queries of another worker: its own engine and pool."""
    engine = create_engine(db_url)
    yield ReportQueries(engine)
    await engine.dispose()


async def test_days_are_local_days_even_across_daylight_saving(engine: AsyncEngine) -> None:
    # 25 October 2026: Berlin leaves summer time, so that day lasts 25 hours.
    berlin = Period(dt.date(2026, 10, 25), dt.date(2026, 10, 26), ZoneInfo("Europe/Berlin"))
    first, second, end = berlin.day_bounds()
    moments = [
        first - dt.timedelta(microseconds=1),  # outside
        first,  # 25 Oct 00:00 Berlin (+02:00)
        second - dt.timedelta(microseconds=1),  # 25 Oct 23:59:59.999999 (+01:00)
        second,
        end - dt.timedelta(seconds=1),
        end,  # outside
    ]
    await Store(engine).log_questions([asked("x", at, faq_id="biaya-paspor") for at in moments])
    counts = await ReportQueries(engine).counts_by_bucket(berlin.day_bounds())
    assert sorted(counts, key=lambda c: c.bucket) == [
        BucketCount(0, "telegram", "answer", 2),
        BucketCount(1, "telegram", "answer", 2),
    ]
    with pytest.raises(ValueError, match="two bounds"):
        await ReportQueries(engine).counts_by_bucket([first])


async def test_the_digest_is_booked_then_sent_once_when_due(
    engine: AsyncEngine, settings: ReportSettings
) -> None:
    queries, admins, kb = ReportQueries(engine), Admins(), matcher().kb
    await Store(engine).log_questions(
        [asked("berapa biaya paspor", SUNDAY, faq_id="biaya-paspor")]
    )

    assert not await digest.send_digest_if_due(queries, admins.tell, settings, kb, now=SUNDAY)
    assert await queries.schedules.next_run(digest.SCHEDULE) == MONDAY_8
    assert await digest.send_digest_if_due(queries, admins.tell, settings, kb, now=MONDAY_8)
    assert not await digest.send_digest_if_due(queries, admins.tell, settings, kb, now=MONDAY_8)
    assert await queries.schedules.next_run(digest.SCHEDULE) == MONDAY_8 + WEEK

    (text,) = admins.told
    assert not any(raw in text for raw in RAW_VALUES)
    # Every line. Without a channel with posts (Instagram) there are no post lines: the
    # digest is what it was before such channels could add theirs.
    assert text == (
        "📊 Ringkasan mingguan Tanya Paspor (27 Oktober 2026 – 2 November 2026)\n\n"
        "Pertanyaan: 1\n• terjawab: 1 (100%)\n• perlu pilihan: 0 (0%)\n"
        "• tidak dikenali: 0 (0%)\n• ke petugas: 0 (0%)\nPenilaian: 👍 0 · 👎 0\n"
        "Tiket: 0 dibuka, 0 dijawab; median balasan -, 90% dalam -\n"
        "Tiket lewat batas pengingat sebelum diambil: 0\nPer saluran: Telegram 1\n\n"
        "Ide konten:\n• Biaya paspor: 1 pertanyaan, salah satu topik paling sering"
        " ditanyakan: ingatkan lagi jawabannya.\n\n"
        "Laporan lengkap dengan grafik dan tabel: python -m bot report\n"
        "Konten Instagram minggu ini (gambar, caption, story): python -m bot content --week"
        " --out konten\n"
        "Grafik 7 hari terakhir: ketik /laporan"
    )


async def test_without_an_admin_chat_nothing_is_claimed(
    engine: AsyncEngine, settings: ReportSettings
) -> None:
    queries = ReportQueries(engine)
    assert not await digest.send_digest_if_due(queries, None, settings, matcher().kb, now=MONDAY_8)
    assert await queries.schedules.next_run(digest.SCHEDULE) is None


async def test_a_failed_send_is_retried_later(
    engine: AsyncEngine, settings: ReportSettings
) -> None:
    queries, kb = ReportQueries(engine), matcher().kb
    await digest.send_digest_if_due(queries, Admins().tell, settings, kb, now=SUNDAY)
    with pytest.raises(ConnectionError):
        await digest.send_digest_if_due(
            queries, Admins(fail=True).tell, settings, kb, now=MONDAY_8
        )
    retry = MONDAY_8 + digest.RETRY_AFTER
    assert await queries.schedules.next_run(digest.SCHEDULE) == retry
    admins = Admins()
    assert not await digest.send_digest_if_due(
        queries, admins.tell, settings, kb, now=retry - dt.timedelta(seconds=1)
    )
    assert await digest.send_digest_if_due(queries, admins.tell, settings, kb, now=retry)
    assert len(admins.told) == 1
    assert await queries.schedules.next_run(digest.SCHEDULE) == MONDAY_8 + WEEK


async def test_two_workers_racing_send_each_digest_exactly_once(
    engine: AsyncEngine, second: ReportQueries, settings: ReportSettings
) -> None:
    first, kb = ReportQueries(engine), matcher().kb
    admins = [Admins(), Admins()]
    await digest.send_digest_if_due(first, admins[0].tell, settings, kb, now=SUNDAY)
    for week in range(5):
        now = MONDAY_8 + week * WEEK + dt.timedelta(seconds=30)
        sent = await asyncio.gather(
            *(
                digest.send_digest_if_due(queries, worker.tell, settings, kb, now=now)
                for queries, worker in ((first, admins[0]), (second, admins[1]))
                for _ in range(3)  # and three rounds in flight on each worker
            )
        )
        assert sent.count(True) == 1, (week, sent)
        assert await first.schedules.next_run(digest.SCHEDULE) == MONDAY_8 + (week + 1) * WEEK
    assert len(admins[0].told) + len(admins[1].told) == 5
