"""Grouping unanswered questions worded alike, for /belum_terjawab, the office report and
`kb suggest`. Pure: rows come in, clusters go out."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from rapidfuzz import fuzz, process
from rapidfuzz.utils import default_process

from bot.reporting.vocabulary import UnansweredRow
from knowledge.text import LIGHT_WORDS

# Words that open almost every question to this bot: two texts sharing only these are not
# alike, so they are left out when comparing ("cara bayar paspor" vs "cara daftar paspor").
FILLER = LIGHT_WORDS | {"bagaimana", "cara", "kenapa", "mengapa", "apakah", "bisa", "paspor"}
# token_set_ratio scores 100 whenever one text's words are a subset of the other's, so a
# one-word text would join any group containing that word. token_sort_ratio compares whole
# texts and stays low for such pairs ("oke" vs "oke terima kasih" = 32).
GUARD = 50.0
# token_set_ratio from which two wordings ask the same thing (`kb suggest` uses it too).
ALIKE = 70.0
# Texts are compared a chunk at a time against every leader with `cdist` (C, all cores)
# instead of one by one in Python; the chunk bounds the score matrices (CHUNK x leaders).
CHUNK = 512
MAX_UNANSWERED = 20_000
EXAMPLE_CHARS = 160
PERIOD_DAYS = 30

Scores = npt.NDArray[np.float32]
Indices = npt.NDArray[np.intp]


@dataclass(frozen=True, slots=True)
class Cluster:
    """Unanswered questions worded alike."""

    size: int
    example: str  # the most common wording
    examples: tuple[str, ...]  # up to 3 distinct wordings, most common first
    first_seen: dt.datetime
    last_seen: dt.datetime
    nearest: tuple[str, ...]  # the entries the matcher ranked first most often
    office_id: str | None = None  # the one office all were asked at; None: several or none


def cluster(rows: Sequence[UnansweredRow], *, threshold: float = ALIKE) -> list[Cluster]:
    """Group similar wordings, biggest group first.

    Greedy leader clustering: distinct texts in order of frequency either join the most
    similar existing leader (token_set_ratio >= threshold, token_sort_ratio >= GUARD) or
    become a leader themselves, so each group is named after its most common wording.
    """
    if not 0 < threshold <= 100:
        raise ValueError("threshold must be in (0, 100]")
    groups: dict[str, list[UnansweredRow]] = {}
    for row in rows:
        groups.setdefault(_key(row), []).append(row)
    # Stable sort: equally frequent texts keep the rows' order (newest first from the query).
    keys = sorted(groups, key=lambda key: -len(groups[key]))
    members: list[list[UnansweredRow]] = []
    for key, owner in zip(keys, _leaders(keys, threshold), strict=True):
        if owner == len(members):
            members.append([])
        members[owner].extend(groups[key])
    return sorted((_summarise(group) for group in members), key=lambda c: -c.size)


def _key(row: UnansweredRow) -> str:
    words = (row.normalized or default_process(row.text_redacted)).split()
    content = [word for word in words if word not in FILLER]
    return " ".join(content or words)


def _leaders(keys: Sequence[str], threshold: float) -> list[int]:
    """For each key in order, the number of its group; a new group is numbered next."""
    greedy = _Greedy(keys, threshold)
    owners: list[int] = []
    for start in range(0, len(keys), CHUNK):
        owners.extend(greedy.assign(np.arange(start, min(start + CHUNK, len(keys)))))
    return owners


class _Greedy:
    """Leader clustering over keys referred to by index, a chunk at a time."""

    def __init__(self, keys: Sequence[str], threshold: float) -> None:
        self._keys = np.array(keys, dtype=object)
        # ratio() of word-sorted texts is token_sort_ratio, but cdist runs plain ratio with
        # SIMD: about 10 ns a pair against 1 µs for token_set_ratio.
        self._sorted = np.array([" ".join(sorted(key.split())) for key in keys], dtype=object)
        self._threshold = threshold
        self.leaders: list[int] = []

    def assign(self, chunk: Indices) -> list[int]:
        """Groups for a chunk, exactly as one key at a time would give; adds its leaders."""
        base = len(self.leaders)
        known_owner, known_score = _best(self._similarity(chunk, np.array(self.leaders, np.intp)))
        # Only keys no earlier leader accepts can become leaders, so only those are scored
        # against the rest of the chunk.
        open_rows = np.flatnonzero(known_score == 0)
        fresh = self._similarity(chunk, chunk[open_rows])
        column = {int(row): col for col, row in enumerate(open_rows)}
        new_cols: list[int] = []  # columns of `fresh` whose key became a leader, in order
        owners: list[int] = []
        for i, key in enumerate(chunk):
            owner, score = int(known_owner[i]), float(known_score[i])
            if new_cols:
                scores = fresh[i, new_cols]
                best = int(scores.argmax())
                if scores[best] > score:  # ties go to the older, bigger group
                    owner, score = base + best, float(scores[best])
            if score == 0:
                owner = len(self.leaders)
                self.leaders.append(int(key))
                new_cols.append(column[i])
            owners.append(owner)
        return owners

    def _similarity(self, rows: Indices, cols: Indices) -> Scores:
        """token_set_ratio where it reaches the threshold and the guard passes, else 0."""
        scores = np.zeros((len(rows), len(cols)), np.float32)
        if not len(rows) or not len(cols):
            return scores
        guard = process.cdist(
            self._sorted[rows],
            self._sorted[cols],
            scorer=fuzz.ratio,
            score_cutoff=GUARD,
            dtype=np.uint8,
            workers=-1,
        )
        # The guard passes few pairs, so the costly scorer runs on those only, pairwise.
        hit_rows, hit_cols = np.nonzero(guard)
        scores[hit_rows, hit_cols] = process.cpdist(
            self._keys[rows[hit_rows]],
            self._keys[cols[hit_cols]],
            scorer=fuzz.token_set_ratio,
            score_cutoff=self._threshold,
            dtype=np.float32,
            workers=-1,
        )
        return scores


def _best(scores: Scores) -> tuple[Indices, Scores]:
    """Per row: the first column with the highest score, and that score (0: none)."""
    if scores.shape[1] == 0:
        return np.zeros(scores.shape[0], np.intp), np.zeros(scores.shape[0], np.float32)
    return scores.argmax(axis=1), scores.max(axis=1)


def _summarise(rows: Sequence[UnansweredRow]) -> Cluster:
    examples = _most_common((row.text_redacted for row in rows), 3)
    nearest = _most_common((row.top_candidate for row in rows if row.top_candidate), 3)
    return Cluster(
        size=len(rows),
        example=examples[0],
        examples=examples,
        first_seen=min(row.created_at for row in rows),
        last_seen=max(row.created_at for row in rows),
        nearest=nearest,
        office_id=offices.pop() if len(offices := {row.office_id for row in rows}) == 1 else None,
    )


def _most_common(texts: Iterable[str], count: int) -> tuple[str, ...]:
    """The most frequent texts, ignoring case and spacing; each in its first spelling."""
    spelling: dict[str, str] = {}
    counts: Counter[str] = Counter()
    for text in texts:
        folded = " ".join(text.casefold().split())
        spelling.setdefault(folded, text)
        counts[folded] += 1
    return tuple(spelling[folded] for folded, _ in counts.most_common(count))
