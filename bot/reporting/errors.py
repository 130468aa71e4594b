"""The report's own error: a bad command-line input (a date, the applicants CSV)."""

from __future__ import annotations

from bot.core.errors import BotError


class ReportInputError(BotError):
    """An input the report cannot use; the message says which and why, in Indonesian."""
