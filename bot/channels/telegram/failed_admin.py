"""/gagal_kirim for admins on Telegram: messages that did not reach the applicant, on every
channel that records them (`FailedSource`; WhatsApp: Meta's "failed" status callbacks, sends
the Graph API refused or the 24-hour rule stopped). Admins see how many in the last seven
days and the latest reasons, one part per channel.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from functools import partial

from telegram import Update
from telegram.ext import CommandHandler, ContextTypes

from bot.channels.contract import FailedDelivery, FailedSource
from bot.channels.telegram.admin_access import AdminAccess
from bot.channels.telegram.channel import TelegramApp, with_retry
from bot.channels.telegram.render import split

COMMAND = "gagal_kirim"
DAYS = 7
SHOWN = 10


class FailedDeliveries:
    """The admin command, for admins of every office: failed sends are not kept per office.
    Anyone else is refused, as with the other admin commands."""

    def __init__(
        self, access: AdminAccess, sources: Sequence[FailedSource], *, zone: dt.tzinfo
    ) -> None:
        self._access = access
        self._sources = sources
        self._zone = zone

    def register(self, application: TelegramApp) -> None:
        """Add /gagal_kirim (before the applicants' catch-all)."""
        application.add_handler(CommandHandler(COMMAND, self.failed))

    async def failed(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Reply with each channel's failed deliveries of the last seven days."""
        message, user = update.effective_message, update.effective_user
        if message is None or user is None:
            return
        if not await self._access.admit_national(message, user, COMMAND):
            return
        since = dt.datetime.now(dt.UTC) - dt.timedelta(days=DAYS)
        for source in self._sources:
            total = await source.count_failed_since(since)
            latest = await source.failed_since(since, limit=SHOWN)
            text = failed_text(source.label, total, latest, zone=self._zone)
            for part in split(text):
                await with_retry(partial(message.reply_text, part))


def failed_text(
    label: str, total: int, latest: Sequence[FailedDelivery], *, zone: dt.tzinfo
) -> str:
    """The admin's summary: a count, then the newest failures with their reasons."""
    if not total:
        return f"{label}: tidak ada pesan yang gagal terkirim dalam {DAYS} hari terakhir. 👍"
    lines = [f"{label}: {total} pesan gagal terkirim dalam {DAYS} hari terakhir."]
    if total > len(latest):
        lines.append(f"{len(latest)} yang terbaru:")
    for delivery in latest:
        when = delivery.updated_at.astimezone(zone).strftime("%d/%m %H.%M")
        ticket = f"tiket #{delivery.ticket_id} · " if delivery.ticket_id else ""
        lines.append(f"• {when} · {ticket}{delivery.error or 'tanpa keterangan'}")
    return "\n".join(lines)
