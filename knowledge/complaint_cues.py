"""Find the team-written complaint cues of `data/complaints.tsv` in one clause of a message.

A clause is read twice through the normaliser: after the slang maps and as typed ("lemotnya"
is still "lemot"), each as words and as stems. A phrase is looked for as stems in both readings,
or as whole words ("=dipercepat": the affix carries the meaning), or only as typed ("~galak",
which the maps read as Palembang "mau"). What a neutral phrase covers ("berapa lama") and a
one-word negative after a negator ("tidak lama") are dropped in every reading. Hits are indexed
by position, so a long message costs linear time.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from knowledge.complaint_hits import (
    EMOJI,
    NEAR,
    NORM,
    NORM_STEM,
    RAW,
    RAW_STEM,
    Cue,
    Hit,
    Index,
    around,
    asked,
    disarmed,
    index,
    never_doubled,
    outside,
)
from knowledge.spelling import clean
from knowledge.text import Normaliser, longest_by_first, remember

OTHER = "lainnya"
# Topic ids as the cue file names them, with the label reports show; the order breaks ties.
TOPICS = {
    "petugas": "Petugas dan pelayanan",
    "aplikasi": "Aplikasi M-Paspor",
    "pembayaran": "Pembayaran dan biaya",
    "fasilitas": "Fasilitas kantor",
    "proses": "Lama proses",
    "antrean": "Antrean dan kuota",
    "kontak": "Kontak dan informasi",
    OTHER: "Lainnya",
}
KINDS = frozenset(
    [
        *("complaint", "suggestion", "advice", "negative", "few", "problem", "stress"),
        *("repeat", "duration", "frame", "despite", "improve", "add", "change", "request"),
        *("want", "mine", "help", "asking", "tag", "condition", "state", "negator", "neutral"),
        *("topic", "cause"),
    ]
)
# "3x", "dua kali": tried again and again.
_TIMES = re.compile(r"\b(?:[2-9]|\d{2,}|dua|tiga|empat|lima|beberapa) ?(?:x|kali)\b")
_LONG_TIME = re.compile(
    r"\b(?:\d+|dua|tiga|empat|lima|enam|tujuh|delapan|sepuluh|beberapa)"
    # "2 jam", "tiga minggu", but not "2 hari lalu", "3 minggu lagi" or "tanggal 12 jam 10"
    # (when, not how long)
    r" (?:jam(?! \d)|hari|minggu|bulan)\b(?! (?:yang )?lalu\b| lagi\b)"
    # "dari jam 8 sampai jam 1": a span of the day
    r"|\bdari jam \d+ (?:sampai|sampe|smp|hingga|ampe) (?:jam )?\d+"
)
# A long time said as already gone by: "udah 3 hari", "sudah hampir sebulan", "dari seminggu yang
# lalu". Told, not asked about, even in a message that asks ("udah 2 jam, kapan dipanggil?").
_UNITS = r"(?:jam|hari|minggu|bulan)"
_AMOUNT = r"(?:\d+|dua|tiga|empat|lima|enam|tujuh|delapan|sepuluh|beberapa) " + _UNITS
_GONE = r"(?:" + _AMOUNT + r"(?! (?:yang )?lalu\b| lagi\b)|se" + _UNITS + r"\b(?! lagi\b))"
_ELAPSED = re.compile(
    r"\b(?:sudah|udah|udh|sdh|dah|uda|sampai|sampe) "
    r"(?:hampir |lebih dari |lebih |sekitar |kurang lebih |ada )?"
    + _GONE
    + r"|\b(?:dari|sejak) (?:"
    + _AMOUNT
    + r"|se"
    + _UNITS
    + r") (?:yang )?lalu\b"
)
# A unit of time or of tries: none of the patterns above matches without one.
_UNIT = re.compile(r"jam|hari|minggu|bulan|x|kali")
# Endings and a slang prefix the stemmer leaves on: it makes "tugas" of "petugasnya" (but keeps
# "petugas" whole), and knows neither Palembang "pelayanannyo" nor "ngeblank", "ngebentak".
_POSSESSIVE = re.compile(r"(?<=[a-z]{4})(?:nya|nyo|ku|mu)$")
_NGE = re.compile(r"^nge(?=[a-z]{3})")
_CLAUSE = re.compile(
    r"([.!?;\n]+|(?<!\d),|,(?!\d)|\b(?=(?:karena|karna|krn|soalnya|soale|sebab)\b))",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Clause:
    """One clause of a message: its cues, and how it is said."""

    hits: tuple[Hit, ...]
    asks: bool  # a "?" after it, a question word, a tag at its end ("lama ga")
    exclaims: bool  # a "!" after it
    long_time: bool  # a number of hours, days, weeks or months ("2 jam"), or of tries ("3x")
    supposes: bool  # opens with "kalau", "jika": what it says is not what happened
    at: Index = field(default_factory=dict, compare=False)
    elapsed: bool = False  # a long time already gone by ("udah 3 hari", "dari seminggu yang lalu")
    size: int = 0  # how many words
    # The kinds of `hits`: asked about dozens of times per clause.
    kinds: frozenset[str] = field(default=frozenset(), compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "kinds", frozenset(hit.kind for hit in self.hits))

    @property
    def blames_sender(self) -> bool:
        """A cause that names the sender: "karena kamera hp saya jelek", "soalnya aku telat"."""
        return self.has("cause") and self.has("mine")

    def has(self, *kinds: str) -> bool:
        """Whether a cue of these kinds is in the clause."""
        return not self.kinds.isdisjoint(kinds)

    def topics(self) -> frozenset[str]:
        """The topics the clause names."""
        return frozenset(h.cue.topic for h in self.hits if h.kind == "topic" and h.cue.topic)

    def near(self, hit: Hit, kinds: set[str]) -> bool:
        """A cue of these kinds next to `hit`, with at most one word between (not one read from
        the same words: "parah" is a negative and a stress, but does not stress itself)."""
        return any(
            other.kind in kinds and (other.start, other.end) != (hit.start, hit.end)
            for other in around(self.at, hit, NEAR, NEAR)
        )


class Reader:
    """Finds the cues in clauses; build once (it compiles the cues)."""

    def __init__(self, normaliser: Normaliser, cues: Iterable[Cue]) -> None:
        self._normaliser = normaliser
        self._stems: dict[str, str] = {}
        self._patterns: list[dict[tuple[str, ...], list[Cue]]] = [{} for _ in range(4)]
        self._symbols: list[Cue] = []
        for cue in cues:
            if cue.kind not in KINDS or (cue.topic is not None and cue.topic not in TOPICS):
                raise ValueError(f"unknown cue kind or topic in {cue}")
            self._add(cue)
        self._longest = [longest_by_first(view) for view in self._patterns]

    def read(self, chunk: str, after: str) -> Clause:
        """The clause `chunk`, followed by the punctuation `after` ("?" asks, "!" exclaims)."""
        typed = clean(chunk)
        norm, raw = self._normaliser.cleaned_words(typed), typed.split()
        readings = (norm, [self._stem(w) for w in norm], raw, [self._stem(w) for w in raw])
        hits = [hit for view, words in enumerate(readings) for hit in self._find(view, words)]
        hits += [Hit(cue, EMOJI, 0, 0) for cue in self._symbols if cue.phrase in chunk]
        hits = outside(hits + never_doubled(norm, " ".join(raw), hits))
        kept = disarmed(hits)
        asks = "?" in after or asked(kept, len(norm))
        supposed = [h.start for h in kept if h.kind == "condition" and h.reading == RAW // 2]
        told = " ".join(raw[: min(supposed, default=len(raw))])
        timed = _UNIT.search(told) is not None  # what the three patterns below all need
        long_time = timed and bool(_LONG_TIME.search(told) or _TIMES.search(told))
        elapsed = timed and bool(_ELAPSED.search(told))
        supposes = any(hit.kind == "condition" and hit.start < 2 for hit in kept)
        return Clause(
            tuple(kept),
            asks,
            "!" in after,
            long_time or elapsed,
            supposes,
            index(kept),
            elapsed,
            len(norm),
        )

    def _add(self, cue: Cue) -> None:
        if not any(ch.isalnum() for ch in cue.phrase):
            self._symbols.append(cue)
            return
        for view, words in self._forms(cue.phrase):
            found = self._patterns[view].setdefault(words, []) if words else []
            # "antri", "antrian", "ngantri" are one stem: one hit says it.
            if words and not any((c.kind, c.topic) == (cue.kind, cue.topic) for c in found):
                found.append(cue)

    def _forms(self, phrase: str) -> list[tuple[int, tuple[str, ...]]]:
        """Where and as what a phrase is looked for: "~" as typed, "=" as whole words,
        otherwise as stems in both readings."""
        if phrase.startswith("~"):
            return [(RAW, tuple(clean(phrase[1:]).split()))]
        if phrase.startswith("="):
            word = phrase[1:]
            # Not read through informal affixes: "kebangetan" is not "banget", "dibikin" not
            # "bikin".
            whole = tuple(self._normaliser.words(word, forms=False))
            return [(NORM, whole), (RAW, tuple(clean(word).split()))]
        norm = tuple(self._stem(w) for w in self._normaliser.words(phrase))
        raw = tuple(self._stem(w) for w in clean(phrase).split())
        return [(NORM_STEM, norm), (RAW_STEM, raw)]

    def _stem(self, word: str) -> str:
        stem = self._stems.get(word)
        if stem is None:
            read = self._normaliser.stem(_POSSESSIVE.sub("", _NGE.sub("", word)))
            stem = remember(self._stems, word, read)
        return stem

    def _find(self, view: int, words: Sequence[str]) -> list[Hit]:
        patterns, longest, found = self._patterns[view], self._longest[view], []
        # Most words begin no phrase: one look-up for them, not one per phrase length.
        for start in [i for i, word in enumerate(words) if word in longest]:
            for size in range(1, min(longest[words[start]], len(words) - start) + 1):
                for cue in patterns.get(tuple(words[start : start + size]), ()):
                    found.append(Hit(cue, view, start, start + size))
        return found


def chunks(text: str) -> list[tuple[str, str]]:
    """Clauses (sentences, parts between commas not inside a number such as "650,000", and
    before "karena", "soalnya": a cause is told apart), each with what ends it; a clause cut
    before its cause ends as the cause does ("bisa dipercepat karena mau berobat?" asks)."""
    pieces = _CLAUSE.split(text)
    ends = [*pieces[1::2], ""]
    for i in range(len(ends) - 2, -1, -1):
        if not ends[i]:
            ends[i] = ends[i + 1]
    pairs = zip(pieces[::2], ends, strict=True)
    return [(chunk, after) for chunk, after in pairs if chunk.strip()]
