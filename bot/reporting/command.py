"""`python -m bot report`: read the log, write the report files, print their paths.

The command line is checked first (`report_request`); the runtime opens the database only for a
good request and hands `run_report` the report queries."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, cast

from bot.reporting.applicants import ApplicantMonth, read_applicants
from bot.reporting.collect import FullReportSource, collect
from bot.reporting.errors import ReportInputError
from bot.reporting.offices import ComparisonSource, ReportScope, find_office
from bot.reporting.output import Format, write_report
from bot.reporting.period import Period, parse_period
from bot.reporting.settings import ReportSettings
from bot.reporting.vocabulary import PostSource, RecordSources
from knowledge.errors import KnowledgeError
from knowledge.loader import load
from knowledge.policy import CHAT

FORMATS = ("html", "md", "csv")


@dataclass(frozen=True, slots=True)
class ReportRequest:
    """The checked command line: what to report on, in which format, where to."""

    period: Period
    applicants: list[ApplicantMonth] | None
    fmt: Format
    out: Path
    now: dt.datetime
    office: str | None = None  # one office's report; None: every office combined


def report_request(settings: ReportSettings, args: argparse.Namespace) -> ReportRequest | None:
    """The checked inputs, or None after saying what is wrong (the command then exits 2)."""
    now = dt.datetime.now(dt.UTC)
    try:
        period, applicants, fmt = _inputs(args, now=now, zone=settings.zone)
        office = _office(settings, getattr(args, "office", None))
    except ReportInputError as exc:
        print(f"Laporan tidak dibuat: {exc}", file=sys.stderr)
        return None
    return ReportRequest(period, applicants, fmt, Path(args.out), now, office)


def _office(settings: ReportSettings, wanted: str | None) -> str | None:
    """The office `--office` names (its id or short name); None without the option."""
    if wanted is None:
        return None
    if (office := find_office(settings.offices, wanted)) is not None:
        return office
    known = ", ".join(sorted(settings.offices)) or "tidak ada: offices.yaml tidak ditemukan"
    raise ReportInputError(f"Kantor {wanted!r} tidak dikenal. Kantor yang ada: {known}.")


class OfficeReportSource(FullReportSource, Protocol):
    """The report queries for every office, which can be kept to one (`ReportQueries`)."""

    def for_office(self, office: str | None) -> FullReportSource: ...

    @property
    def offices(self) -> ComparisonSource: ...


async def run_report(
    settings: ReportSettings,
    request: ReportRequest,
    queries: OfficeReportSource,
    *,
    posts: PostSource | None = None,
    record: RecordSources | None = None,
) -> int:
    """Write the report for the checked request, print the files' paths; exit 0.

    `posts` is the configured channel with posts (Instagram), for its per-post section;
    `record` reads the office's published posts, for the content record."""
    titles, small_talk = entry_titles(settings.faq_path)
    report = await collect(
        queries.for_office(request.office),
        request.period,
        titles=titles,
        small_talk=small_talk,
        now=request.now,
        remind_after=settings.remind_after,
        applicants=request.applicants,
        posts=posts,
        record=record,
        scope=scope_of(settings.offices, queries, request.office),
    )
    for path in write_report(report, request.out, request.fmt):
        print(path)
    return 0


def scope_of(
    names: Mapping[str, str], queries: OfficeReportSource, office: str | None
) -> ReportScope:
    """One office's report, or the combined one with the comparison between offices."""
    return ReportScope(office, names, None if office else queries.offices)


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
