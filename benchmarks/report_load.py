"""How long `python -m bot report` takes over a month of 100,000 logged questions.

The log is generated realistically: the knowledge base's own questions and some out-of-scope
ones, re-spelled the way people type (slang, dropped vowels, typos, greetings), ranked by the
real matcher, spread over a month with busy office hours, on three channels; 👍/👎 on some
answers (a few entries badly rated) and a few hundred tickets answered by five officers.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import random
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncEngine

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from postgres_server import PostgresServer, find_bindir, start_server  # noqa: E402

from bot.core.vocabulary import Candidate, QuestionRecord  # noqa: E402
from bot.reporting.collect import collect  # noqa: E402
from bot.reporting.output import write_report  # noqa: E402
from bot.reporting.period import Period  # noqa: E402
from bot.storage import Store, open_database  # noqa: E402
from bot.storage.report_queries import ReportQueries  # noqa: E402
from bot.storage.tables import FeedbackRow  # noqa: E402
from knowledge.loader import load  # noqa: E402
from knowledge.matcher import Matcher  # noqa: E402
from knowledge.policy import Thresholds, decide  # noqa: E402

ZONE = ZoneInfo("Asia/Jakarta")
FIRST_DAY = dt.date(2026, 10, 1)
DAYS = 31
QUESTIONS = 100_000
BATCH = 5_000
TICKETS = 300
OFFICERS = ("Rina", "Budi", "Sari", "Andi", "Dewi")
CHANNELS = (("telegram", 0.6), ("whatsapp", 0.35), ("terminal", 0.05))
OUT_OF_SCOPE = (
    "cara bikin ktp elektronik",
    "jadwal kapal bakauheni merak besok",
    "ramalan cuaca lampung minggu ini",
    "cara daftar bpjs kesehatan online",
    "syarat nikah di kua",
    "info lowongan kerja di jepang",
    "harga tiket pesawat ke jeddah",
    "kenapa aplikasi mpaspor error terus kak",
    "akun saya terblokir tidak bisa login [EMAIL]",
    "kode otp tidak masuk ke [TELEPON]",
    "sudah bayar tapi status belum berubah kode [KODE_BAYAR]",
    "data nik [NIK] tidak ditemukan di aplikasi",
    "bisa titip paspor diambil saudara",
    "kantor imigrasi buka hari sabtu ga",
    "parkir motor di kantor imigrasi bayar berapa",
    "boleh bawa anak kecil ke ruang tunggu",
)
PREFIXES = ("", "", "", "kak ", "min ", "permisi ", "halo kak ", "mau tanya ", "maaf ")
SUFFIXES = ("", "", "", "?", " kak", " dong", " ya", " min?", "??", " tolong dijawab")


def _respell(text: str, rng: random.Random) -> str:
    """One way a person might type `text`."""
    words = text.lower().rstrip("?").split()
    out = []
    for word in words:
        roll = rng.random()
        if roll < 0.08 and len(word) > 4:
            out.append(word[0] + "".join(c for c in word[1:] if c not in "aeiou"))  # brp
        elif roll < 0.14 and len(word) > 4:
            i = rng.randrange(1, len(word) - 1)
            out.append(word[:i] + word[i + 1] + word[i] + word[i + 2 :])  # typo
        else:
            out.append(word)
    return rng.choice(PREFIXES) + " ".join(out) + rng.choice(SUFFIXES)


def text_pool(matcher: Matcher, rng: random.Random, size: int = 3000) -> list[QuestionRecord]:
    """Distinct questions with how the real matcher decided them (a template per text)."""
    seeds = [q for entry in matcher.kb.entries for q in entry.questions] + list(OUT_OF_SCOPE) * 6
    texts = {_respell(rng.choice(seeds), rng) for _ in range(size)}
    pool = []
    for text in sorted(texts):
        ranking = matcher.rank(text)
        decision = decide(ranking, Thresholds())
        pool.append(
            QuestionRecord(
                channel="telegram",
                user_hash="0" * 64,
                text_redacted=text,
                normalized=ranking.normalized,
                action=decision.action,
                faq_id=decision.entry.id if decision.entry else None,
                score=decision.score,
                candidates=tuple(Candidate(s.entry.id, s.score) for s in decision.candidates),
                latency_ms=0.4,
                kb_version=matcher.kb.version,
            )
        )
    return pool


def moment(rng: random.Random) -> dt.datetime:
    """A moment in the month, most in the day and a peak in office hours."""
    day = FIRST_DAY + dt.timedelta(days=rng.randrange(DAYS))
    # Most people write during the day, a peak in office hours.
    hour = min(23, max(0, int(rng.gauss(12, 4))))
    local = dt.datetime.combine(day, dt.time(hour, rng.randrange(60), rng.randrange(60)), ZONE)
    return local.astimezone(dt.UTC)


def records(
    pool: Sequence[QuestionRecord], count: int, rng: random.Random
) -> list[QuestionRecord]:
    """`count` questions drawn from the pool, each with a time, a channel and a user."""
    names = [name for name, _ in CHANNELS]
    weights = [share for _, share in CHANNELS]
    out = []
    for template in rng.choices(pool, k=count):
        out.append(
            QuestionRecord(
                channel=rng.choices(names, weights)[0],
                user_hash=f"{rng.randrange(20_000):064x}",
                text_redacted=template.text_redacted,
                normalized=template.normalized,
                action=template.action,
                faq_id=template.faq_id,
                score=template.score,
                candidates=template.candidates,
                latency_ms=template.latency_ms,
                kb_version=template.kb_version,
                created_at=moment(rng),
            )
        )
    return out


async def seed(engine: AsyncEngine, items: Sequence[QuestionRecord], rng: random.Random) -> None:
    store = Store(engine)
    """Log the questions in batches, vote on some answers, and open and answer tickets."""
    votes = []
    disliked = {r.faq_id for r in items[:200] if r.faq_id}
    for start in range(0, len(items), BATCH):
        chunk = items[start : start + BATCH]
        ids = await store.log_questions(chunk)
        for question_id, record in zip(ids, chunk, strict=True):
            if record.action == "answer" and rng.random() < 0.08:
                bad = 0.5 if record.faq_id in sorted(disliked)[:5] else 0.15
                votes.append(
                    {
                        "question_id": question_id,
                        "helpful": rng.random() >= bad,
                        "user_hash": record.user_hash,
                        "created_at": record.created_at + dt.timedelta(minutes=1),
                    }
                )
    # The store stores feedback one verdict at a time (an upsert); thousands go in at once here.
    async with engine.begin() as connection:
        await connection.execute(insert(FeedbackRow), votes)
    await _tickets(engine, rng)


async def _tickets(engine: AsyncEngine, rng: random.Random) -> None:
    clock = _Clock()
    timed = Store(engine, clock=clock)
    for n in range(TICKETS):
        clock.now = moment(rng)
        ticket = await timed.open_ticket(
            channel="telegram",
            chat_id=str(n),
            user_hash=f"{n:064x}",
            question="pertanyaan ke petugas",
            guesses=(),
            context=(),
        )
        if rng.random() < 0.85:
            officer = rng.choice(OFFICERS)
            clock.now += dt.timedelta(minutes=rng.lognormvariate(3.0, 0.8))
            await timed.claim_ticket(ticket.id, officer, officer)
            clock.now += dt.timedelta(minutes=rng.uniform(1, 15))
            await timed.record_officer_reply(ticket.id, officer, officer, "jawaban petugas")


class _Clock:
    def __init__(self) -> None:
        self.now = dt.datetime.now(dt.UTC)

    def __call__(self) -> dt.datetime:
        return self.now


async def measure(url: str, items: Sequence[QuestionRecord], out: Path) -> float:
    """Seconds to read, group, chart and write the month's HTML report and CSVs."""
    engine = await open_database(url)
    store = Store(engine)
    try:
        await seed(engine, items, random.Random(7))
        period = Period(FIRST_DAY, FIRST_DAY + dt.timedelta(days=DAYS - 1), ZONE)
        titles = {e.id: e.title for e in load(ROOT / "faq.yaml").entries}
        started = time.perf_counter()
        report = await collect(
            ReportQueries(engine),
            period,
            titles=titles,
            now=dt.datetime.now(dt.UTC),
            remind_after=dt.timedelta(minutes=30),
        )
        write_report(report, out, "html")
        elapsed = time.perf_counter() - started
        assert report.questions == len(items), (report.questions, len(items))
    finally:
        await store.close()
    return elapsed


def report() -> None:
    """Print the report time for 100,000 questions on SQLite, and PostgreSQL when installed."""
    rng = random.Random(2026)
    matcher = Matcher(load(ROOT / "faq.yaml"))
    items = records(text_pool(matcher, rng), QUESTIONS, rng)
    with tempfile.TemporaryDirectory() as folder:
        seconds = asyncio.run(
            measure(f"sqlite+aiosqlite:///{folder}/report.db", items, Path(folder) / "out")
        )
    print(f"report over 100,000 questions, SQLite: {seconds:.1f} s   [target < 30 s]")
    postgres = postgres_or_none()
    if postgres is None:
        print("report over 100,000 questions, PostgreSQL: skipped (no server binaries)")
        return
    try:
        with tempfile.TemporaryDirectory() as folder:
            seconds = asyncio.run(measure(postgres.url, items, Path(folder) / "out"))
    finally:
        postgres.stop()
    print(f"report over 100,000 questions, PostgreSQL: {seconds:.1f} s   [target < 30 s]")


def postgres_or_none() -> PostgresServer | None:
    """A throwaway PostgreSQL server, or None where its binaries are not installed."""
    bindir = find_bindir()
    return start_server(bindir) if bindir is not None else None


if __name__ == "__main__":
    report()
