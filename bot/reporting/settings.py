"""What the report command and the weekly digest need from the settings, handed in by the
composition root (`bot.runtime.app.feature_settings`) so that reporting never reads them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True, slots=True)
class ReportSettings:
    """The knowledge base (for entry titles), the office's time zone, when an unanswered ticket
    counts as late, when the weekly digest is due ("mon 08:00"), and the offices served
    (id → short name; empty when there is no office directory)."""

    faq_path: Path
    zone: dt.tzinfo
    remind_after: dt.timedelta
    digest_at: str
    offices: Mapping[str, str] = field(default_factory=dict)
