"""How `kb check` compares addresses: the same page written with or without scheme, `www.`,
`m.`, a trailing slash or the sentence's punctuation is one page; its query is part of it."""

from __future__ import annotations

import pytest

from knowledge.entries import Entry
from knowledge.sources import canonical, is_official, parse_facts, unofficial_entries


@pytest.mark.parametrize(
    "url",
    [
        "https://www.imigrasi.go.id/faq/app",
        "http://imigrasi.go.id/faq/app/",
        "https://m.imigrasi.go.id/faq/app.",
        "https://WWW.Imigrasi.go.id/faq/app,",
        "https://imigrasi.go.id/faq/app;",
        "https://imigrasi.go.id/faq/app:",
        "https://imigrasi.go.id/faq/app'",
        'https://imigrasi.go.id/faq/app"',
    ],
)
def test_one_page_written_many_ways(url: str) -> None:
    assert canonical(url) == "imigrasi.go.id/faq/app"


def test_the_query_is_part_of_the_page() -> None:
    assert canonical("http://kanimpati.kemenkumham.go.id/?p=58125") == (
        "kanimpati.kemenkumham.go.id?p=58125"
    )
    assert canonical("https://x.example.com/") == "x.example.com"
    assert canonical("https://x.example.com/m.html") == "x.example.com/m.html"
    assert canonical("https://x.example.com/BOX") == "x.example.com/BOX"
    assert canonical("faq/biaya") == "faq/biaya"  # no host at all


def test_only_government_hosts_are_official() -> None:
    assert is_official("https://go.id/")
    assert is_official("https://IMIGRASI.GO.ID/")
    assert not is_official("https://notgo.id/")
    assert not is_official("not an address")


def test_a_facts_addresses_lose_the_sentences_punctuation() -> None:
    sheet = "**F7.** see https://a.go.id/x; and https://b.example.com/Y.\n**F8.** none"
    seven, eight = parse_facts(sheet)
    assert (seven.number, seven.urls) == (7, ("https://a.go.id/x", "https://b.example.com/Y"))
    assert seven.official() == ["https://a.go.id/x"]
    assert parse_facts("**F1.** https://a.go.id/BOX")[0].urls == ("https://a.go.id/BOX",)
    assert (eight.number, eight.urls) == (8, ())


def test_entries_without_sources_or_with_an_official_one_are_not_listed() -> None:
    def make(entry_id: str, *sources: str) -> Entry:
        return Entry(entry_id, "aplikasi", entry_id, ("q",), "a", sources=sources)

    entries = [make("none"), make("gov", "https://a.go.id/x"), make("news", "https://b.com/y")]
    assert [found.entry.id for found in unofficial_entries(entries)] == ["news"]
