"""Rank knowledge-base entries for a question.

Primary signals: IDF-weighted word overlap on normalised, stemmed text, per example question
(cosine), against the entry's centroid, and as the share of the query the entry covers.
Second signal: rapidfuzz `token_set_ratio` on the normalised text, computed only for the best
lexical candidates so that a large knowledge base stays fast.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz, process

from knowledge.entries import Entry, KnowledgeBase
from knowledge.index import Floats, Index, Ints

MAX_QUERY_CHARS = 600
SHORTLIST = 5


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


class Matcher:
    """An index over one KnowledgeBase; build once, query many times (sync, no I/O)."""

    def __init__(self, kb: KnowledgeBase, *, weights: Weights | None = None) -> None:
        self.kb = kb
        self.weights = weights or Weights()
        self.index = Index(kb)
        self.normaliser = self.index.normaliser
        self._corrections: dict[str, str | None] = {}

    def rank(self, text: str) -> Ranking:
        """Score the entries for `text`, best first."""
        words = self.normaliser.words(text[:MAX_QUERY_CHARS])
        stems = [self._correct(self.normaliser.stem(w)) for w in words]
        weights = {s: self.index.weight(s) for s in stems}
        content = [s for s in weights if s not in self.index.light]
        unknown = sum(w for s, w in weights.items() if s not in self.index.idf)
        total = sum(weights.values()) or 1.0
        normalized = " ".join(words)
        scored = self._with_fuzzy(self._lexical(weights), normalized)
        return Ranking(normalized, scored, len(content), unknown / total)

    def _correct(self, stem: str) -> str:
        """Snap an unknown stem to a close known one ("pembayarn" -> "bayar")."""
        if stem in self.index.idf or len(stem) < 4 or stem.isdigit():
            return stem
        if stem not in self._corrections:
            found = process.extractOne(
                stem, self.index.vocabulary, scorer=fuzz.ratio, score_cutoff=84
            )
            self._corrections[stem] = found[0] if found else None
        return self._corrections[stem] or stem

    def _lexical(self, weights: dict[str, float]) -> Floats:
        """Word-overlap score of every entry (zero where no word is shared)."""
        index = self.index
        if not weights:
            return np.zeros(index.size)
        query_norm = math.sqrt(sum(w * w for w in weights.values()))
        total = sum(weights.values())
        known = [s for s in weights if s in index.idf]
        if not known:
            return np.zeros(index.size)
        per_question = _sum([index.questions[s] for s in known], None, len(index.question_norms))
        cosine = per_question / (query_norm * index.question_norms)
        best_question = np.maximum.reduceat(cosine, index.doc_starts)
        coverage = _sum(
            [
                (index.entries[s], np.full(len(index.entries[s]), weights[s] / total))
                for s in known
            ],
            None,
            index.size,
        )
        along = _sum(
            [index.centroids[s] for s in known],
            [weights[s] / query_norm for s in known],
            index.size,
        )
        mix = self.weights
        scores: Floats = (
            mix.question * best_question + mix.coverage * coverage + mix.centroid * along
        )
        return scores

    def _with_fuzzy(self, lexical: Floats, normalized: str) -> tuple[Scored, ...]:
        """Add the fuzzy signal for the best lexical candidates only."""
        count = min(SHORTLIST, int(np.count_nonzero(lexical)))
        if count == 0:
            return ()
        best = np.argpartition(-lexical, count - 1)[:count]
        texts = [self.index.question_texts[doc] for doc in best]
        flat = [text for group in texts for text in group]
        similarity = process.cdist([normalized], flat, scorer=fuzz.token_set_ratio)[0]
        starts = np.cumsum([0] + [len(group) for group in texts[:-1]])
        fuzzy = np.maximum.reduceat(similarity, starts) / 100
        scored = [
            Scored(self.kb.entries[doc], round(float(lexical[doc] + self.weights.fuzzy * f), 4))
            for doc, f in zip(best.tolist(), fuzzy.tolist(), strict=True)
        ]
        scored.sort(key=lambda item: item.score, reverse=True)
        return tuple(scored)


def _sum(lists: list[tuple[Ints, Floats]], factors: list[float] | None, size: int) -> Floats:
    """Add up posting weights per position (optionally scaling each list)."""
    if not lists:
        return np.zeros(size)
    positions = np.concatenate([p for p, _ in lists])
    if factors is None:
        values = np.concatenate([v for _, v in lists])
    else:
        values = np.concatenate([v * f for (_, v), f in zip(lists, factors, strict=True)])
    summed: Floats = np.asarray(
        np.bincount(positions, weights=values, minlength=size), dtype=np.float64
    )
    return summed
