"""/laporan on Telegram (admins only): a short summary and one chart of the last days; with a
channel with posts (Instagram), the posts whose comments asked the most and their topics."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Callable
from functools import partial

from telegram import Message, Update
from telegram.ext import CommandHandler, ContextTypes

from bot.channels.telegram.channel import TelegramApp, with_retry
from bot.channels.telegram.guard import refused
from bot.channels.telegram.render import split
from bot.reporting.charts import outcomes_chart
from bot.reporting.collect import FullReportSource
from bot.reporting.summary import recent_report, summary_text
from bot.reporting.vocabulary import PostSource
from knowledge.entries import KnowledgeBase
from knowledge.policy import CHAT

COMMAND = "laporan"
DEFAULT_DAYS = 7
MAX_DAYS = 90
USAGE = f"Cara pakai: /laporan [jumlah hari, 1–{MAX_DAYS}]. Tanpa angka: {DEFAULT_DAYS} hari."
CAPTION = "Pertanyaan per hari menurut hasil jawaban bot."


class ReportHandlers:
    """The /laporan command; anyone not in `admin_ids` is refused, as for the other admin
    commands, and the attempt is logged (with the user's hash, never the id)."""

    def __init__(
        self,
        admin_ids: frozenset[int],
        source: FullReportSource,
        *,
        kb: Callable[[], KnowledgeBase],
        zone: dt.tzinfo,
        remind_after: dt.timedelta,
        hash_user: Callable[[str], str],
        posts: PostSource | None = None,
    ) -> None:
        self._admins = admin_ids
        self._source = source
        self._kb = kb
        self._zone = zone
        self._remind_after = remind_after
        self._hash_user = hash_user
        self._posts = posts  # the channel with posts this process runs (Instagram), if any

    def register(self, application: TelegramApp) -> None:
        """Add /laporan."""
        application.add_handler(CommandHandler(COMMAND, self.laporan))

    async def laporan(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Reply with the summary of the last days and one chart."""
        message, user = update.effective_message, update.effective_user
        if message is None or user is None:
            return
        if await refused(message, user, self._admins, COMMAND, self._hash_user):
            return
        days = _days(context.args or [])
        if days is None:
            await with_retry(lambda: message.reply_text(USAGE))
            return
        await self._reply(message, days)

    async def _reply(self, message: Message, days: int) -> None:
        kb = self._kb()
        report = await recent_report(
            self._source,
            days=days,
            now=dt.datetime.now(dt.UTC),
            zone=self._zone,
            remind_after=self._remind_after,
            titles={entry.id: entry.title for entry in kb.entries},
            small_talk={entry.id for entry in kb.entries if entry.category == CHAT},
            posts=self._posts,
        )
        heading = f"Laporan {days} hari terakhir"
        for part in split(summary_text(report, heading)):
            await with_retry(partial(message.reply_text, part))
        # Drawing takes a few hundred milliseconds of CPU: off the loop, other chats go on.
        chart = await asyncio.to_thread(outcomes_chart, report)
        await with_retry(partial(message.reply_photo, chart, caption=CAPTION))


def _days(args: list[str]) -> int | None:
    """The number of days asked for; None when the argument is not a number in range."""
    if not args:
        return DEFAULT_DAYS
    if len(args) == 1 and args[0].isdigit() and 1 <= int(args[0]) <= MAX_DAYS:
        return int(args[0])
    return None
