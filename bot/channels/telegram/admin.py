"""Admin commands on Telegram: statistics, top questions, unanswered groups (per office or
combined), KB reload and the outage notice (national: admins of every office only)."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Awaitable, Callable, Sequence
from functools import partial

from telegram import Bot, Message, Update
from telegram.error import TelegramError
from telegram.ext import CommandHandler, ContextTypes

from bot.channels.telegram import staff_text
from bot.channels.telegram.admin_access import AdminAccess, Refusal
from bot.channels.telegram.channel import Handler, TelegramApp, with_retry
from bot.channels.telegram.render import split
from bot.core.errors import DeliveryError
from bot.core.hours import OfficeHours
from bot.core.notices import OutageBoard
from bot.reporting import admin_text
from bot.reporting.offices import ReportScope, compare, comparison_lines
from bot.storage.report_queries import ReportQueries
from knowledge.errors import KnowledgeError
from knowledge.matcher import Matcher

logger = logging.getLogger(__name__)

Reload = Callable[[], Matcher]
Produce = Callable[[str | None], Awaitable[str]]


class AdminHandlers:
    """Admin commands: figures for the admin's office (an admin of every office may name one,
    or gets all combined), and the national commands for admins of every office only."""

    def __init__(
        self,
        access: AdminAccess,
        queries: ReportQueries,
        *,
        reload: Reload,
        titles: Callable[[], dict[str, str]],
        hours: OfficeHours,
        outage: OutageBoard | None = None,
    ) -> None:
        self._access = access
        self._outage = outage
        self._queries = queries
        self._reload = reload
        self._titles = titles
        self._zone = hours.zone

    def register(self, application: TelegramApp) -> None:
        """Add the admin commands."""
        figures: dict[str, Produce] = {
            "statistik": self._statistics,
            "teratas": self._top,
            "belum_terjawab": self._unanswered,
        }
        for name, produce in figures.items():
            application.add_handler(CommandHandler(name, self._scoped(name, produce)))
        # These change what every office shares: the knowledge base, the app-outage notice.
        national: dict[str, Callable[[str], Awaitable[str]]] = {
            "muat_ulang": lambda _: self._reload_text(),
            "gangguan": self._outage_text,
        }
        for name, change in national.items():
            application.add_handler(CommandHandler(name, self._national(name, change)))

    def _scoped(self, name: str, produce: Produce) -> Handler:
        async def handler(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
            message, user = update.effective_message, update.effective_user
            if message is None or user is None:
                return
            admitted = await self._access.admit(message, user, name)
            if admitted is None:
                return
            office = self._access.office_asked(admitted, _argument(message))
            reply = office.text if isinstance(office, Refusal) else await produce(office)
            await _reply(message, reply)

        return handler

    def _national(self, name: str, change: Callable[[str], Awaitable[str]]) -> Handler:
        async def handler(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
            message, user = update.effective_message, update.effective_user
            if message is None or user is None:
                return
            if await self._access.admit_national(message, user, name):
                await _reply(message, await change(_argument(message)))

        return handler

    async def _statistics(self, office: str | None) -> str:
        now, queries = _now(), self._queries.for_office(office)
        found = await admin_text.statistics_text(queries, now=now, zone=self._zone)
        if office is not None:
            return f"{self._access.name(office)}\n{found}"
        scope = ReportScope(None, self._access.names, self._queries.offices)
        rows = await compare(scope, since=now - dt.timedelta(days=7), until=now)
        return "\n".join([found, *comparison_lines(rows, heading="Per kantor, 7 hari terakhir:")])

    async def _top(self, office: str | None) -> str:
        queries = self._queries.for_office(office)
        found = await admin_text.top_text(queries, self._titles(), now=_now())
        return found if office is None else f"{self._access.name(office)}\n{found}"

    async def _unanswered(self, office: str | None) -> str:
        found = await admin_text.unanswered_text(self._queries.for_office(office), now=_now())
        return found if office is None else f"{self._access.name(office)}\n{found}"

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


def _argument(message: Message) -> str:
    return (message.text or "").partition(" ")[2].strip()


async def _reply(message: Message, text: str) -> None:
    for part in split(text):
        await with_retry(partial(message.reply_text, part))


async def tell_admins(bot: Bot, chat_id: int, message: str) -> None:
    """Send an alert to the admin chat (plain text, split if long)."""
    for part in split(message):
        await with_retry(partial(bot.send_message, chat_id, part))


async def tell_each(bot: Bot, chat_ids: Sequence[int], message: str) -> None:
    """Send to each chat (an office's admins, privately); one who never opened the bot does
    not stop the rest, but when none could be reached the caller hears of it."""
    failures = 0
    for chat_id in chat_ids:
        try:
            await tell_admins(bot, chat_id, message)
        except TelegramError:
            failures += 1
            logger.warning("an office admin could not be sent a message", exc_info=True)
    if chat_ids and failures == len(chat_ids):
        raise DeliveryError("no admin of the office could be reached")


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)
