"""Rank knowledge-base entries for a question.

Primary signals: IDF-weighted word overlap on normalised, stemmed text, per example question
(cosine), against the entry's centroid, and as the share of the query the entry covers.
Second signal: rapidfuzz `token_set_ratio` on the normalised text, computed only for the best
lexical candidates so that a large knowledge base stays fast.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz, process

from knowledge.entries import KnowledgeBase
from knowledge.index import Floats, Index, Ints
from knowledge.parts import QUESTION_WORDS, Part, Reader
from knowledge.ranking import CHAT, OUT_OF_SCOPE, Ranking, Scored, Weights
from knowledge.text import remember

# Far above any real message: filler is set aside, so a long message is read whole.
MAX_QUERY_CHARS = 4000
SHORTLIST = 5
PART_CANDIDATES = 12
# The word after these names what is asked: "berapa biaya paspor elektronik 10 tahun?" asks the
# fee, not the validity; "lebih lama" asks the time. It weighs half again.
FOCUS_AFTER = frozenset({"berapa", "lebih"})
FOCUS_BOOST = 0.5


@dataclass(frozen=True, slots=True)
class _Read:
    """A message read in parts: what is matched and how."""

    parts: tuple[Part, ...]
    content: list[Part]
    words: list[str]
    # The matcher's stems of `words`, and of each content part's words (stemmed once).
    stems: list[str]
    part_stems: list[list[str]]
    domain: tuple[str, ...]
    small_talk: bool
    domain_asked: bool


@dataclass(frozen=True, slots=True)
class _Asked:
    """What the asking parts alone say."""

    coverage: Floats
    unknown: float
    top: int
    text: str


class Matcher:
    """An index over one KnowledgeBase; build once, query many times (sync, no I/O)."""

    def __init__(self, kb: KnowledgeBase, *, weights: Weights | None = None) -> None:
        self.kb = kb
        self.weights = weights or Weights()
        self.index = Index(kb)
        self.normaliser = self.index.normaliser
        self.reader = Reader(self.normaliser)
        self._chat = np.array([e.category == CHAT for e in kb.entries], dtype=bool)
        self._outside = np.array([e.category == OUT_OF_SCOPE for e in kb.entries], dtype=bool)
        self._any_outside = bool(self._outside.any())
        self._corrections: dict[str, str | None] = {}
        self._word_stems: dict[str, str] = {}
        self._outside_docs: Ints = np.flatnonzero(self._outside).astype(np.int32)
        # Stems the greeting and thanks entries are made of (not places or dates set aside).
        self._chat_words = frozenset(
            stem
            for entry in kb.entries
            if entry.category == CHAT
            for text in (*entry.questions, *entry.keywords)
            for stem in self.normaliser.stems(text)
        )

    def rank(self, text: str) -> Ranking:
        """Score the entries for `text`, best first."""
        read = self._read(text[:MAX_QUERY_CHARS])
        stems = read.stems
        weights = self._weigh(stems)
        for stem in self._focus(read):
            if stem in weights:
                weights[stem] *= 1 + FOCUS_BOOST
        unknown = sum(w for s, w in weights.items() if s not in self.index.idf)
        unknown_share = unknown / (sum(weights.values()) or 1.0)
        lexical, signals = self._lexical(weights)
        coverage = signals[0]
        tops, asked = self._question(read, lexical, coverage, unknown_share)
        normalized = " ".join(read.words)
        # The asking parts, not the story, are compared letter by letter (and it is cheaper).
        fuzzy_text = asked.text or normalized
        signals = np.stack([coverage, asked.coverage, signals[1], signals[2]])
        # In order, for keyword phrases: the weights lose order and repeats.
        scored = self._with_fuzzy(lexical, signals, fuzzy_text, f" {' '.join(stems)} ")
        return Ranking(
            normalized,
            scored,
            len([s for s in weights if s not in self.index.light]),
            unknown_share,
            parts=read.parts,
            part_tops=tuple((self.kb.entries[doc].id, score) for doc, score in tops),
            domain_terms=read.domain,
            small_talk=read.small_talk,
            domain_asked=read.domain_asked,
            asked_unknown=asked.unknown,
            asked_top=self.kb.entries[asked.top].id if asked.top >= 0 else "",
        )

    def _question(
        self, read: _Read, lexical: Floats, coverage: Floats, unknown: float
    ) -> tuple[list[tuple[int, float]], _Asked]:
        """Where the parts and the asking parts point (nothing to ask in small talk)."""
        if read.small_talk:
            return [], _Asked(coverage, unknown, -1, "")
        # A greeting or thanks entry wins only when the message is nothing else.
        lexical[self._chat] = 0.0
        tops = self._part_tops(read.part_stems, lexical) if len(read.content) > 1 else []
        return tops, self._asked(read, coverage)

    def _read(self, text: str) -> _Read:
        parts = tuple(self.reader.parts(text))
        content = [p for p in parts if not p.filler]
        words = [w for p in content for w in p.words]
        part_stems = [self._stems(p.words) for p in content]
        stems = [s for found in part_stems for s in found]
        terms = [self.reader.domain_terms(p.words) for p in content]
        domain = tuple(t for found in terms for t in found)
        # Nothing about passports and nothing asked: greetings and thanks may carry the match.
        small_talk = not domain and not QUESTION_WORDS.intersection(words)
        if small_talk:
            words = self._small_talk(parts, words, text)
            stems = self._stems(words)
        asking = [bool(found) for p, found in zip(content, terms, strict=True) if p.asks]
        domain_asked = any(asking) if asking else bool(domain)
        return _Read(parts, content, words, stems, part_stems, domain, small_talk, domain_asked)

    def _small_talk(self, parts: tuple[Part, ...], words: list[str], text: str) -> list[str]:
        """What a message that asks nothing is matched on.

        A greeting or thanks around a story ("saya dari Metro", "semoga sehat selalu") is
        matched on the greeting; one beside more words the knowledge base knows than it has
        itself ("halo, kalianda buka sabtu") is read whole, places and dates included.
        """
        said = [w for p in parts for w in p.dropped if self.normaliser.stem(w) in self._chat_words]
        known = {self.normaliser.stem(w) for w in words} & self.index.idf.keys()
        if said and len(known - self.index.light - self._chat_words) <= len(said):
            return said
        return self.normaliser.words(text)

    def _focus(self, read: _Read) -> set[str]:
        """The stems the asking parts name right after "berapa" or "lebih"."""
        found: set[str] = set()
        for part, part_stems in zip(read.content, read.part_stems, strict=True):
            if read.small_talk or not part.asks or FOCUS_AFTER.isdisjoint(part.words):
                continue
            stems = [s for s in part_stems if s not in self.index.light]
            found.update(b for a, b in itertools.pairwise(stems) if a in FOCUS_AFTER)
        return found

    def _stems(self, words: Sequence[str]) -> list[str]:
        found = self._word_stems
        return [found.get(w) or self._stem(w) for w in words]

    def _stem(self, word: str) -> str:
        """A word's stem, snapped to a known one (kept per word: most come again and again)."""
        return remember(self._word_stems, word, self._correct(self.normaliser.stem(word)))

    def _weigh(self, stems: list[str]) -> dict[str, float]:
        return {s: self.index.weight(s) for s in stems}

    def _asked(self, read: _Read, coverage: Floats) -> _Asked:
        """The asking parts alone: which entry explains most of them, and how much."""
        content = read.content
        asks = [p.asks for p in content]
        if not any(asks):
            asks = [True] * len(content)
        asking = [w for p, chosen in zip(content, asks, strict=True) if chosen for w in p.words]
        pairs = zip(read.part_stems, asks, strict=True)
        weights = self._weigh([s for found, chosen in pairs if chosen for s in found])
        unknown = sum(w for s, w in weights.items() if s not in self.index.idf)
        share = unknown / (sum(weights.values()) or 1.0)
        explained = coverage if all(p.asks for p in content) else self._coverage(weights)
        masked = np.where(self._chat, -1.0, explained)
        return _Asked(explained, share, int(np.argmax(masked)), " ".join(asking))

    def _part_tops(self, part_stems: list[list[str]], lexical: Floats) -> list[tuple[int, float]]:
        """Which of the message's best candidates each part is closest to: do parts agree?"""
        count = min(PART_CANDIDATES, int(np.count_nonzero(lexical)))
        if count == 0:
            return []
        candidates: Ints = np.sort(np.argpartition(-lexical, count - 1)[:count]).astype(np.int32)
        light = self.index.light
        said = [self._weigh(stems) for stems in part_stems]
        said = [weights for weights in said if not all(s in light for s in weights)]
        if not said:
            return []
        # The centroid alone: one sum over the postings of all parts, read at the candidates.
        scores = self.index.along([self._known(weights) for weights in said])[:, candidates]
        best = np.argmax(scores, axis=1).tolist()
        return [(int(candidates[b]), float(scores[i, b])) for i, b in enumerate(best)]

    def _known(self, weights: dict[str, float]) -> tuple[list[str], list[float]]:
        """The known stems and their weights over the query's norm (a centroid's factors)."""
        known = [s for s in weights if s in self.index.idf]
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        return known, [weights[s] / norm for s in known]

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

    def _lexical(self, weights: dict[str, float]) -> tuple[Floats, Floats]:
        """Word-overlap score of every entry (zero where no word is shared), and its signals
        (coverage, best example question, centroid) as rows."""
        index = self.index
        known = [s for s in weights if s in index.idf]
        if not known:
            return np.zeros(index.size), np.zeros((3, index.size))
        total = sum(weights.values()) or 1.0
        query_norm = math.sqrt(sum(w * w for w in weights.values()))
        norm = query_norm or 1.0
        coverage, centroid, per_question = index.sums(
            known, [weights[s] / total for s in known], [weights[s] / norm for s in known]
        )
        cosine = per_question / (query_norm * index.question_norms)
        best_question = np.maximum.reduceat(cosine, index.doc_starts)
        mix = self.weights
        scores: Floats = (
            mix.question * best_question + mix.coverage * coverage + mix.centroid * centroid
        )
        return scores, np.stack([coverage, best_question, centroid])

    def _coverage(self, weights: dict[str, float]) -> Floats:
        """Share of the query's word weight each entry's words explain."""
        known = [s for s in weights if s in self.index.idf]
        total = sum(weights.values()) or 1.0
        return self.index.covered(known, [weights[s] / total for s in known])

    def _with_fuzzy(
        self, lexical: Floats, signals: Floats, normalized: str, stems: str
    ) -> tuple[Scored, ...]:
        """Add the fuzzy signal for the best lexical candidates only."""
        count = min(SHORTLIST, int(np.count_nonzero(lexical)))
        if count == 0:
            return ()
        best = np.argpartition(-lexical, count - 1)[:count].tolist()
        # The best out-of-scope pointer is always weighed: how close it comes is evidence.
        if self._any_outside:
            docs = self._outside_docs
            outside = int(docs[int(np.argmax(lexical[docs]))])
            if lexical[outside] > 0 and outside not in best:
                best.append(outside)
        groups = [self.index.question_texts[doc] for doc in best]
        flat = list(itertools.chain.from_iterable(groups))
        similarity = process.cdist([normalized], flat, scorer=fuzz.token_set_ratio)[0]
        starts = list(itertools.accumulate((len(group) for group in groups[:-1]), initial=0))
        fuzzy = (np.maximum.reduceat(similarity, starts) / 100).tolist()
        # As Python floats: numpy scalars one by one cost more than the fuzzy step.
        rows = zip(best, lexical[best].tolist(), signals[:, best].T.tolist(), fuzzy, strict=True)
        scored = [
            self._scored(doc, score + self.weights.fuzzy * f, row, f, stems)
            for doc, score, row, f in rows
        ]
        scored.sort(key=lambda item: item.score, reverse=True)
        return tuple(scored)

    def _scored(
        self, doc: int, score: float, signals: list[float], fuzzy: float, stems: str
    ) -> Scored:
        coverage, asked, question, centroid = signals
        return Scored(
            self.kb.entries[doc],
            round(score, 4),
            round(coverage, 4),
            round(asked, 4),
            round(question, 4),
            round(centroid, 4),
            round(fuzzy, 4),
            self.index.keyword_hits(doc, stems),
        )
