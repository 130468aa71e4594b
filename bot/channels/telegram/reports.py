"""/laporan on Telegram (admins only): a short summary and one chart of the last days; with a
channel with posts (Instagram), the posts whose comments asked the most and their topics."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Callable
from functools import partial

from telegram import Message, Update
from telegram.ext import CommandHandler, ContextTypes

from bot.channels.telegram.admin_access import AdminAccess, Refusal
from bot.channels.telegram.channel import TelegramApp, with_retry
from bot.channels.telegram.render import split
from bot.reporting.charts import outcomes_chart
from bot.reporting.command import OfficeReportSource, scope_of
from bot.reporting.summary import recent_report, summary_text
from bot.reporting.vocabulary import PostSource
from knowledge.entries import KnowledgeBase
from knowledge.policy import CHAT

COMMAND = "laporan"
DEFAULT_DAYS = 7
MAX_DAYS = 90
USAGE = (
    f"Cara pakai: /laporan [kantor] [jumlah hari, 1–{MAX_DAYS}]. Tanpa angka: {DEFAULT_DAYS}"
    " hari. Tanpa kantor: kantor Anda, atau semua kantor bagi admin semua kantor."
)
CAPTION = "Pertanyaan per hari menurut hasil jawaban bot."


class ReportHandlers:
    """The /laporan command: an office admin gets their office's report, an admin of every
    office the combined one with the comparison between offices, or one office's by naming
    it; anyone else is refused and the attempt logged (with the user's hash, never the id)."""

    def __init__(
        self,
        access: AdminAccess,
        source: OfficeReportSource,
        *,
        kb: Callable[[], KnowledgeBase],
        zone: dt.tzinfo,
        remind_after: dt.timedelta,
        posts: PostSource | None = None,
    ) -> None:
        self._access = access
        self._source = source
        self._kb = kb
        self._zone = zone
        self._remind_after = remind_after
        self._posts = posts  # the channel with posts this process runs (Instagram), if any

    def register(self, application: TelegramApp) -> None:
        """Add /laporan."""
        application.add_handler(CommandHandler(COMMAND, self.laporan))

    async def laporan(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Reply with the summary of the last days and one chart."""
        message, user = update.effective_message, update.effective_user
        if message is None or user is None:
            return
        admitted = await self._access.admit(message, user, COMMAND)
        if admitted is None:
            return
        words, days = _days(context.args or [])
        if days is None:
            await with_retry(lambda: message.reply_text(USAGE))
            return
        if words and not self._access.names:
            await with_retry(lambda: message.reply_text(USAGE))  # no offices to name
            return
        office = self._access.office_asked(admitted, " ".join(words))
        if isinstance(office, Refusal):
            await with_retry(partial(message.reply_text, office.text))
            return
        await self._reply(message, days, office)

    async def _reply(self, message: Message, days: int, office: str | None) -> None:
        kb = self._kb()
        report = await recent_report(
            self._source.for_office(office),
            days=days,
            now=dt.datetime.now(dt.UTC),
            zone=self._zone,
            remind_after=self._remind_after,
            titles={entry.id: entry.title for entry in kb.entries},
            small_talk={entry.id for entry in kb.entries if entry.category == CHAT},
            posts=self._posts,
            scope=scope_of(self._access.names, self._source, office),
        )
        heading = f"Laporan {days} hari terakhir"
        for part in split(summary_text(report, heading)):
            await with_retry(partial(message.reply_text, part))
        # Drawing takes a few hundred milliseconds of CPU: off the loop, other chats go on.
        chart = await asyncio.to_thread(outcomes_chart, report)
        await with_retry(partial(message.reply_photo, chart, caption=CAPTION))


def _days(args: list[str]) -> tuple[list[str], int | None]:
    """The office's words and the number of days asked for (last, if a number); None days
    when that number is out of range."""
    if not args or not args[-1].isdigit():
        return args, DEFAULT_DAYS
    days = int(args[-1])
    return args[:-1], days if 1 <= days <= MAX_DAYS else None
