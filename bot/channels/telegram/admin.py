"""Admin commands on Telegram: statistics, top questions, unanswered groups, KB reload."""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from functools import partial

from telegram import Bot, Update
from telegram.ext import CommandHandler, ContextTypes

from bot.channels.telegram import staff_text
from bot.channels.telegram.channel import Handler, TelegramApp, with_retry
from bot.channels.telegram.guard import refused
from bot.channels.telegram.render import split
from bot.core.hours import OfficeHours
from bot.core.notices import OutageBoard
from bot.reporting import admin_text
from bot.storage.report_queries import ReportQueries
from knowledge.errors import KnowledgeError
from knowledge.matcher import Matcher

Reload = Callable[[], Matcher]


class AdminHandlers:
    """Commands only the configured admin user ids may use; others are refused and logged."""

    def __init__(
        self,
        admin_ids: frozenset[int],
        queries: ReportQueries,
        *,
        reload: Reload,
        titles: Callable[[], dict[str, str]],
        hours: OfficeHours,
        hash_user: Callable[[str], str],
        outage: OutageBoard | None = None,
    ) -> None:
        self._outage = outage
        self._hash_user = hash_user
        self._admins = admin_ids
        self._queries = queries
        self._reload = reload
        self._titles = titles
        self._zone = hours.zone

    def register(self, application: TelegramApp) -> None:
        """Add the admin commands."""
        commands: dict[str, Callable[[str], Awaitable[str]]] = {
            "statistik": lambda _: self._statistics(),
            "teratas": lambda _: self._top(),
            "belum_terjawab": lambda _: self._unanswered(),
            "muat_ulang": lambda _: self._reload_text(),
            "gangguan": self._outage_text,
        }
        for name, produce in commands.items():
            application.add_handler(CommandHandler(name, self._guarded(name, produce)))

    def _guarded(self, name: str, produce: Callable[[str], Awaitable[str]]) -> Handler:
        async def handler(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
            message, user = update.effective_message, update.effective_user
            if message is None or user is None:
                return
            if await refused(message, user, self._admins, name, self._hash_user):
                return
            argument = (message.text or "").partition(" ")[2].strip()
            for part in split(await produce(argument)):
                await with_retry(partial(message.reply_text, part))

        return handler

    async def _statistics(self) -> str:
        return await admin_text.statistics_text(self._queries, now=_now(), zone=self._zone)

    async def _top(self) -> str:
        return await admin_text.top_text(self._queries, self._titles(), now=_now())

    async def _unanswered(self) -> str:
        return await admin_text.unanswered_text(self._queries, now=_now())

    async def _reload_text(self) -> str:
        try:
            matcher = self._reload()
        except KnowledgeError as exc:
            return staff_text.RELOAD_FAILED.format(error=str(exc)[:3000])
        return staff_text.RELOADED.format(
            count=len(matcher.kb.entries), version=matcher.kb.version
        )

    async def _outage_text(self, argument: str) -> str:
        """/gangguan TEKS pins the outage notice; /gangguan selesai removes it."""
        if self._outage is None:
            return staff_text.OUTAGE_UNAVAILABLE
        if not argument:
            current = await self._outage.outage()
            return staff_text.OUTAGE_USAGE + (f"\n\nSekarang: {current.text}" if current else "")
        if argument.casefold() == "selesai":
            cleared = await self._outage.clear()
            return staff_text.OUTAGE_CLEARED if cleared else staff_text.OUTAGE_NONE
        notice = await self._outage.pin(argument, "admin")
        return staff_text.OUTAGE_SET.format(text=notice.text)


async def tell_admins(bot: Bot, chat_id: int, message: str) -> None:
    """Send an alert to the admin chat (plain text, split if long)."""
    for part in split(message):
        await with_retry(partial(bot.send_message, chat_id, part))


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)
