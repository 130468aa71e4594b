"""`python -m bot report`: read the log, write the report files, print their paths."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import cast

from bot.reporting.applicants import ApplicantMonth, read_applicants
from bot.reporting.collect import collect
from bot.reporting.errors import ReportInputError
from bot.reporting.output import Format, write_report
from bot.reporting.period import Period, parse_period
from bot.runtime.config import Settings
from bot.storage import open_database
from bot.storage.report_queries import ReportQueries
from knowledge.errors import KnowledgeError
from knowledge.loader import load
from knowledge.policy import CHAT

EXIT_BAD_INPUT = 2
FORMATS = ("html", "md", "csv")


async def run_report(settings: Settings, args: argparse.Namespace) -> int:
    """Write the report for the chosen period; exit 2 on a bad date or applicants file."""
    now = dt.datetime.now(dt.UTC)
    try:
        period, applicants, fmt = _inputs(args, now=now, zone=settings.office_hours.zone)
    except ReportInputError as exc:
        print(f"Laporan tidak dibuat: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    engine = await open_database(settings.database_url)
    try:
        titles, small_talk = entry_titles(settings.faq_path)
        report = await collect(
            ReportQueries(engine),
            period,
            titles=titles,
            small_talk=small_talk,
            now=now,
            remind_after=dt.timedelta(minutes=settings.remind_after_minutes),
            applicants=applicants,
        )
    finally:
        await engine.dispose()
    for path in write_report(report, Path(args.out), fmt):
        print(path)
    return 0


def _inputs(
    args: argparse.Namespace, *, now: dt.datetime, zone: dt.tzinfo
) -> tuple[Period, list[ApplicantMonth] | None, Format]:
    period = parse_period(args.since, args.until, now=now, zone=zone)
    applicants = read_applicants(Path(args.applicants)) if args.applicants else None
    if args.format not in FORMATS:
        raise ReportInputError(f"Format {args.format!r} tidak dikenal: pilih html, md atau csv.")
    return period, applicants, cast(Format, args.format)


def entry_titles(faq_path: Path) -> tuple[dict[str, str], frozenset[str]]:
    """Entry titles, and the small-talk entries (greetings, thanks) that are no post topics.

    A broken faq.yaml only costs the titles: the report then names entries by id.
    """
    try:
        entries = load(faq_path).entries
    except KnowledgeError as exc:
        warning = f"Peringatan: judul entri tidak dimuat ({exc}); laporan memakai id."
        print(warning, file=sys.stderr)
        return {}, frozenset()
    titles = {entry.id: entry.title for entry in entries}
    return titles, frozenset(entry.id for entry in entries if entry.category == CHAT)
