"""What a ranking is: entries best first with the signals behind each score (vocabulary).

The matcher produces it; the calibrated decision (`knowledge.calibration`, `knowledge.policy`)
and the tools that explain a decision read it.
"""

from __future__ import annotations

from dataclasses import dataclass

from knowledge.entries import Entry
from knowledge.parts import Part

CHAT = "obrolan"
OUT_OF_SCOPE = "luar-layanan"


@dataclass(frozen=True, slots=True)
class Weights:
    """How the signals are mixed; all signals are on [0, 1]."""

    question: float = 0.3
    coverage: float = 0.2
    centroid: float = 0.3
    fuzzy: float = 0.2


@dataclass(frozen=True, slots=True)
class Scored:
    """One entry's score for a question."""

    entry: Entry
    score: float
    # Share of the message's word weight that the entry's words explain.
    coverage: float = 0.0
    # The same share of the parts that ask (end in "?" or hold a question word).
    asked: float = 0.0
    # The signals behind `score`: best example question, centroid, letters (all on [0, 1]).
    question: float = 0.0
    centroid: float = 0.0
    fuzzy: float = 0.0
    # How many of the entry's keywords the message holds as whole phrases.
    keywords: int = 0


@dataclass(frozen=True, slots=True)
class Ranking:
    """Entries best first, plus what the query looked like after normalisation."""

    normalized: str
    scored: tuple[Scored, ...]
    content_words: int
    unknown_share: float
    parts: tuple[Part, ...] = ()
    # The best entry (id, word-overlap score) of each part that says something.
    part_tops: tuple[tuple[str, float], ...] = ()
    domain_terms: tuple[str, ...] = ()
    small_talk: bool = False
    # Whether a passport-domain term sits in a part that asks (not only in the story).
    domain_asked: bool = False
    # Share of the asking parts' word weight that no entry knows ("ringgit", "BPJS").
    asked_unknown: float = 0.0
    # The entry the asking parts alone point at ("" when the message is small talk).
    asked_top: str = ""
