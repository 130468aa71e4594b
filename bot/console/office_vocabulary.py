"""The console's view of many offices (issue 21): each office's figures for the Kantor page
and an office's Ringkasan, and its unanswered questions; `bot.storage.console_offices` is the
real source, the runtime adds the directory's names."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

from bot.reporting.vocabulary import UnansweredRow


@dataclass(frozen=True, slots=True)
class OfficeFigures:
    """One office's applicant messages in a period (`office` None: logged without an
    office), how many were answered outright or not (fallback or "Maksud Anda…?"), the
    tickets opened, and the 👍/👎 on its answers."""

    office: str | None
    questions: int
    answered: int
    unanswered: int
    tickets: int
    helpful: int
    unhelpful: int


class UnansweredSource(Protocol):
    """The unanswered questions of a period, newest first (Belum terjawab)."""

    async def unanswered(
        self, *, since: dt.datetime, until: dt.datetime, limit: int = 2000
    ) -> list[UnansweredRow]: ...


class Offices(Protocol):
    """The offices served (id → name, in the directory's order; empty without offices.yaml)
    and the figures that compare them."""

    def names(self) -> Mapping[str, str]: ...

    async def figures(
        self, since: dt.datetime, until: dt.datetime, *, office: str | None = None
    ) -> list[OfficeFigures]:
        """Every office's figures of the period (only `office`'s when given)."""
        ...

    def unanswered_at(self, office: str) -> UnansweredSource:
        """Belum terjawab of the questions asked at `office`."""
        ...
