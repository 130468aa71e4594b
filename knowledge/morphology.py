"""Informal Indonesian word forms: the roots a chat word may be built on.

Chat Indonesian builds verbs the colloquial (Jakarta) way — `nge-`/`ng-`/`ny-` for `me-`,
`-in` for `-kan`/`-i` ("jelasin", "ngecek", "nyiapin", "dibayarin") —, the Javanese way
(`N-`: "ndaftar", "mbayar"; `-e`/`-ne` for "-nya": "menune") and the accidental passive
`ke-` ("kepencet", "kehapus"), and puts "-nya" on abbreviations ("dtgnya", "sandinya"). The
Snowball stemmer knows only standard affixes, so each of these forms would otherwise be a word
no entry knows. `roots` lists what such a word may be made of, most likely first; the normaliser
keeps the first root it knows, so a form is read only when its root is a word it already has.
"""

from __future__ import annotations

from collections.abc import Iterator

# A root shorter than this is too easily a coincidence ("diri" is not "di" + "ri"); after
# "di-" or "ke-", which also begin plain words, a longer one ("dijamin" is not "jam").
MIN_ROOT = 3
MIN_PLAIN_PREFIX_ROOT = 4
_VOWELS = frozenset("aeiou")
# Suffixes, longest first; Javanese "-e" only after a root long enough to be one.
_SUFFIXES = ("nyo", "nya", "ne", "in", "ku", "mu", "e", "")


def skeleton(word: str) -> str:
    """The word's consonants, repeats merged: how chat abbreviates it ("jadwal" -> "jdwl")."""
    out: list[str] = []
    for letter in word:
        if letter not in _VOWELS and (not out or out[-1] != letter):
            out.append(letter)
    return "".join(out)


def abbreviated(word: str) -> bool:
    """Written without vowels, long enough to stand for one word ("syrt", "pmbyrn")."""
    return word.isalpha() and len(word) >= MIN_ROOT and not _VOWELS.intersection(word)


def roots(word: str) -> Iterator[str]:
    """Candidate roots of an informal word form (the word itself is not one)."""
    for stripped in _without_suffix(word):
        for root in _without_prefix(stripped):
            if root != word and len(root) >= MIN_ROOT:
                yield root


def _without_suffix(word: str) -> Iterator[str]:
    for suffix in _SUFFIXES:
        if not suffix:
            yield word
        elif word.endswith(suffix) and len(word) - len(suffix) >= MIN_ROOT + (suffix == "e"):
            yield word[: -len(suffix)]


def _without_prefix(word: str) -> Iterator[str]:
    """The word without a colloquial or Javanese prefix, the nasal undone ("nyari" -> "cari")."""
    yield word
    if word.startswith(("di", "ke")) and len(word) - 2 >= MIN_PLAIN_PREFIX_ROOT:
        yield word[2:]
    if word.startswith("nge"):
        yield word[3:]
    if word.startswith(("ng", "ny")) and word[2:3] in _VOWELS:
        rest = word[2:]
        # ng- before a vowel: the root starts with the vowel or lost a "k" ("ngirim").
        yield from (rest, "k" + rest) if word[1] == "g" else ("c" + rest, "s" + rest)
    if word.startswith(("nd", "mb")):
        yield word[1:]
