"""What the report command and the weekly digest need from the settings, handed in by the
composition root (`bot.runtime.app.feature_settings`) so that reporting never reads them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class ReportSettings:
    """The knowledge base (for entry titles), the office's time zone, when an unanswered ticket
    counts as late, and when the weekly digest is due ("mon 08:00")."""

    faq_path: Path
    zone: dt.tzinfo
    remind_after: dt.timedelta
    digest_at: str
