"""A national deployment (issue 21): 150 offices and 4 million logged questions over a month on
PostgreSQL. How long one office's monthly report and the national one (every office combined,
with the comparison between offices) take, end to end as `python -m bot report [--office ID]`
makes them; and how fast the batched question log still writes into a log that size.

    python -m benchmarks.offices_scale                      # the full size, a few minutes
    python -m benchmarks.offices_scale --questions 200000   # a quick check
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import io
import random
import statistics
import tempfile
import time
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from benchmarks import offices_seed
from benchmarks.report_load import DAYS, FIRST_DAY, ROOT, ZONE, postgres_or_none, text_pool
from bot.core.vocabulary import QuestionRecord
from bot.reporting.command import ReportRequest, run_report
from bot.reporting.period import Period
from bot.reporting.settings import ReportSettings
from bot.storage import Store, open_database
from bot.storage.report_queries import ReportQueries
from knowledge.loader import load
from knowledge.matcher import Matcher

QUESTIONS = 4_000_000
OFFICES = 150
RUNS = 3
OFFICE_TARGET = 10.0  # seconds, one office's month (issue 21)
NATIONAL_TARGET = 30.0  # seconds, every office combined with the comparison
LOGGED = 10_000  # questions written through the log after the load
LOG_BATCH = 256  # BatchedLog's largest batch: a busy moment's group commit


def report(questions: int = QUESTIONS, offices: int = OFFICES, runs: int = RUNS) -> None:
    """Print the figures, or why they were skipped."""
    server = postgres_or_none()
    if server is None:
        print(
            "national scale (150 offices, 4 million questions): skipped (no PostgreSQL binaries)"
        )
        return
    try:
        asyncio.run(_measure(server.url, questions, offices, runs))
    finally:
        server.stop()


async def _measure(url: str, questions: int, offices: int, runs: int) -> None:
    names = offices_seed.offices(offices)
    engine = await open_database(url)
    try:
        pool = text_pool(Matcher(load(ROOT / "faq.yaml")), random.Random(2026))
        month = offices_seed.Month(pool, list(names), seed=21)
        started = time.perf_counter()
        await offices_seed.load(engine, month, questions)
        loaded = time.perf_counter() - started
        await offices_seed.vacuum_analyze(engine)
        analysed = time.perf_counter() - started - loaded
        print(
            f"national scale: {questions:,} questions, {offices} offices, "
            f"{len(month.extras.tickets):,} tickets, {len(month.extras.feedback):,} votes, "
            f"{len(month.extras.complaints):,} complaints; "
            f"generated and copied in {loaded:.0f} s, VACUUM ANALYZE {analysed:.0f} s, "
            f"database {await _size(engine)}"
        )
        await _reports(engine, names, runs)
        rate = await _log_rate(engine, pool, list(names))
        print(f"  question log into that table: {rate:,.0f} questions/s in batches of {LOG_BATCH}")
    finally:
        await engine.dispose()


async def _reports(engine: AsyncEngine, names: dict[str, str], runs: int) -> None:
    """The biggest office's month, then the national month, each `runs` times."""
    settings = ReportSettings(
        faq_path=ROOT / "faq.yaml",
        zone=ZONE,
        remind_after=dt.timedelta(minutes=30),
        digest_at="mon 08:00",
        offices=names,
    )
    biggest = next(iter(names))
    for office, target, label in (
        (biggest, OFFICE_TARGET, f"one office ({biggest}, the busiest)"),
        (None, NATIONAL_TARGET, "national, with the comparison"),
    ):
        times = [await _one_report(engine, settings, office) for _ in range(runs)]
        shown = ", ".join(f"{t:.1f}" for t in times)
        print(
            f"  monthly report, {label}: median {statistics.median(times):.1f} s "
            f"({shown})   [target <= {target:.0f} s]"
        )


async def _one_report(engine: AsyncEngine, settings: ReportSettings, office: str | None) -> float:
    """Seconds for what `python -m bot report --since … --until … [--office ID]` does once
    the database is open: every query, the grouping, the charts and the HTML file."""
    period = Period(FIRST_DAY, FIRST_DAY + dt.timedelta(days=DAYS - 1), ZONE)
    with tempfile.TemporaryDirectory() as folder:
        request = ReportRequest(
            period, None, "html", Path(folder), dt.datetime.now(dt.UTC), office
        )
        started = time.perf_counter()
        with contextlib.redirect_stdout(io.StringIO()):  # the command prints the file paths
            await run_report(settings, request, ReportQueries(engine))
        return time.perf_counter() - started


async def _log_rate(
    engine: AsyncEngine, pool: Sequence[QuestionRecord], names: list[str]
) -> float:
    """Questions per second through `Store.log_questions` into the loaded log, in batches
    as the group commit writes them (every index on the table is kept up to date)."""
    rng = random.Random(5)
    now = dt.datetime.now(dt.UTC)
    records = [
        replace(rng.choice(pool), office_id=rng.choice(names), created_at=now)
        for _ in range(LOGGED)
    ]
    store = Store(engine)
    started = time.perf_counter()
    for start in range(0, LOGGED, LOG_BATCH):
        await store.log_questions(records[start : start + LOG_BATCH])
    return LOGGED / (time.perf_counter() - started)


async def _size(engine: AsyncEngine) -> str:
    async with engine.connect() as connection:
        statement = text("SELECT pg_size_pretty(pg_database_size(current_database()))")
        return str(await connection.scalar(statement))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--questions", type=int, default=QUESTIONS)
    parser.add_argument("--offices", type=int, default=OFFICES)
    parser.add_argument("--runs", type=int, default=RUNS)
    args = parser.parse_args()
    report(args.questions, args.offices, args.runs)


if __name__ == "__main__":
    main()
