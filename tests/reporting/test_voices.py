"""The report's "Suara pemohon" and the weekly digest's top complaint, on SQLite and PostgreSQL:
complaints and suggestions counted by topic and by week (Monday to Sunday, cut at the period's
ends), redacted examples, and complaints kept out of the unanswered groups."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncEngine

from bot.core.vocabulary import ComplaintRecord
from bot.reporting import digest
from bot.reporting.collect import collect
from bot.reporting.figures import OfficeReport
from bot.reporting.output import write_report
from bot.reporting.period import Period
from bot.reporting.summary import summary_text
from bot.reporting.vocabulary import VoiceCount
from bot.reporting.voices import Week, voice_figures, voice_section, weeks_of
from bot.runtime.app.feature_settings import report_settings
from bot.runtime.config import Settings
from bot.storage import Store
from bot.storage.report_queries import ReportQueries
from knowledge.complaints import COMPLAINT, SUGGESTION

from .helpers import NOW, RAW_PHONE, ZONE, asked, local, matcher, read_csv
from .test_digest import Admins

# Sunday 1 to Tuesday 10 November 2026: one Sunday, a whole week, and a Monday and Tuesday.
PERIOD = Period(dt.date(2026, 11, 1), dt.date(2026, 11, 10), ZONE)
QUEUE = "antreannya hampir sejam, capek"
SEATS = "kursinya sedikit, banyak yang berdiri"
PHONE = "petugas jutek, telp saya [TELEPON] tidak diangkat"
PAY = "waktu bayar ditambah jadi 5 jam"
# (day of the period, topic, kind, text, action, entry)
HEARD = (
    (0, "antrean", COMPLAINT, QUEUE, "fallback", None),
    (1, "antrean", COMPLAINT, "ngantri dari subuh sampai siang", "fallback", None),
    (2, "antrean", COMPLAINT, "kuota penuh terus", "answer", "kuota-jadwal"),
    (3, "fasilitas", COMPLAINT, SEATS, "fallback", None),
    (8, "petugas", COMPLAINT, PHONE, "fallback", None),
    (9, "pembayaran", SUGGESTION, PAY, "clarify", "batas-bayar"),
    (9, "antrean", COMPLAINT, "antre lama banget", "answer", "kuota-jadwal"),
)


async def seed(engine: AsyncEngine) -> None:
    store = Store(engine)
    records = [
        asked(text, local(day, 10), action=action, faq_id=entry, top=entry)
        for day, _, _, text, action, entry in HEARD
    ]
    # A plain question left unanswered, and a complaint outside the period.
    records.append(asked("bisa bawa kucing ke kantor?", local(1, 11), action="fallback"))
    records.append(asked(QUEUE, local(10, 9), action="fallback"))
    ids = await store.log_questions(records)
    for (day, topic, kind, text, _, entry), question_id in zip(HEARD, ids, strict=False):
        record = ComplaintRecord(question_id, "telegram", kind, topic, entry, text, local(day, 10))
        await store.add_complaint(record)
    await store.add_complaint(
        ComplaintRecord(ids[-1], "telegram", COMPLAINT, "antrean", None, QUEUE, local(10, 9))
    )


async def build(engine: AsyncEngine) -> OfficeReport:
    await seed(engine)
    titles = {"kuota-jadwal": "Kuota penuh/jadwal", "batas-bayar": "Batas waktu bayar"}
    report = await collect(
        ReportQueries(engine), PERIOD, titles=titles, now=NOW, remind_after=dt.timedelta(1)
    )
    assert report.voices is not None
    return report


def test_weeks_run_monday_to_sunday_cut_at_the_period() -> None:
    assert weeks_of(PERIOD) == [
        Week(dt.date(2026, 11, 1), dt.date(2026, 11, 1)),
        Week(dt.date(2026, 11, 2), dt.date(2026, 11, 8)),
        Week(dt.date(2026, 11, 9), dt.date(2026, 11, 10)),
    ]


async def test_counts_by_topic_and_week(engine: AsyncEngine) -> None:
    voices = (await build(engine)).voices
    assert voices is not None
    assert [(t.topic, t.complaints, t.suggestions, t.per_week) for t in voices.topics] == [
        ("antrean", 4, 0, (1, 2, 1)),
        ("fasilitas", 1, 0, (0, 1, 0)),
        ("petugas", 1, 0, (0, 0, 1)),  # as many as a suggestion: complaints first
        ("pembayaran", 0, 1, (0, 0, 1)),
    ]
    assert (voices.complaints, voices.suggestions) == (6, 1)
    top = voices.top_complaint()
    assert top is not None
    assert top.label == "Antrean dan kuota"
    # Examples: newest first, at most three per topic, only from the period.
    assert [e.text_redacted for e in voices.examples if e.topic == "antrean"] == [
        "antre lama banget",
        "kuota penuh terus",
        "ngantri dari subuh sampai siang",
    ]


async def test_complaints_are_no_unanswered_questions(engine: AsyncEngine) -> None:
    report = await build(engine)
    grouped = [text for cluster in report.clusters for text in cluster.examples]
    assert grouped == ["bisa bawa kucing ke kantor?"]
    assert report.unanswered_total == 1
    answered, clarified, fallback, _ = report.totals()
    assert (answered, clarified, fallback) == (2, 1, 5)  # still counted as what they were


async def test_the_section_and_its_files(engine: AsyncEngine, tmp_path: Path) -> None:
    report = await build(engine)
    paths = write_report(report, tmp_path, "md")
    document = paths[0].read_text(encoding="utf-8")
    assert "## Suara pemohon" in document
    assert "- Keluhan: 6 · Saran: 1" in document
    assert "- Paling banyak dikeluhkan: Antrean dan kuota (4)" in document
    assert "| Topik | 01/11–01/11 | 02/11–08/11 | 09/11–10/11 | Keluhan | Saran |" in document
    assert "| Antrean dan kuota | 1 | 2 | 1 | 4 | 0 |" in document
    assert "| Pembayaran dan biaya | saran | “waktu bayar ditambah jadi 5 jam” |" in document
    assert "telp saya \\[TELEPON\\] tidak diangkat" in document
    prefix = tmp_path / "laporan_2026-11-01_2026-11-10"
    weekly = read_csv(Path(f"{prefix}_suara_pemohon_mingguan.csv"))
    assert weekly[0] == {
        "minggu_mulai": "2026-11-01",
        "minggu_akhir": "2026-11-01",
        "topik_id": "antrean",
        "topik": "Antrean dan kuota",
        "jumlah": "1",
    }
    examples = read_csv(Path(f"{prefix}_suara_pemohon_contoh.csv"))
    assert examples[0]["waktu"] == "2026-11-10T10:00+07:00"
    assert {row["jenis"] for row in examples} == {"keluhan", "saran"}
    everything = "\n".join(path.read_text(encoding="utf-8-sig") for path in paths)
    assert RAW_PHONE not in everything


async def test_an_empty_period_says_so(engine: AsyncEngine, tmp_path: Path) -> None:
    report = await collect(
        ReportQueries(engine), PERIOD, titles={}, now=NOW, remind_after=dt.timedelta(1)
    )
    document = write_report(report, tmp_path, "md")[0].read_text(encoding="utf-8")
    assert "Tidak ada keluhan atau saran yang dikenali dalam periode ini." in document
    assert "Suara pemohon" not in summary_text(report, "Ringkasan")


async def test_the_weekly_digest_names_the_top_complaint(
    engine: AsyncEngine, db_url: str, tmp_path: Path
) -> None:
    await seed(engine)
    env = {"DATABASE_URL": db_url, "TANYA_DATA_DIR": str(tmp_path), "USER_HASH_SALT": "g"}
    settings = report_settings(Settings.from_env({**env, "DIGEST_AT": "Wed 08:00"}))
    admins = Admins()
    # Wednesday 11 November, 08:00 in Jakarta: the digest covers 5-11 November.
    due = dt.datetime(2026, 11, 11, 1, 0, tzinfo=dt.UTC)
    source = ReportQueries(engine)
    kb = matcher().kb
    await digest.send_digest_if_due(source, admins.tell, settings, kb, now=due - dt.timedelta(1))
    assert await digest.send_digest_if_due(source, admins.tell, settings, kb, now=due)
    (text,) = admins.told
    assert "Suara pemohon: 3 keluhan, 1 saran" in text
    assert "• Keluhan terbanyak: Antrean dan kuota (2×), misalnya “antreannya hampir sejam" in text


def test_a_long_period_shows_the_last_eight_weeks() -> None:
    period = Period(dt.date(2026, 9, 7), dt.date(2026, 11, 15), ZONE)  # ten whole weeks
    weeks = weeks_of(period)
    counts = [VoiceCount(n, "antrean", COMPLAINT, n + 1) for n in range(len(weeks))]
    section = voice_section(voice_figures(weeks, counts, []), {})
    table = section.tables[0]
    assert len(weeks) == 10
    assert table.header[1] == "21/09–27/09"  # weeks 3 to 10 shown
    assert table.rows == (
        ("Antrean dan kuota", "3", "4", "5", "6", "7", "8", "9", "10", "55", "0"),
    )
    assert "8 minggu terakhir" in section.intro[-1]
