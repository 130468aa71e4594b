"""The content kit's own error: words that break a slide's limits, an unusable input."""

from __future__ import annotations

from bot.core.errors import BotError


class ContentError(BotError):
    """Something the kit cannot use or draw; the message says which and why, in Indonesian."""
