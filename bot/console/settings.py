"""What the console is handed by the runtime: a slice of `Settings` and its own secret."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from bot.core.secret import Secret

SESSION_HOURS = 8.0  # a working day; then the admin logs in again


@dataclass(frozen=True, slots=True)
class ConsoleSettings:
    """The knowledge base it edits, where it keeps history, and its session key."""

    faq_path: Path
    history_dir: Path  # previous versions of faq.yaml, for undo
    session_key: Secret
    zone: dt.tzinfo
    remind_after: dt.timedelta = dt.timedelta(minutes=30)
    min_people: int = 3  # learning's bar, as `kb drafts`
    session_hours: float = SESSION_HOURS
    agent: bool = True  # previews show 🙋 Tanya petugas where the entry has it
    max_failures: dict[str, int] = field(default_factory=lambda: {"name": 5, "client": 20})
