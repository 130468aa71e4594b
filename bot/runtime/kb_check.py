"""`python -m bot kb check`: the knowledge base and, beside it, the office directory."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from knowledge.entries import KnowledgeBase
from knowledge.errors import Problem
from knowledge.loader import check
from knowledge.office_file import check_offices
from knowledge.sources import parse_facts, unofficial_entries

EXIT_BAD_INPUT = 2
# The office directory's name beside faq.yaml (docs/knowledge-base.md).
OFFICES_FILE = "offices.yaml"


def run(path: Path, *, facts: Path | None = None, offices: Path | None = None) -> int:
    """Check `path`, and the office directory given or found beside it; the worse exit code."""
    code = kb_check(path, facts=facts)
    found = offices or path.parent / OFFICES_FILE
    if offices is not None or found.exists():
        code = max(code, offices_check(found))
    return code


def kb_check(path: Path, *, facts: Path | None = None) -> int:
    """Print errors (exit 2) and warnings (exit 0) for a knowledge-base file."""
    report = check(path)
    if report.kb is not None:
        _print_unofficial(report.kb, facts)
    _print(report.errors + report.expired, report.warnings)
    if report.errors:
        print(f"{len(report.errors)} galat: {path} tidak bisa dipakai.")
        return EXIT_BAD_INPUT
    if report.expired:
        print(f"{len(report.expired)} entri sudah lewat masa berlakunya: periksa dulu.")
        return EXIT_BAD_INPUT
    assert report.kb is not None
    print(f"OK: {len(report.kb.entries)} entri, {len(report.warnings)} peringatan.")
    return 0


def offices_check(path: Path) -> int:
    """Print errors (exit 2) and warnings (exit 0) for an office directory file."""
    report = check_offices(path)
    _print(report.errors, report.warnings)
    if report.errors or report.directory is None:
        print(f"{len(report.errors)} galat: {path} tidak bisa dipakai.")
        return EXIT_BAD_INPUT
    directory = report.directory
    print(
        f"OK: {path.name}: {len(directory.offices)} kantor, {len(directory.areas)} "
        f"kabupaten/kota, {len(report.warnings)} peringatan."
    )
    return 0


def _print_unofficial(kb: KnowledgeBase, facts: Path | None) -> None:
    """Entries resting only on news or blogs, with the official page to cite where known."""
    sheet = parse_facts(facts.read_text(encoding="utf-8")) if facts else []
    for found in unofficial_entries(kb.entries, sheet):
        line = f"SUMBER: entri '{found.entry.id}' hanya mengutip berita/blog"
        if found.official:
            numbers = ", ".join(f"F{n}" for n in found.facts)
            line += f"; lembar fakta punya sumber resmi ({numbers}): " + " ".join(found.official)
        print(line)


def _print(errors: Sequence[Problem], warnings: Sequence[Problem]) -> None:
    for problem in errors:
        print(f"GALAT: {problem}")
    for problem in warnings:
        print(f"PERINGATAN: {problem}")
