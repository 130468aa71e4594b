"""Telegram on the durable pipeline: updates are fetched (or received) into the inbox before
Telegram is told they arrived, handled through PTB's handlers, and replies sent from the outbox.

PTB's own Updater confirms updates to Telegram (the next getUpdates offset) before our handlers
finish, so a crash would lose them: `Poller` drives getUpdates itself and moves the offset only
past updates that are stored (or, with the database down, answered).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from typing import Any

from telegram import Update
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError

from bot.channels.telegram.bot import TelegramBot
from bot.channels.telegram.channel import CHANNEL, TelegramApp
from bot.channels.telegram.limiter import ChatLimited
from bot.channels.telegram.render import rendered
from bot.delivery.intake import Intake
from bot.delivery.outgoing import collecting
from bot.delivery.sending import Backoff, SendDeferred, SendFailure
from bot.delivery.vocabulary import InboxUpdate, Outgoing

logger = logging.getLogger(__name__)

POLL_SECONDS = 10
# The longest a reply part waits for its turn (a busy group's 20 a minute): well under the
# outbox lease (60 s), so a reply is never held past its lease and then sent twice.
MAX_TURN_WAIT = 10.0


def stored(update: Update, raw: dict[str, Any] | None = None) -> InboxUpdate:
    """An update as the inbox keeps it: keyed by update id, grouped by chat. `raw`: the JSON
    it was parsed from, kept as it came (no `to_dict` again); the parsed update rides along
    (in this process only) so that handling it at once does not parse it again."""
    chat, user = update.effective_chat or update.effective_user, update.effective_user
    chat_id = str(chat.id) if chat is not None else "0"
    payload = raw if raw is not None else update.to_dict()
    key, sender = f"{CHANNEL}:{update.update_id}", str(user.id) if user is not None else None
    return InboxUpdate(key, CHANNEL, chat_id, payload, parsed=update, sender=sender)


class TelegramHandler:
    """Runs a stored update through the PTB handlers and collects the replies they make."""

    def __init__(self, application: TelegramApp) -> None:
        self._application = application

    async def __call__(self, update: InboxUpdate) -> list[Outgoing]:
        parsed = update.parsed
        if not isinstance(parsed, Update):  # claimed from the database: parse the payload
            parsed = Update.de_json(update.payload, self._application.bot)
        with collecting() as replies:
            await self._application.process_update(parsed)
        return replies


class TelegramTransport:
    """Sends outbox replies with the Bot API; tells transient failures from permanent ones."""

    channel = CHANNEL

    def __init__(self, application: TelegramApp, *, max_turn_wait: float = MAX_TURN_WAIT) -> None:
        if not isinstance(application.bot, TelegramBot):
            raise TypeError("the application's bot must be a TelegramBot (build_application)")
        self._application = application
        self._bot: TelegramBot = application.bot
        self._max_turn_wait = max_turn_wait

    def parts(self, outgoing: Outgoing) -> int:
        return len(rendered(outgoing.reply))

    async def send_part(self, outgoing: Outgoing, index: int) -> None:
        """Telegram's message ids are not kept: nothing to return."""
        part = rendered(outgoing.reply)[index]
        if not self._application.running:
            # Its API was down at start-up and is still being retried: keep the reply queued.
            raise SendFailure("Telegram is not started yet", transient=True)
        try:
            await self._bot.send_text(
                int(outgoing.chat_id), part.text, part.markup, max_wait=self._max_turn_wait
            )
        except ChatLimited as exc:
            raise SendDeferred(exc.message, delay=exc.delay) from exc
        except TelegramError as exc:
            raise classify(exc) from exc

    async def sent(self, outgoing: Outgoing, receipts: Sequence[str]) -> None:
        """Nothing to record."""

    async def gave_up(self, outgoing: Outgoing, reason: str) -> None:
        logger.warning("Telegram reply to a chat given up: %s", reason)


def classify(exc: TelegramError) -> SendFailure:
    """BadRequest and Forbidden subclass NetworkError in PTB: check them first."""
    reason = f"{type(exc).__name__}: {exc.message}"[:200]
    if isinstance(exc, RetryAfter):
        wait = exc.retry_after
        seconds = wait if isinstance(wait, int) else wait.total_seconds()
        return SendFailure(reason, transient=True, retry_after=float(seconds))
    if isinstance(exc, BadRequest | Forbidden):
        return SendFailure(reason, transient=False)
    return SendFailure(reason, transient=isinstance(exc, NetworkError))


class Poller:
    """getUpdates into the inbox; the offset moves only past what is safe."""

    def __init__(
        self, application: TelegramApp, intake: Intake, *, backoff: Backoff, timeout: int
    ) -> None:
        self._bot = application.bot
        self._intake, self._backoff, self._timeout = intake, backoff, timeout

    async def run(self) -> None:
        """Poll until cancelled."""
        offset, failures = 0, 0
        while True:
            try:
                updates = await self._bot.get_updates(
                    offset=offset, timeout=self._timeout, allowed_updates=Update.ALL_TYPES
                )
                batch = [stored(update) for update in updates]
                safe = await self._intake.confirmable(batch) if batch else 0
                # Past what is safe, not past the batch: those after it come again, once.
                offset = updates[safe - 1].update_id + 1 if safe else offset
                if safe < len(updates):
                    raise NetworkError("replies could not be sent; updates kept at Telegram")
            except TelegramError as exc:
                failures += 1
                delay = self._backoff.delay(failures)
                logger.warning("getUpdates failed (%s); again in %.1f s", exc, delay)
                await asyncio.sleep(delay)
                continue
            failures = 0
