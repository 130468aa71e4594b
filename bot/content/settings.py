"""What the content kit is handed by the runtime: a slice of the settings, and the week asked
for on the command line or in the console."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from bot.content.palette import Palette

POSTS = 3  # a small office can post three times a week


@dataclass(frozen=True, slots=True)
class Look:
    """The office's look, from the environment: colours, logo file, hashtags (empty: the
    office's name as a tag)."""

    palette: Palette = field(default_factory=Palette)
    logo: Path | None = None
    hashtags: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ContentSettings:
    """The knowledge base, the office's time zone and ticket reminder (for the report's
    figures), and the office's look."""

    faq_path: Path
    zone: dt.tzinfo
    remind_after: dt.timedelta = dt.timedelta(minutes=30)
    look: Look = field(default_factory=Look)


@dataclass(frozen=True, slots=True)
class Week:
    """The seven local days ending `last_day` are read; the posts are planned for `planned`
    (an entry no longer valid then is left out); `count` posts are made."""

    last_day: dt.date
    planned: dt.date
    count: int = POSTS
