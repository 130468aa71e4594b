"""The search index over a knowledge base: inverted lists per stem as numpy arrays, built once.

Scoring walks only the lists of the query's stems and sums them with `numpy.bincount`, so the
cost grows with how often the query's words occur, not with the number of entries.
"""

from __future__ import annotations

import math
from collections import defaultdict

import numpy as np
import numpy.typing as npt

from knowledge.entries import KnowledgeBase
from knowledge.text import LIGHT_WORDS, Normaliser

LIGHT_FACTOR = 0.25
Ints = npt.NDArray[np.int32]
Floats = npt.NDArray[np.float64]


class Index:
    """Stems of every example question, title and keyword list, with IDF weights."""

    def __init__(self, kb: KnowledgeBase) -> None:
        texts = [t for e in kb.entries for t in (*e.questions, e.title, *e.keywords)]
        self.normaliser = Normaliser(vocabulary={w for t in texts for w in t.casefold().split()})
        self.question_texts = [
            tuple(self.normaliser.normalise(q) for q in entry.questions) for entry in kb.entries
        ]
        # Each keyword as " stem stem " so a phrase is found by a substring test on the query.
        self.keyword_phrases = [self._phrases(entry.keywords) for entry in kb.entries]
        sets: list[list[frozenset[str]]] = []
        for entry in kb.entries:
            stems = [frozenset(self.normaliser.stems(t)) for t in entry.questions]
            extra = [frozenset(self.normaliser.stems(t)) for t in (entry.title, *entry.keywords)]
            sets.append([s for s in stems + extra if s] or [frozenset()])
        self.size = len(sets)
        docs_of: dict[str, list[int]] = defaultdict(list)
        for doc, questions in enumerate(sets):
            for stem in frozenset().union(*questions):
                docs_of[stem].append(doc)
        self.idf = {s: math.log(1 + self.size / len(d)) for s, d in docs_of.items()}
        self.max_idf = math.log(1 + max(self.size, 1))
        self.light = frozenset(self.normaliser.stem(w) for w in LIGHT_WORDS)
        self.entries: dict[str, Ints] = {
            s: np.array(d, dtype=np.int32) for s, d in docs_of.items()
        }
        self.ones: dict[str, Floats] = {s: np.ones(len(d)) for s, d in docs_of.items()}
        self._build(sets)
        self.vocabulary = sorted(self.idf)

    def weight(self, stem: str) -> float:
        """IDF of a stem (the highest for an unknown one), lowered for particles."""
        base = self.idf.get(stem, self.max_idf)
        return base * (LIGHT_FACTOR if stem in self.light else 1.0)

    def _phrases(self, keywords: tuple[str, ...]) -> tuple[str, ...]:
        # Spellings of one keyword ("kode billing", "billing") count once.
        phrases = {" ".join(self.normaliser.stems(k)) for k in keywords}
        return tuple(sorted(f" {p} " for p in phrases if p))

    def keyword_hits(self, doc: int, stems: str) -> int:
        """How many of the entry's keywords occur whole in `stems` (" stem stem ... ")."""
        return len([phrase for phrase in self.keyword_phrases[doc] if phrase in stems])

    def _build(self, sets: list[list[frozenset[str]]]) -> None:
        questions: dict[str, tuple[list[int], list[float]]] = defaultdict(lambda: ([], []))
        centroids: dict[str, tuple[list[int], list[float]]] = defaultdict(lambda: ([], []))
        norms: list[float] = []
        starts: list[int] = []
        for doc, doc_sets in enumerate(sets):
            starts.append(len(norms))
            # The centroid sums the entry's unit question vectors: words that most of its
            # questions share weigh more than a word one question happens to use.
            centroid: dict[str, float] = defaultdict(float)
            for question in doc_sets:
                norm = math.sqrt(sum(self.weight(s) ** 2 for s in question)) or 1.0
                for stem in question:
                    questions[stem][0].append(len(norms))
                    questions[stem][1].append(self.weight(stem) ** 2)
                    centroid[stem] += self.weight(stem) / norm
                norms.append(norm)
            length = math.sqrt(sum(v * v for v in centroid.values())) or 1.0
            for stem, value in centroid.items():
                centroids[stem][0].append(doc)
                centroids[stem][1].append(value / length)
        self.questions = {s: _arrays(v) for s, v in questions.items()}
        self.centroids = {s: _arrays(v) for s, v in centroids.items()}
        self.question_norms: Floats = np.array(norms, dtype=np.float64)
        self.doc_starts: Ints = np.array(starts, dtype=np.int32)
        self._postings = {s: self._joined(s) for s in self.entries}

    def _joined(self, stem: str) -> tuple[Ints, Floats, tuple[int, int, int]]:
        """A stem's entries, centroid weights and example questions as one run of positions
        (the centroids after `size`, the questions after twice `size`), and each one's length."""
        docs, values = self.centroids[stem]
        questions, squares = self.questions[stem]
        shifted = [self.entries[stem], docs + self.size, questions + 2 * self.size]
        positions: Ints = np.concatenate(shifted).astype(np.int32)
        weights: Floats = np.concatenate([self.ones[stem], values, squares])
        return positions, weights, (len(docs), len(docs), len(questions))

    def sums(
        self, stems: list[str], covered: list[float], along: list[float]
    ) -> tuple[Floats, Floats, Floats]:
        """Coverage (each stem's entries times `covered`), centroid cosine (its centroid
        weights times `along`) and word overlap per example question, for known `stems`.

        One bincount for the three: numpy calls cost more than these short sums, and each
        position still adds its stems in their order, as three bincounts would."""
        postings = [self._postings[s] for s in stems]
        factors = [f for c, a in zip(covered, along, strict=True) for f in (c, a, 1.0)]
        runs = [n for _, _, lengths in postings for n in lengths]
        positions = np.concatenate([p for p, _, _ in postings])
        weights = np.concatenate([w for _, w, _ in postings])
        size = self.size
        length = 2 * size + len(self.question_norms)
        summed = _added(positions, weights, (factors, runs), length)
        return summed[:size], summed[size : 2 * size], summed[2 * size :]

    def covered(self, stems: list[str], factors: list[float]) -> Floats:
        """Each entry's share of a query's weight: its known `stems` times their `factors`."""
        lists = [(self.entries[s], self.ones[s], f) for s, f in zip(stems, factors, strict=True)]
        covered: Floats = _rows([lists], self.size)[0]
        return covered

    def along(self, queries: list[tuple[list[str], list[float]]]) -> Floats:
        """Each query's cosine with every centroid (its known stems times their factors)."""
        return _rows(
            [[(*self.centroids[s], f) for s, f in zip(*query, strict=True)] for query in queries],
            self.size,
        )


def _arrays(lists: tuple[list[int], list[float]]) -> tuple[Ints, Floats]:
    return np.array(lists[0], dtype=np.int32), np.array(lists[1], dtype=np.float64)


def _rows(queries: list[list[tuple[Ints, Floats, float]]], size: int) -> Floats:
    """Per query a row of `size`: its posting lists' weights times its factors, added up per
    position in list order. One bincount for all rows: numpy calls cost more than the sums."""
    lists = [found for query in queries for found in query]
    if not lists:
        return np.zeros((len(queries), size))
    runs = [len(positions) for positions, _, _ in lists]
    positions = np.concatenate([positions for positions, _, _ in lists])
    if len(queries) > 1:
        rows = [row * size for row, query in enumerate(queries) for _ in query]
        positions = positions + np.repeat(rows, runs)
    weights = np.concatenate([values for _, values, _ in lists])
    factors = [factor for _, _, factor in lists]
    summed = _added(positions, weights, (factors, runs), len(queries) * size)
    return summed.reshape(len(queries), size)


def _added(
    positions: Ints, weights: Floats, scaled: tuple[list[float], list[int]], length: int
) -> Floats:
    """`weights` times their run's factor (`scaled`: each run's factor and length), added up
    per position in order."""
    factors, runs = scaled
    summed: Floats = np.asarray(
        np.bincount(positions, weights=weights * np.repeat(factors, runs), minlength=length),
        dtype=np.float64,
    )
    return summed
