"""The channels this bot runs: the one list the root reads them from.

A new channel is its package under `bot/channels/` (exporting a `Channel` as `CHANNEL`, see
`bot.channels.contract`) and its line here. Settings read each listed channel's section,
`serve` mounts their routes, masks their secrets and refuses to start half configured; the
terminal chat is not listed: it is no remote channel and has no settings.
"""

from __future__ import annotations

from typing import Any

from bot.channels.contract import Channel
from bot.channels.instagram import entry as instagram
from bot.channels.telegram import entry as telegram
from bot.channels.whatsapp import entry as whatsapp

CHANNELS: tuple[Channel[Any], ...] = (
    telegram.CHANNEL,
    whatsapp.CHANNEL,
    instagram.CHANNEL,
)
