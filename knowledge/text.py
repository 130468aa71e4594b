"""Normalise informal Indonesian chat text into comparable tokens.

The maps live in `knowledge/data/*.tsv` (team-written, see the header of each file). The same
`Normaliser` is applied to the knowledge base and to incoming questions, so whatever it does
to one side it does to the other.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from importlib import resources
from typing import TypeVar

import Stemmer

from knowledge.morphology import abbreviated, roots, skeleton
from knowledge.spelling import clean

FOREIGNER = "warga negara asing"
# Words whose readings a normaliser keeps: far more than a region's vocabulary, bounded all the
# same against a flood of made-up words.
WORDS_KEPT = 200_000
# An abbreviation of fewer consonants stands for too many words ("bt", "sm").
MIN_SKELETON = 3
_LONG_RUN = re.compile(r"([a-z])\1{2,}")
_DOUBLE_RUN = re.compile(r"([a-z])\1")

K = TypeVar("K")
V = TypeVar("V")


def remember(kept: dict[K, V], key: K, value: V) -> V:
    """`value`, kept under `key` unless `kept` already holds `WORDS_KEPT` entries."""
    if len(kept) < WORDS_KEPT:
        kept[key] = value
    return value


def longest_by_first(phrases: Iterable[Sequence[str]]) -> dict[str, int]:
    """How many words the longest of `phrases` beginning with each word has: a word that
    begins none costs one look-up where phrases are searched for."""
    longest: dict[str, int] = {}
    for words in phrases:
        longest[words[0]] = max(longest.get(words[0], 0), len(words))
    return longest


# Particles, vocatives and fillers: kept, so "min" alone is still a greeting, but weighted low.
LIGHT_WORDS = frozenset(
    [
        "ya",
        "yah",
        "sih",
        "dong",
        "deh",
        "nih",
        "lah",
        "kah",
        "toh",
        "to",
        "loh",
        "lho",
        "kan",
        "eh",
        "ah",
        "nah",
        "pun",
        "mohon",
        "tolong",
        "admin",
        "bapak",
        "ibu",
        "kakak",
        "bro",
        "sis",
        "gan",
        "om",
        "tante",
        "permisi",
        "maaf",
        "info",
        "infonya",
        "nanya",
        "tanya",
        "mau",
        "ingin",
        "saya",
        "kami",
        "yang",
        "di",
        "ke",
        "dan",
        "ini",
        "itu",
        "juga",
        "saja",
        "sama",
        "dengan",
        "untuk",
        "dari",
        "pada",
        "ada",
        "apa",
    ]
)


def _read_map(name: str) -> dict[str, str]:
    text = resources.files("knowledge").joinpath("data", name).read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    rows: dict[str, str] = {}
    for line in lines[1:]:  # the first is the column header
        informal, _, standard = line.partition("\t")
        rows[informal.strip()] = standard.strip()
    return rows


@cache
def default_phrases() -> Mapping[str, str]:
    """Regional, slang and domain maps merged; domain rows win, then slang."""
    return {
        **_nationalities(),
        **_read_map("regional.tsv"),
        **_read_map("slang.tsv"),
        **_read_map("domain.tsv"),
    }


def _nationalities() -> dict[str, str]:
    """ "WN Turki", "warga negara Filipina", "orang Jepang": a foreign national."""
    countries = _read_map("nationalities.tsv")
    before = ("wn", "wna", "warga negara", "warganegara", "orang", "bule", "turis")
    return {f"{word} {country}": FOREIGNER for word in before for country in countries}


@cache
def default_stems() -> Mapping[str, str]:
    """Stemming exceptions."""
    return _read_map("stems.tsv")


class Normaliser:
    """Turns text into standard words and stems; knows the vocabulary it should snap to."""

    def __init__(
        self,
        *,
        phrases: Mapping[str, str] | None = None,
        stems: Mapping[str, str] | None = None,
        vocabulary: Iterable[str] = (),
    ) -> None:
        self._phrases = default_phrases() if phrases is None else phrases
        self._stem_exceptions = default_stems() if stems is None else stems
        self._stemmer = Stemmer.Stemmer("indonesian")
        self._stem_cache: dict[str, str] = {}
        self._longest = longest_by_first(phrase.split() for phrase in self._phrases)
        known = set(self._phrases)
        for value in self._phrases.values():
            known.update(value.split())
        vocabulary = tuple(vocabulary)  # read twice: the known words and the abbreviations
        known.update(vocabulary)
        self._known = frozenset(known)
        self._known_stems = frozenset(self.stem(word) for word in known)
        self._phrase_words = {key: tuple(value.split()) for key, value in self._phrases.items()}
        # Readings of words no phrase covers, with (True) and without (False) informal forms.
        self._readings: dict[bool, dict[str, tuple[str, ...]]] = {True: {}, False: {}}
        self._plain: dict[str, str] = {}
        self._skeletons = self._abbreviations(vocabulary)

    def words(self, text: str, *, forms: bool = True) -> list[str]:
        """Standard words of `text`, before stemming (what the question log keeps).

        `forms=False` keeps an unknown word as written instead of reading it through its
        informal affixes or as an abbreviation: for a cue whose affix is its meaning."""
        return self.cleaned_words(clean(text), forms=forms)

    def cleaned_words(self, cleaned: str, *, forms: bool = True) -> list[str]:
        """`words` of text `clean` has already read (a reader that also needs it as typed)."""
        plain = self._plain
        # Most words were read before: one look-up each, no call.
        return self._map_phrases(
            [plain.get(t) or self._unstretch(t) for t in cleaned.split()], forms
        )

    def normalise(self, text: str) -> str:
        """The normalised text as one string."""
        return " ".join(self.words(text))

    def stems(self, text: str) -> list[str]:
        """Stems of the standard words, in order."""
        return [self.stem(word) for word in self.words(text)]

    def stem(self, word: str) -> str:
        """Stem one standard word (cached; exceptions first)."""
        cached = self._stem_cache.get(word)
        if cached is None:
            stem = self._stem_exceptions.get(word) or self._stemmer.stemWord(word)
            cached = remember(self._stem_cache, word, stem)
        return cached

    def _unstretch(self, token: str) -> str:
        """Undo letter stretching ("bisaaa", "tolonggg") without breaking "maaf" (kept per
        word, as `_word` keeps readings)."""
        plain = self._plain.get(token)
        if plain is None:
            plain = token
            if _LONG_RUN.search(token):
                doubled = _LONG_RUN.sub(r"\1\1", token)
                plain = _LONG_RUN.sub(r"\1", token)
                if doubled in self._known and plain not in self._known:
                    plain = doubled
            remember(self._plain, token, plain)
        return plain

    def _map_phrases(self, tokens: list[str], forms: bool = True) -> list[str]:
        """Replace the longest known phrase at each position; outputs are not re-mapped."""
        out: list[str] = []
        readings, longest = self._readings[forms], self._longest
        i = 0
        while i < len(tokens):
            token = tokens[i]
            size = self._phrase_at(tokens, i) if token in longest else 0
            if size:
                out.extend(self._phrase_words[" ".join(tokens[i : i + size])])
                i += size
            else:
                out.extend(readings.get(token) or self._word(token, forms))
                i += 1
        return out

    def _phrase_at(self, tokens: list[str], i: int) -> int:
        """How many words the longest known phrase at `tokens[i]` has (0: none)."""
        longest = self._longest.get(tokens[i])
        if longest is None:
            return 0  # most words begin no phrase
        for size in range(min(longest, len(tokens) - i), 0, -1):
            if " ".join(tokens[i : i + size]) in self._phrases:
                return size
        return 0

    def _word(self, token: str, forms: bool) -> tuple[str, ...]:
        """A word no phrase covers, read on its own (kept: the same words come again and
        again, and reading one takes several look-ups and patterns)."""
        found = self._readings[forms].get(token)
        if found is None:
            plain = self._dedouble(token)
            found = self._read_form(plain) if forms else (plain,)
            remember(self._readings[forms], token, found)
        return found

    def _read_form(self, token: str) -> tuple[str, ...]:
        """An unknown word read through its informal affixes ("jelasin" -> "jelas",
        "melacak" -> "cek status"), or as it is when no root of it is known."""
        if token in self._known or token.isdigit():
            return (token,)
        stem = self.stem(token)
        for root in (stem, *roots(token)) if stem != token else roots(token):
            mapped = self._phrases.get(root)
            if mapped is not None:
                return tuple(mapped.split())
            if root != stem and (root in self._known or self.stem(root) in self._known_stems):
                return (root,)
        if abbreviated(token):
            return self._skeletons.get(skeleton(token), (token,))
        return (token,)

    def _abbreviations(self, vocabulary: Iterable[str]) -> dict[str, tuple[str, ...]]:
        """Standard words by their consonants, where only one reading has them ("syrt")."""
        words = {w for value in self._phrases.values() for w in value.split()}
        words.update(w for text in vocabulary for w in clean(text).split() if w.isalpha())
        by: dict[str, set[tuple[str, ...]]] = {}
        for word in words:
            if len(skeleton(word)) >= MIN_SKELETON:
                reading = tuple(self._phrases.get(word, word).split())
                by.setdefault(skeleton(word), set()).add(reading)
        return {
            key: min(found)
            for key, found in by.items()
            if len({tuple(self.stem(w) for w in reading) for reading in found}) == 1
        }

    def _dedouble(self, token: str) -> str:
        """'makasihh', 'bisaa': a doubled final letter on an unknown word is a typo."""
        if token in self._known or not _DOUBLE_RUN.search(token):
            return token
        single = _DOUBLE_RUN.sub(r"\1", token)
        mapped = self._phrases.get(single)
        if mapped is not None and " " not in mapped:
            return mapped
        return single if single in self._known else token
