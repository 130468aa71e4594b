"""Which sources an entry rests on: official pages or only news and blogs.

A fee or a document list read from a news item may be out of date or misquoted. `kb check`
lists entries that cite no official page, and, given the team's fact sheet (facts numbered
`**F12.**`, each with the addresses it was read from), names the official pages the sheet gives
for the same facts: those a reviewer named in the entry's `checked`, else those sharing an
address with the entry's sources (a hint to check, since one news item may back several facts).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from knowledge.entries import Entry

_FACT = re.compile(r"\*\*F(\d+)\.")
_NAMED = re.compile(r"\bF(\d+)\b")
_URL = re.compile(r"https?://[^\s<>()\[\]`]+")
# Government sites (imigrasi.go.id, an office's *.imigrasi.go.id or kemenkumham.go.id page):
# what the fact sheet tags [OFFICIAL].
_OFFICIAL_SUFFIX = ".go.id"


def is_official(url: str) -> bool:
    """True for a page on a government (.go.id) site."""
    host = (urlsplit(url).hostname or "").casefold()
    return host == _OFFICIAL_SUFFIX[1:] or host.endswith(_OFFICIAL_SUFFIX)


def canonical(url: str) -> str:
    """An address without scheme, `www.`/`m.` and trailing punctuation, for comparison."""
    parts = urlsplit(url.rstrip(".,;:'\""))
    host = (parts.hostname or "").casefold().removeprefix("www.").removeprefix("m.")
    return f"{host}{parts.path.rstrip('/')}" + (f"?{parts.query}" if parts.query else "")


@dataclass(frozen=True, slots=True)
class Fact:
    """One numbered fact of the fact sheet and the addresses given for it."""

    number: int
    urls: tuple[str, ...]

    def official(self) -> list[str]:
        return [url for url in self.urls if is_official(url)]


def parse_facts(text: str) -> list[Fact]:
    """Facts in file order; a fact runs from its `**Fn.**` mark to the next one."""
    marks = list(_FACT.finditer(text))
    facts = []
    for mark, after in zip(marks, [*marks[1:], None], strict=True):
        body = text[mark.end() : after.start() if after else len(text)]
        urls = tuple(url.rstrip(".,;:'\"") for url in _URL.findall(body))
        facts.append(Fact(int(mark.group(1)), urls))
    return facts


@dataclass(frozen=True, slots=True)
class Unofficial:
    """An entry citing only news or blogs, and official pages for the same facts, if known."""

    entry: Entry
    facts: tuple[int, ...] = ()
    official: tuple[str, ...] = ()


def unofficial_entries(entries: Iterable[Entry], facts: Iterable[Fact] = ()) -> list[Unofficial]:
    """Entries with sources none of which is official; each with the fact sheet's alternative."""
    facts = list(facts)
    by_url = _facts_by_url(facts)
    by_number = {fact.number: fact for fact in facts}
    found = []
    for entry in entries:
        if not entry.sources or any(is_official(url) for url in entry.sources):
            continue
        cited = _facts_in_checked(entry, by_number) or {
            fact.number: fact for url in entry.sources for fact in by_url.get(canonical(url), [])
        }
        official = dict.fromkeys(url for fact in cited.values() for url in fact.official())
        found.append(Unofficial(entry, tuple(sorted(cited)), tuple(official)))
    return found


def _facts_in_checked(entry: Entry, by_number: Mapping[int, Fact]) -> dict[int, Fact]:
    """The facts a reviewer named in `checked` ("tarif (F66, F69)"): more precise than the
    facts that merely share an address with the entry's sources."""
    numbers = (int(n) for n in _NAMED.findall(entry.checked))
    return {n: by_number[n] for n in numbers if n in by_number}


def _facts_by_url(facts: Iterable[Fact]) -> Mapping[str, list[Fact]]:
    index: dict[str, list[Fact]] = {}
    for fact in facts:
        for url in fact.urls:
            index.setdefault(canonical(url), []).append(fact)
    return index
