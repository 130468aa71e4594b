"""`kb check` names entries resting only on news or blogs, and the official page to cite."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from knowledge.entries import Entry
from knowledge.sources import is_official, parse_facts, unofficial_entries

ROOT = Path(__file__).resolve().parents[2]
SHEET = """\
- **F1.** The app is official. [NEWS] https://news.example.com/a ;
  [OFFICIAL] https://www.imigrasi.go.id/faq/app (via scrape).
- **F2. Fees** [NEWS] https://blog.example.org/fees.
| **F3.** Timeout | Reinstall | [OFFICIAL] https://kanimpati.kemenkumham.go.id/?p=1 |
"""


def make(entry_id: str, *sources: str) -> Entry:
    return Entry(entry_id, "aplikasi", entry_id, ("q",), "a", sources=sources)


def test_government_sites_are_official() -> None:
    assert is_official("https://imigrasi.go.id/x")
    assert is_official("http://kanimpati.kemenkumham.go.id/?p=58125")
    assert not is_official("https://www.kompas.com/go.id")
    assert not is_official("https://imigrasilampungselatan.com/")


def test_facts_keep_their_own_addresses() -> None:
    facts = {fact.number: fact for fact in parse_facts(SHEET)}
    assert set(facts) == {1, 2, 3}
    assert facts[1].official() == ["https://www.imigrasi.go.id/faq/app"]
    assert facts[2].urls == ("https://blog.example.org/fees",)
    assert facts[3].official() == ["https://kanimpati.kemenkumham.go.id/?p=1"]


def test_news_only_entries_get_the_official_page_of_the_same_fact() -> None:
    entries = [
        make("app", "http://news.example.com/a/"),
        make("fees", "https://blog.example.org/fees"),
        make("fine", "https://news.example.com/a", "https://www.imigrasi.go.id/faq/app"),
    ]
    found = {f.entry.id: f for f in unofficial_entries(entries, parse_facts(SHEET))}
    assert set(found) == {"app", "fees"}
    assert found["app"].facts == (1,)
    assert found["app"].official == ("https://www.imigrasi.go.id/faq/app",)
    assert found["fees"].official == ()


def test_kb_check_lists_them(tmp_path: Path) -> None:
    sheet = tmp_path / "facts.md"
    sheet.write_text(SHEET, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "bot", "kb", "check", "--facts", str(sheet)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    listed = [line for line in done.stdout.splitlines() if line.startswith("SUMBER:")]
    assert listed, "the real KB still has news-only entries to review"
    assert all("hanya mengutip berita/blog" in line for line in listed)


def test_facts_named_in_checked_come_before_shared_addresses() -> None:
    entry = Entry(
        "fees",
        "biaya",
        "fees",
        ("q",),
        "a",
        sources=("https://news.example.com/a",),
        checked="tarif (F2)",
    )
    (found,) = unofficial_entries([entry], parse_facts(SHEET))
    assert found.facts == (2,)
    assert found.official == (), "F1 shares the address but the reviewer named F2"
