"""The content plan: topics for the next social-media posts, each with a one-line reason.

The office's content SOP is built on how often people ask, what they think of the answers and
how clear they are: so the busiest topics come first, and among them the ones whose answers get
👎 or that the bot often does not recognise; big groups of unanswered questions are topics the
FAQ does not cover yet.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence

from bot.reporting.clusters import Cluster
from bot.reporting.figures import EntryFigures, Idea
from bot.reporting.text import number, percent, quote

PLAN_SIZE = 5
BUSIEST = 10  # only the busiest topics are candidates: a post should reach many people
MAX_NEW_TOPICS = 2
MIN_CLUSTER = 3
# Below this share of 👎 or of unrecognised questions a topic is simply popular.
TROUBLE = 0.15


def content_plan(
    entries: Sequence[EntryFigures],
    clusters: Sequence[Cluster],
    *,
    skip: Collection[str] = frozenset(),
) -> tuple[Idea, ...]:
    """Up to `PLAN_SIZE` ideas, most pressing first; entries in `skip` (small talk such as
    greetings) are never topics."""
    topics = [e for e in entries if e.faq_id not in skip]
    busiest = sorted(topics, key=lambda e: (-e.questions, e.faq_id))[:BUSIEST]
    wording = _wordings(clusters)
    scored = [(_weight(e.questions, _trouble(e)), _entry_idea(e, wording)) for e in busiest]
    # A group whose nearest entry is already a candidate is that entry's trouble, not a
    # topic of its own: it shows up there as the wording people use.
    covered = {e.faq_id for e in busiest}
    new_topics = [
        c for c in clusters if c.size >= MIN_CLUSTER and not set(c.nearest[:1]) & covered
    ][:MAX_NEW_TOPICS]
    # Nothing answers a new topic at all: it weighs as much as the worst existing answer.
    scored += [(_weight(c.size, 1.0), _cluster_idea(c)) for c in new_topics]
    scored.sort(key=lambda pair: (-pair[0], pair[1].topic))
    return tuple(idea for _, idea in scored[:PLAN_SIZE])


def _wordings(clusters: Sequence[Cluster]) -> dict[str, str]:
    """For each entry, the most common wording of the biggest group nearest to it."""
    found: dict[str, str] = {}
    for group in clusters:  # biggest first
        if group.nearest:
            found.setdefault(group.nearest[0], group.example)
    return found


def _weight(questions: int, trouble: float) -> float:
    # A topic asked twice as often with half the trouble ranks about the same.
    return questions * (0.5 + trouble)


def _trouble(entry: EntryFigures) -> float:
    return max(entry.unhelpful_share or 0.0, _unclear(entry))


def _unclear(entry: EntryFigures) -> float:
    return (entry.clarified + entry.fallback) / entry.questions if entry.questions else 0.0


def _entry_idea(entry: EntryFigures, wording: Mapping[str, str]) -> Idea:
    asked = f"{number(entry.questions)} pertanyaan"
    down, unclear = entry.unhelpful_share or 0.0, _unclear(entry)
    if max(down, unclear) < TROUBLE:
        reason = f"{asked}, salah satu topik paling sering ditanyakan: ingatkan lagi jawabannya."
    elif down >= unclear:
        reason = (
            f"{asked}; {percent(down)} penilaian 👎 ({number(entry.unhelpful)} dari"
            f" {number(entry.votes)}): jelaskan ulang dengan bahasa yang lebih sederhana."
        )
    else:
        example = wording.get(entry.faq_id)
        said = f", misalnya {quote(example, 60)}" if example else ""
        reason = (
            f"{asked}; {percent(unclear)} tidak langsung dikenali bot{said}:"
            " pakai kata-kata yang dipakai pemohon."
        )
    return Idea(entry.title, entry.questions, reason, entry.faq_id)


def _cluster_idea(cluster: Cluster) -> Idea:
    reason = (
        f"{number(cluster.size)} pertanyaan belum terjawab, misalnya {quote(cluster.example)}:"
        " belum ada jawabannya di FAQ."
    )
    return Idea(quote(cluster.example), cluster.size, reason)
