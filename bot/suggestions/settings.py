"""What `kb suggest` needs from the settings, handed in by the composition root
(`bot.runtime.app.feature_settings`) so that suggestions never read them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from knowledge.policy import Thresholds


@dataclass(frozen=True, slots=True)
class SuggestSettings:
    """The knowledge base to propose for, the office's time zone, the match thresholds and
    how many people must confirm a wording before it is learned."""

    faq_path: Path
    zone: dt.tzinfo
    thresholds: Thresholds
    min_people: int = 3
