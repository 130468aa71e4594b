"""`python -m bot kb suggest`: propose additions to faq.yaml for a person to review.

Reads the question log, the tickets and the pending drafts, decides what to propose
(`bot.suggestions.plan`), writes it into a copy of faq.yaml's text (`bot.suggestions.kb_yaml`) and
checks that copy as `kb check` would. Nothing is applied: the proposal goes to `--out` or
standard output, and faq.yaml itself is never written. The command line is checked first
(`suggest_request`); the runtime opens the database only then and hands over the stores.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import get_args

from bot.core.errors import BotError
from bot.suggestions.kb_yaml import LayoutError, render
from bot.suggestions.plan import Evidence, Planner, Proposal
from bot.suggestions.settings import SuggestSettings
from bot.suggestions.vocabulary import DraftHistory, DraftSource, EvidenceSource
from knowledge.loader import check, load
from knowledge.matcher import Matcher
from knowledge.validate import DRAFT_MARK

# Without --since, the log of the last 30 days, as /belum_terjawab reads it.
DEFAULT_DAYS = 30


class SuggestError(BotError):
    """Bad input for `kb suggest` (a malformed date, an unusable output path)."""


@dataclass(frozen=True, slots=True)
class SuggestRequest:
    """The checked command line and what it needs before the database: faq.yaml read."""

    since: dt.datetime
    today: dt.date
    target: Path | None
    original: str
    matcher: Matcher


def suggest_request(
    settings: SuggestSettings, *, out: str | None, since: str | None
) -> SuggestRequest:
    """Check the dates and paths and read faq.yaml; raise for bad input."""
    zone = settings.zone
    now = dt.datetime.now(zone)
    start = parse_since(since, zone) if since else now - dt.timedelta(days=DEFAULT_DAYS)
    target = _target(out, settings.faq_path)
    original = _read(settings.faq_path)
    matcher = Matcher(load(settings.faq_path))
    return SuggestRequest(start, now.date(), target, original, matcher)


async def run_suggest(
    settings: SuggestSettings,
    request: SuggestRequest,
    evidence: EvidenceSource,
    drafts: DraftHistory,
) -> int:
    """Write the proposal to the request's target (or print it); exit 0, or raise."""
    found = await gather(evidence, drafts, request.since)
    planner = Planner(request.matcher, thresholds=settings.thresholds, zone=settings.zone)
    # Clustering and matching are CPU work; the event loop has nothing else to do meanwhile.
    proposal = await asyncio.to_thread(planner.plan, found)
    try:
        text = render(request.original, proposal, today=request.today)
    except LayoutError as exc:
        raise SuggestError(f"{settings.faq_path}: {exc}") from exc
    verify(text)
    _write(text, request.target)
    print(summary(proposal, request.target), file=sys.stderr)
    return 0


def parse_since(value: str, zone: dt.tzinfo) -> dt.datetime:
    """Midnight of a YYYY-MM-DD date in the office's time zone."""
    try:
        day = dt.date.fromisoformat(value.strip())
    except ValueError as exc:
        raise SuggestError(f"--since harus tanggal YYYY-MM-DD, bukan {value!r}") from exc
    return dt.datetime.combine(day, dt.time(), tzinfo=zone)


async def gather(queries: EvidenceSource, drafts: DraftHistory, since: dt.datetime) -> Evidence:
    """Everything the proposal is built from; pending drafts whatever their age, and every
    rejected one (a reviewer's no is final: its wordings are not proposed again)."""
    refused = [
        draft
        for source in get_args(DraftSource)
        for draft in await drafts.from_source(source)
        if draft.status == "rejected"
    ]
    return Evidence(
        turns=await queries.choice_turns(since),
        helpful=await queries.helpful_answers(since),
        tickets=await queries.answered_tickets(since),
        fallbacks=await queries.fallbacks(since),
        drafts=await drafts.pending(),
        refused=refused,
    )


def verify(text: str) -> None:
    """Refuse a proposal that `kb check` would refuse (that would be a bug here)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "faq.yaml"
        path.write_text(text, encoding="utf-8")
        # Draft entries still waiting for an answer are refused on purpose (never served until a
        # person writes one); any other error would be a bug here.
        errors = [p for p in check(path).errors if DRAFT_MARK not in p.message.upper()]
    if errors:
        listing = "\n".join(str(problem) for problem in errors)
        raise SuggestError(f"usulan tidak lolos kb check:\n{listing}")


def summary(proposal: Proposal, target: Path | None) -> str:
    """One line for the terminal (standard error, so standard output stays YAML)."""
    entries = len({example.entry_id for example in proposal.examples})
    lines = [
        f"Usulan: {len(proposal.examples)} contoh pertanyaan untuk {entries} entri,"
        f" {len(proposal.entries)} entri baru." + (f" Ditulis ke {target}." if target else "")
    ]
    lines.extend(proposal.skipped)
    return "\n".join(lines)


def _target(out: str | None, faq_path: Path) -> Path | None:
    if out is None or out == "-":
        return None
    target = Path(out)
    if target.exists() and target.resolve() == faq_path.resolve():
        raise SuggestError("--out tidak boleh faq.yaml sendiri: tulis ke file lain, lalu tinjau")
    if target.is_dir():
        raise SuggestError(f"--out {out} adalah folder; beri nama file")
    return target


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SuggestError(f"{path} tidak bisa dibaca: {exc}") from exc


def _write(text: str, target: Path | None) -> None:
    if target is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    try:
        # newline="" keeps the original's line endings as they are.
        target.write_text(text, encoding="utf-8", newline="")
    except OSError as exc:
        raise SuggestError(f"tidak bisa menulis {target}: {exc}") from exc
