"""Complaint cues found in a clause (hits), indexed by position, and the rules that drop or
add hits: a cue inside a longer phrase of another kind, what a neutral phrase or a negator
disarms, a negator before a doubled word."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

# How far a negator reaches ("tidak terlalu lama"), and a stress ("lama sekali", "lama nya
# parah"): at most one word between.
NEAR = 2
# The readings: normalised words and their stems, typed words and their stems.
NORM, NORM_STEM, RAW, RAW_STEM = range(4)
EMOJI = -1


@dataclass(frozen=True, slots=True)
class Cue:
    """One row of the cue file."""

    phrase: str
    kind: str
    topic: str | None = None


# "ga masuk2", "tidak dipanggil-panggil": the thing never happens, however long one waits.
NEVER = (Cue("tidak X-X", "problem"), Cue("X-X", "repeat"))


@dataclass(frozen=True, slots=True)
class Hit:
    """A cue found at words `start` to `end` of one reading of a clause."""

    cue: Cue
    view: int
    start: int
    end: int

    @property
    def reading(self) -> int:
        """Normalised (0) or typed (1): the words and stems of a reading share positions."""
        return self.view // 2 if self.view >= 0 else EMOJI

    @property
    def kind(self) -> str:
        return self.cue.kind


Index = dict[tuple[int, int], list[Hit]]


def index(hits: Iterable[Hit]) -> Index:
    """The hits covering each (reading, position)."""
    at: Index = defaultdict(list)
    for hit in hits:
        for position in range(hit.start, hit.end):
            at[(hit.reading, position)].append(hit)
    return at


def around(at: Index, hit: Hit, before: int, after: int) -> set[Hit]:
    """The hits covering any word from `before` words before `hit` to `after` after it."""
    found: set[Hit] = set()
    reading = hit.reading
    for position in range(hit.start - before, hit.end + after):
        found.update(at.get((reading, position), ()))
    return found


def asked(hits: Sequence[Hit], size: int) -> bool:
    """A question word, or a tag ending the clause ("antrenya lama ga")."""
    return any(
        hit.kind == "asking" or (hit.kind == "tag" and hit.view == NORM and hit.end == size)
        for hit in hits
    )


# A stress or repetition inside a bad phrase still stresses it: "habis terus", "tidak pernah
# dibalas" say it again and again.
_STRESSING, _BAD = frozenset({"stress", "repeat"}), frozenset({"negative", "problem"})


def outside(hits: list[Hit]) -> list[Hit]:
    """Hits not inside a longer phrase of another kind: "kalau" in "kalau bisa" is a request,
    "dibuka" in "tidak bisa dibuka" a problem, not a change asked for (neutral phrases act
    in `disarmed`, in every reading; a topic word still names its topic, a stress inside a
    bad phrase still stresses it)."""
    # Only a phrase of two words or more can hold another hit: index those alone.
    at = index(hit for hit in hits if hit.end - hit.start > 1)
    if not at:
        return hits
    return [
        hit
        for hit in hits
        if hit.kind == "topic"
        or not any(
            other.kind not in {hit.kind, "neutral"}
            and other.end - other.start > hit.end - hit.start
            and not (hit.kind in _STRESSING and other.kind in _BAD)
            for other in around(at, hit, 0, 0)
        )
    ]


def never_doubled(words: Sequence[str], typed: str, hits: Sequence[Hit]) -> list[Hit]:
    """A negator before a word typed twice ("ga masuk2"), but not "tidak apa apa" (nor two
    slang words the maps made one: "ga buat bikin")."""
    found = []
    asked = {hit.start for hit in hits if hit.kind == "asking"}
    for hit in hits:
        if hit.kind != "negator" or hit.view != NORM_STEM or hit.end in asked:
            continue
        pair = words[hit.end : hit.end + 2]
        doubled = len(pair) == 2 and pair[0] == pair[1] and f"{pair[0]} {pair[0]}" in typed
        if doubled and len(pair[0]) > 3:
            found += [Hit(cue, NORM, hit.start, hit.end + 2) for cue in NEVER]
    return found


# What each disarming cue drops, and how far after its end it reaches (None: to the clause end).
_DISARMS: dict[str, tuple[frozenset[str], int | None]] = {
    "negator": (frozenset({"negative", "complaint", "few"}), NEAR),  # "tidak terlalu lama"
    "mine": (frozenset({"negative", "few"}), 1),  # "paspor saya rusak"
    "state": (frozenset({"improve", "add", "change"}), NEAR),  # "KK belum diperbarui"
    # "supaya tidak lama menunggu", "kalau kuota penuh": supposed, not told
    "condition": (frozenset({"negative", "few", "problem", "duration", "stress", "repeat"}), None),
}


def disarmed(hits: list[Hit]) -> list[Hit]:
    """Drop what a neutral phrase covers ("berapa lama" still asks), and what `_DISARMS` says
    for cues after a negator, "saya", "sudah" or "kalau"; in every reading where it was found."""
    if not any(hit.kind == "neutral" or hit.kind in _DISARMS for hit in hits):
        return hits  # most clauses: nothing to disarm, no index to build
    at = index(hits)
    last = 1 + max((position for _, position in at), default=0)
    near = set[Hit]().union(*(_disarms(hit, at, last) for hit in hits))
    kept = [h for h in hits if h.kind != "neutral"]
    if not near:
        return kept
    ranks = _ranks(hits)
    dropped = {(other.cue, ranks[other]) for other in near}
    return [h for h in kept if (h.cue, ranks[h]) not in dropped]


def _disarms(hit: Hit, at: Index, last: int) -> set[Hit]:
    """The hits `hit` disarms (none unless it is neutral or in `_DISARMS`)."""
    if hit.kind == "neutral":
        return {h for h in around(at, hit, 0, 0) if h.kind not in {"neutral", "asking", "tag"}}
    if hit.kind not in _DISARMS:
        return set()
    kinds, reach = _DISARMS[hit.kind]
    # To the clause's end: no hit lies past the last indexed word (a fixed far reach cost ten
    # thousand look-ups a cue, most of a message's complaint reading).
    ahead = around(at, hit, 0, reach if reach is not None else last - hit.end)
    one_word = hit.kind in {"negator", "mine"}
    return {
        h
        for h in ahead
        if h.kind in kinds and h.start >= hit.end and (h.end - h.start == 1 or not one_word)
    }


def _ranks(hits: list[Hit]) -> dict[Hit, int]:
    """Which occurrence of its cue each hit is in its reading: the k-th "lama" of the typed
    words is the k-th "lama" of the normalised ones."""
    seen: Counter[tuple[Cue, int]] = Counter()
    ranks = {}
    for hit in sorted(hits, key=lambda h: (h.view, h.start)):
        ranks[hit] = seen[(hit.cue, hit.view)]
        seen[(hit.cue, hit.view)] += 1
    return ranks
