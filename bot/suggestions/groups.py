"""The groups of unanswered questions `kb suggest` drafts new entries from, each with its
office: one office's when every question in it was asked at that office, else national."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from bot.reporting.clusters import Cluster, cluster
from bot.reporting.vocabulary import UnansweredRow
from bot.suggestions.vocabulary import Fallback

# `cluster` keeps no members, only the most common top candidates of each group (`nearest`,
# up to three). The planner does not read those, so each row's office takes their place: a
# group whose `nearest` is one tag was asked at one office only. The mark keeps "no office"
# a tag of its own (an empty candidate is not counted).
MARK = "@"


def grouped(rows: Sequence[UnansweredRow]) -> list[tuple[Cluster, str | None]]:
    """The groups, biggest first, each with its office (None: several, or none)."""
    tagged = [dataclasses.replace(row, top_candidate=MARK + (_office(row) or "")) for row in rows]
    return [(group, _shared(group)) for group in cluster(tagged)]


def _office(row: UnansweredRow) -> str | None:
    return row.office_id if isinstance(row, Fallback) else None


def _shared(group: Cluster) -> str | None:
    if len(group.nearest) != 1:
        return None
    return group.nearest[0].removeprefix(MARK) or None
