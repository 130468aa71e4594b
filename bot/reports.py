"""The admins' reports: /statistik, /teratas and /belum_terjawab.

Pure: figures come in (from `bot.storage.report_queries`), plain Indonesian text goes out.
No SQL and no transport here, so the texts are tested without a database or Telegram.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np
import numpy.typing as npt
from rapidfuzz import fuzz, process
from rapidfuzz.utils import default_process

from bot.storage.report_queries import Activity, EntryCount, UnansweredRow
from knowledge.text import LIGHT_WORDS

# Words that open almost every question to this bot: two texts sharing only these are not
# alike, so they are left out when comparing ("cara bayar paspor" vs "cara daftar paspor").
FILLER = LIGHT_WORDS | {"bagaimana", "cara", "kenapa", "mengapa", "apakah", "bisa", "paspor"}
# token_set_ratio scores 100 whenever one text's words are a subset of the other's, so a
# one-word text would join any group containing that word. token_sort_ratio compares whole
# texts and stays low for such pairs ("oke" vs "oke terima kasih" = 32).
GUARD = 50.0
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


class ReportSource(Protocol):
    """The queries the reports read; `ReportQueries` is the real one."""

    async def activity(self, *, since: dt.datetime, until: dt.datetime) -> Activity: ...

    async def top_entries(
        self, *, since: dt.datetime, until: dt.datetime, limit: int = 10
    ) -> list[EntryCount]: ...

    async def unanswered(
        self, *, since: dt.datetime, until: dt.datetime, limit: int = 2000
    ) -> list[UnansweredRow]: ...


def cluster(rows: Sequence[UnansweredRow], *, threshold: float = 70.0) -> list[Cluster]:
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


def render_statistics(today: Activity, week: Activity) -> str:
    """The /statistik text: today and the last 7 days side by side."""
    return "\n\n".join(
        ["Statistik Tanya Paspor", _period("Hari ini", today), _period("7 hari terakhir", week)]
    )


def _period(title: str, activity: Activity) -> str:
    total = activity.questions
    return "\n".join(
        [
            f"{title}:",
            f"Pertanyaan: {_number(total)}",
            f"- terjawab: {_share(activity.answered, total)}",
            f"- perlu pilihan: {_share(activity.clarified, total)}",
            f"- tidak dikenali: {_share(activity.fallback, total)}",
            f"Umpan balik: 👍 {_number(activity.helpful)} · 👎 {_number(activity.unhelpful)}",
            f"Tiket: {_number(activity.tickets_opened)} dibuka,"
            f" {_number(activity.tickets_answered)} dijawab petugas",
            f"Median balasan pertama petugas: {_minutes(activity.median_first_reply)}",
        ]
    )


def render_top(
    entries: Sequence[EntryCount], titles: Mapping[str, str], *, days: int = PERIOD_DAYS
) -> str:
    """The /teratas text: the most answered entries with their feedback."""
    if not entries:
        return f"Belum ada pertanyaan yang terjawab dalam {days} hari terakhir."
    lines = [f"Entri yang paling sering dijawab ({days} hari terakhir):"]
    for rank, entry in enumerate(entries, start=1):
        title = titles.get(entry.faq_id)
        name = f"{title} ({entry.faq_id})" if title else entry.faq_id
        lines.append(
            f"{rank}. {name}: {_number(entry.asked)} kali"
            f" · 👍 {_number(entry.helpful)} · 👎 {_number(entry.unhelpful)}"
        )
    return "\n".join(lines)


def render_unanswered(
    clusters: Sequence[Cluster], *, limit: int = 10, days: int = PERIOD_DAYS
) -> str:
    """The /belum_terjawab text: the biggest groups of unanswered questions."""
    if not clusters:
        return f"Tidak ada pertanyaan yang belum terjawab dalam {days} hari terakhir."
    total = sum(group.size for group in clusters)
    lines = [
        f"Pertanyaan belum terjawab ({days} hari terakhir): {_number(total)} pertanyaan"
        f" dalam {_number(len(clusters))} kelompok.",
        f"{min(limit, len(clusters))} kelompok terbesar:",
    ]
    for rank, group in enumerate(clusters[:limit], start=1):
        lines.append(f"\n{rank}. {_number(group.size)}× {_quote(group.example)}")
        others = group.examples[1:]
        if others:
            lines.append("   contoh lain: " + "; ".join(_quote(text) for text in others))
        if group.nearest:
            lines.append("   entri terdekat: " + ", ".join(group.nearest))
    return "\n".join(lines)


def _quote(text: str) -> str:
    short = text if len(text) <= EXAMPLE_CHARS else text[: EXAMPLE_CHARS - 1].rstrip() + "…"
    return f"“{short}”"


def _number(value: int) -> str:
    return f"{value:,}".replace(",", ".")  # Indonesian groups thousands with a dot


def _share(count: int, total: int) -> str:
    percent = f"{round(100 * count / total)}%" if total else "-"
    return f"{_number(count)} ({percent})"


def _minutes(value: float | None) -> str:
    if value is None:
        return "-"
    # Whole minutes are precise enough from 10 up; below that a decimal comma keeps 2,5.
    shown = f"{value:.0f}" if value >= 10 else f"{value:.1f}".replace(".", ",")
    return f"{shown} menit"


async def statistics_text(source: ReportSource, *, now: dt.datetime, zone: dt.tzinfo) -> str:
    """/statistik: today is since local midnight in `zone`, the week the last 7 days."""
    midnight = now.astimezone(zone).replace(hour=0, minute=0, second=0, microsecond=0)
    today = await source.activity(since=midnight, until=now)
    week = await source.activity(since=now - dt.timedelta(days=7), until=now)
    return render_statistics(today, week)


async def top_text(source: ReportSource, titles: Mapping[str, str], *, now: dt.datetime) -> str:
    """/teratas: the most answered entries of the last 30 days."""
    since = now - dt.timedelta(days=PERIOD_DAYS)
    return render_top(await source.top_entries(since=since, until=now), titles)


async def unanswered_text(source: ReportSource, *, now: dt.datetime) -> str:
    """/belum_terjawab: the biggest groups of unanswered questions of the last 30 days."""
    since = now - dt.timedelta(days=PERIOD_DAYS)
    rows = await source.unanswered(since=since, until=now, limit=MAX_UNANSWERED)
    # Clustering thousands of rows takes a moment of CPU; off the event loop it does not
    # stall the bot's other chats (rapidfuzz releases the GIL in cdist).
    clusters = await asyncio.to_thread(cluster, rows)
    text = render_unanswered(clusters)
    if len(rows) == MAX_UNANSWERED:
        text += f"\n\n(Hanya {_number(MAX_UNANSWERED)} pertanyaan terbaru yang dikelompokkan.)"
    return text
