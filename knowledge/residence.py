"""Which office: the kabupaten/kota a message says the applicant lives in, and its office.

"Saya dari Way Kanan, bikin paspor di mana?", "sy tinggal di lamtim", "domisili pringsewu":
names and short forms are read through the same `Normaliser` as the question, as whole words
(longest first, so "Tulang Bawang Barat" is not "Tulang Bawang"), spaces ignored ("waykanan").
Only when no name is found does a typo get a chance ("lampung timr"), and only against full
names long enough that a near miss is not another word. Two different places in one message
give no answer: the bot should then ask, not guess.
"""

from __future__ import annotations

from collections.abc import Iterator

from rapidfuzz import fuzz, process

from knowledge.offices import Area, OfficeDirectory, Placement
from knowledge.text import Normaliser

# fuzz.ratio of "lampungutara" against "lampungbarat" is 83: a typo must come closer than two
# real names come to each other.
FUZZY_MIN = 88
# The best place must beat the next one by this much, or the typo could be either.
FUZZY_MARGIN = 5
# Shorter names ("metro", "tuba", "krui", the abbreviations) are one letter from ordinary words.
FUZZY_MIN_LENGTH = 7
# A misspelt name is looked for in a short message (the answer to "where do you live?") or
# where the message says it speaks of a place; elsewhere the search costs more than the
# matching and finds mostly near misses of ordinary words.
TYPO_ANY_WORDS = 12
TYPO_HINTS = frozenset(
    {"dari", "tinggal", "domisili", "warga", "asal", "kabupaten", "kab", "kota", "daerah"}
    | {"wilayah", "lampung", "alamat", "ktp"}
)


class AreaFinder:
    """Finds the kabupaten/kota named in free text; built once per directory."""

    def __init__(self, directory: OfficeDirectory, *, normaliser: Normaliser | None = None):
        self._directory = directory
        self._normaliser = normaliser or Normaliser()
        self._names: dict[str, Area] = {}
        for area in directory.areas:
            for text in (area.name, *area.short):
                self._names.setdefault(self._compact(text), area)
        self._fuzzy = [
            (key, area)
            for area in directory.areas
            if len(key := self._compact(area.name)) >= FUZZY_MIN_LENGTH
        ]
        self._keys = [key for key, _ in self._fuzzy]
        self._longest = max((len(self._words(t)) for t in self._all_texts()), default=1)

    def find(self, text: str) -> Placement | None:
        """The place `text` names and the office serving it; None if none, or more than one."""
        words = self._words(text)
        found = set(self._exact(words))
        if not found and (len(words) <= TYPO_ANY_WORDS or TYPO_HINTS.intersection(words)):
            found = self._typo(words)
        if len(found) != 1:
            return None
        (area,) = found
        return Placement(self._directory.office_for(area), area)

    def _exact(self, words: list[str]) -> Iterator[Area]:
        """Names spelt right, longest first and not overlapping."""
        i = 0
        while i < len(words):
            for size in range(min(self._longest, len(words) - i), 0, -1):
                area = self._names.get("".join(words[i : i + size]))
                if area is not None:
                    yield area
                    i += size
                    break
            else:
                i += 1

    def _typo(self, words: list[str]) -> set[Area]:
        """The one full name a stretch of the message nearly spells, if it is clearly one."""
        windows = sorted(set(self._windows(words)))
        if not windows or not self._fuzzy:
            return set()
        # Every window against every name in one call: a long message has hundreds of them.
        scores = process.cdist(windows, self._keys, scorer=fuzz.ratio, score_cutoff=FUZZY_MIN)
        per_name = zip(scores.max(axis=0), self._fuzzy, strict=True)
        best = sorted(
            ((float(score), area) for score, (_, area) in per_name),
            key=lambda pair: pair[0],
            reverse=True,
        )
        if best[0][0] < FUZZY_MIN:
            return set()
        if len(best) > 1 and best[0][0] - best[1][0] < FUZZY_MARGIN:
            return set()
        return {best[0][1]}

    def _windows(self, words: list[str]) -> Iterator[str]:
        # One word more than the longest name: a typo may split a word ("lampung ti mur").
        for size in range(1, self._longest + 2):
            for i in range(len(words) - size + 1):
                yield "".join(words[i : i + size])

    def _words(self, text: str) -> list[str]:
        # forms=False: a place name is a proper noun, not a word to read through its affixes.
        return self._normaliser.words(text, forms=False)

    def _compact(self, text: str) -> str:
        return "".join(self._words(text))

    def _all_texts(self) -> Iterator[str]:
        for area in self._directory.areas:
            yield area.name
            yield from area.short
