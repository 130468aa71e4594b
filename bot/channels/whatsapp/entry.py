"""WhatsApp's entry in the root's channel list: its settings section and how it is built."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from bot.channels.contract import ChannelParts, PurgeStep, RunningChannel
from bot.channels.whatsapp.settings import WhatsAppSettings

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncEngine


class WhatsAppChannel:
    """`Channel` for the WhatsApp Cloud API."""

    name = "whatsapp"
    enabled_by = "the WHATSAPP_* settings"

    def from_env(self, env: Mapping[str, str]) -> WhatsAppSettings:
        """Read the WHATSAPP_* variables."""
        return WhatsAppSettings.from_env(env)

    def build(self, settings: WhatsAppSettings, parts: ChannelParts) -> RunningChannel:
        """The channel on the shared engine, registered with the pipeline and registries."""
        # Imported here: every command reads the settings, and only the processes that run
        # channels should pay for importing aiohttp and the web stack.
        from bot.channels.whatsapp.running import build

        return build(settings, parts)

    def retention(self, now: dt.datetime, cutoff: dt.datetime) -> Sequence[PurgeStep]:
        """Nothing of its own: its statuses and contact windows are storage's tables."""
        return ()

    def post_source(self, engine: AsyncEngine) -> None:
        """No posts: the report has no per-post section for it."""
        return


CHANNEL = WhatsAppChannel()
