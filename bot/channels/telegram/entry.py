"""Telegram's entry in the root's channel list: its settings section. Telegram is built by
the root itself (`bot.runtime.app.telegram_wiring`): it is also the officers' and admins' room,
which the core needs before any channel is built."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from bot.channels.contract import ChannelParts, PurgeStep, RunningChannel
from bot.channels.telegram.settings import TelegramSettings

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncEngine


class TelegramChannel:
    """`Channel` for Telegram."""

    name = "telegram"
    enabled_by = "TELEGRAM_BOT_TOKEN"

    def from_env(self, env: Mapping[str, str]) -> TelegramSettings:
        """Read the TELEGRAM_* variables."""
        return TelegramSettings.from_env(env)

    def build(self, settings: TelegramSettings, parts: ChannelParts) -> RunningChannel | None:
        """None: the root wires Telegram (see the module docstring)."""
        return None

    def retention(self, now: dt.datetime, cutoff: dt.datetime) -> Sequence[PurgeStep]:
        """Nothing of its own to purge: no table of its own."""
        return ()

    def post_source(self, engine: AsyncEngine) -> None:
        """No posts: the report has no per-post section for it."""
        return


CHANNEL = TelegramChannel()
