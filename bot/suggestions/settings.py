"""What `kb suggest` needs from the settings, handed in by the composition root
(`bot.runtime.app.feature_settings`) so that suggestions never read them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from knowledge.policy import Thresholds


@dataclass(frozen=True, slots=True)
class SuggestSettings:
    """The knowledge base to propose for, the office's time zone and the match thresholds."""

    faq_path: Path
    zone: dt.tzinfo
    thresholds: Thresholds
