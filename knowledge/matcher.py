"""Rank knowledge-base entries for a question.

Primary signal: IDF-weighted word overlap on normalised, stemmed text (per example question
and over the whole entry). Second signal: rapidfuzz `token_set_ratio` on the normalised text,
computed only for the best lexical candidates so a large KB stays fast.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from knowledge.entries import Entry, KnowledgeBase
from knowledge.text import LIGHT_WORDS, Normaliser

MAX_QUERY_CHARS = 600
LIGHT_FACTOR = 0.25
SHORTLIST = 40
POSTING_STOP = 0.2  # tokens in more than this share of entries do not pick candidates alone


@dataclass(frozen=True, slots=True)
class Weights:
    """How the signals are mixed; all signals are on [0, 1]."""

    question: float = 0.4
    coverage: float = 0.1
    centroid: float = 0.2
    fuzzy: float = 0.3


@dataclass(frozen=True, slots=True)
class Scored:
    """One entry's score for a question."""

    entry: Entry
    score: float


@dataclass(frozen=True, slots=True)
class Ranking:
    """Entries best first, plus what the query looked like after normalisation."""

    normalized: str
    scored: tuple[Scored, ...]
    content_words: int
    unknown_share: float


@dataclass(frozen=True, slots=True)
class _Doc:
    entry: Entry
    questions: tuple[frozenset[str], ...]
    question_texts: tuple[str, ...]
    vocabulary: frozenset[str]


class Matcher:
    """An index over one KnowledgeBase; build once, query many times (sync, no I/O)."""

    def __init__(self, kb: KnowledgeBase, *, weights: Weights | None = None) -> None:
        self.kb = kb
        self.weights = weights or Weights()
        texts = [t for e in kb.entries for t in (*e.questions, e.title, *e.keywords)]
        self.normaliser = Normaliser(vocabulary={w for t in texts for w in t.casefold().split()})
        self._docs = [self._doc(entry) for entry in kb.entries]
        self._postings: dict[str, list[int]] = defaultdict(list)
        for index, doc in enumerate(self._docs):
            for stem in doc.vocabulary:
                self._postings[stem].append(index)
        total = max(len(self._docs), 1)
        self._idf = {s: math.log(1 + total / len(p)) for s, p in self._postings.items()}
        self._max_idf = math.log(1 + total)
        self._light = frozenset(self.normaliser.stem(w) for w in LIGHT_WORDS)
        self._norms = [
            tuple(math.sqrt(sum(self._weight(s) ** 2 for s in q)) for q in doc.questions)
            for doc in self._docs
        ]
        self._centroids = [self._centroid(doc) for doc in self._docs]
        self._vocab = sorted(self._postings)
        self._corrections: dict[str, str | None] = {}

    def _doc(self, entry: Entry) -> _Doc:
        stem_sets = [frozenset(self.normaliser.stems(q)) for q in entry.questions]
        extra = [frozenset(self.normaliser.stems(t)) for t in (entry.title, *entry.keywords)]
        vocabulary = frozenset().union(*stem_sets, *extra)
        texts = tuple(self.normaliser.normalise(q) for q in entry.questions)
        return _Doc(entry, tuple(s for s in stem_sets + extra if s), texts, vocabulary)

    def _centroid(self, doc: _Doc) -> dict[str, float]:
        """Unit-length sum of the entry's question vectors: words most of its questions share
        weigh more than a word one question happens to use."""
        centroid: dict[str, float] = defaultdict(float)
        for question in doc.questions:
            norm = math.sqrt(sum(self._weight(s) ** 2 for s in question)) or 1.0
            for stem in question:
                centroid[stem] += self._weight(stem) / norm
        length = math.sqrt(sum(v * v for v in centroid.values())) or 1.0
        return {stem: value / length for stem, value in centroid.items()}

    def rank(self, text: str) -> Ranking:
        """Score the entries for `text`, best first."""
        words = self.normaliser.words(text[:MAX_QUERY_CHARS])
        stems = [self._correct(self.normaliser.stem(w)) for w in words]
        weights = {s: self._weight(s) for s in stems}
        content = [s for s in weights if s not in self._light]
        unknown = sum(weights[s] for s in weights if s not in self._idf)
        total = sum(weights.values()) or 1.0
        normalized = " ".join(words)
        scored = self._score(weights, normalized)
        return Ranking(normalized, tuple(scored), len(content), unknown / total)

    def _weight(self, stem: str) -> float:
        base = self._idf.get(stem, self._max_idf)
        return base * (LIGHT_FACTOR if stem in self._light else 1.0)

    def _correct(self, stem: str) -> str:
        """Snap an unknown stem to a close known one ("pembayarn" -> "bayar")."""
        if stem in self._idf or len(stem) < 4 or stem.isdigit():
            return stem
        if stem not in self._corrections:
            best = process.extractOne(stem, self._vocab, scorer=fuzz.ratio, score_cutoff=84)
            self._corrections[stem] = best[0] if best else None
        return self._corrections[stem] or stem

    def _score(self, weights: dict[str, float], normalized: str) -> list[Scored]:
        if not weights:
            return []
        query_norm = math.sqrt(sum(w * w for w in weights.values()))
        total = sum(weights.values())
        lexical: list[tuple[float, int]] = []
        for index in self._shortlist(weights):
            doc = self._docs[index]
            best_q = max(
                (
                    _cosine(weights, q, query_norm * norm)
                    for q, norm in zip(doc.questions, self._norms[index], strict=True)
                ),
                default=0.0,
            )
            coverage = sum(w for s, w in weights.items() if s in doc.vocabulary) / total
            centroid = self._centroids[index]
            along = sum(w * centroid.get(s, 0.0) for s, w in weights.items()) / query_norm
            mixed = (
                self.weights.question * best_q
                + self.weights.coverage * coverage
                + self.weights.centroid * along
            )
            lexical.append((mixed, index))
        lexical.sort(reverse=True)
        return self._add_fuzzy(lexical[:SHORTLIST], normalized)

    def _shortlist(self, weights: dict[str, float]) -> set[int]:
        """Entries sharing a selective word with the query (all shared words if none is)."""
        limit = POSTING_STOP * len(self._docs)
        known = [s for s in weights if s in self._postings]
        selective = [s for s in known if len(self._postings[s]) <= limit] or known
        found: set[int] = set()
        for stem in selective:
            found.update(self._postings[stem])
        return found

    def _add_fuzzy(self, lexical: list[tuple[float, int]], normalized: str) -> list[Scored]:
        scored: list[Scored] = []
        for base, index in lexical:
            doc = self._docs[index]
            best = process.extractOne(normalized, doc.question_texts, scorer=fuzz.token_set_ratio)
            fuzzy = best[1] / 100 if best else 0.0
            scored.append(Scored(doc.entry, round(base + self.weights.fuzzy * fuzzy, 4)))
        scored.sort(key=lambda item: item.score, reverse=True)
        return scored


def _cosine(weights: dict[str, float], question: frozenset[str], norms: float) -> float:
    """Cosine of IDF-weighted binary vectors; `norms` is the product of both vector norms."""
    shared = sum(weights[s] ** 2 for s in question if s in weights)
    return shared / norms if shared else 0.0
