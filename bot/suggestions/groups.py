"""The groups of unanswered questions `kb suggest` drafts new entries from, each with its
office: one office's when every question in it was asked at that office, else national."""

from __future__ import annotations

from collections.abc import Sequence

from bot.reporting.clusters import Cluster, cluster
from bot.reporting.vocabulary import UnansweredRow


def grouped(rows: Sequence[UnansweredRow]) -> list[tuple[Cluster, str | None]]:
    """The groups, biggest first, each with its office (None: several, or none)."""
    return [(group, group.office_id) for group in cluster(rows)]
