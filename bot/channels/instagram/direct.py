"""Direct messages to the core, and echoes: the bot's own sends are ignored; an echo the bot
did not send is an officer typing in the Instagram app, and the bot then keeps quiet in that
conversation for the takeover time (recorded; noted on the applicant's open ticket, or told
to the officers' group in one line without the applicant's id when there is none)."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Awaitable, Callable

from bot.channels.instagram import texts
from bot.channels.instagram.accounts import Accounts
from bot.channels.instagram.inbound import DirectMessage, Echo, ReplyTo
from bot.channels.instagram.store import CHANNEL, InstagramStore
from bot.channels.instagram.tables import InstagramChatRow
from bot.core.conversation import Conversation
from bot.core.errors import StorageError
from bot.core.escalation import Officers
from bot.core.replies import ERROR
from bot.core.vocabulary import Incoming, Reply, Ticket
from bot.delivery.vocabulary import Outgoing

logger = logging.getLogger(__name__)
Clock = Callable[[], dt.datetime]


class DirectMessages:
    """Answers DMs through the core, unless an officer has taken the conversation over."""

    def __init__(
        self,
        conversation: Conversation,
        store: InstagramStore,
        officers: Officers,
        *,
        group: Callable[[str], Awaitable[None]],
        ours: Callable[[Echo], Awaitable[bool]],
        takeover: dt.timedelta,
        accounts: Accounts,
        clock: Clock = lambda: dt.datetime.now(dt.UTC),
    ) -> None:
        self._conversation, self._store, self._officers = conversation, store, officers
        self._group, self._ours = group, ours
        self._takeover, self._accounts, self._clock = takeover, accounts, clock

    async def handle(self, message: DirectMessage) -> list[Outgoing]:
        """The replies to one DM (none while an officer has the conversation)."""
        chat = self._accounts.chat_id(message.sender_id, message.account)
        if await self._quiet(chat, message.sent_at):
            logger.info("Instagram DM left to the officer who took the conversation over")
            return []
        office = self._accounts.office(chat)
        incoming = Incoming(CHANNEL, chat, chat, message.text, kind=message.kind, office=office)
        try:
            replies = await self._conversation.handle(incoming)
        except StorageError:
            raise  # left in the inbox; handled again when the database answers
        except Exception:
            # The one place an unexpected error in an Instagram DM turn is logged; the
            # applicant still gets an apology rather than silence.
            logger.exception("error while answering an Instagram message")
            replies = [Reply(ERROR)]
        if message.reply_to is not None:
            await self._context(incoming, message.reply_to)
        user_hash = self._conversation.user_hash(incoming)
        return [Outgoing(CHANNEL, chat, reply, user_hash) for reply in replies]

    async def echo(self, echo: Echo) -> list[Outgoing]:
        """An officer's message from the Instagram app starts a takeover; the bot's own
        sends are ignored."""
        if await self._ours(echo):
            return []
        chat = self._accounts.chat_id(echo.recipient_id, echo.account)
        already = await self._taken_over(chat)
        await self._store.take_over(chat, self._clock() + self._takeover)
        await self._store.answered(chat)  # the officer's message is the office's reply
        minutes = int(self._takeover.total_seconds() // 60)
        logger.info("Instagram conversation taken over in the app for %d minutes", minutes)
        if ticket := await self._ticket(chat):
            note = texts.NOTE_TAKEOVER.format(number=ticket.id, minutes=minutes)
            await self._officers.post_note(ticket, note)
        elif not already:  # once per takeover, not once per message the officer types
            await self._group(texts.TAKEOVER_NO_TICKET.format(minutes=minutes))
        return []

    async def _taken_over(self, chat: str) -> bool:
        return self._running(await self._store.chat(chat))

    def _running(self, row: InstagramChatRow | None) -> bool:
        """Whether the row holds a takeover that has not ended yet."""
        until = row.takeover_until if row is not None else None
        return until is not None and until > self._clock()

    async def _quiet(self, chat: str, sent_at: dt.datetime) -> bool:
        """Record the message's time (for the windows); whether an officer has the chat."""
        try:
            await self._store.touch(chat, sent_at)
            row = await self._store.chat(chat)
        except StorageError:
            # Answered without the database (the pipeline's direct path): a takeover cannot
            # be read, and an answer is better than silence.
            logger.warning("Instagram conversation not recorded: database down")
            return False
        return self._running(row)

    async def _context(self, incoming: Incoming, reply_to: ReplyTo) -> None:
        """Officers reading the ticket should know what the message answered."""
        ticket = await self._ticket(incoming.chat_id)
        if ticket is None:
            return
        if reply_to.story_id:
            what = texts.CONTEXT_STORY.format(story=reply_to.story_id)
        else:
            what = texts.CONTEXT_MESSAGE
        await self._officers.post_note(
            ticket, texts.NOTE_CONTEXT.format(number=ticket.id, what=what)
        )

    async def _ticket(self, chat: str) -> Ticket | None:
        escalation = self._conversation.escalation
        if escalation is None:
            return None
        return await escalation.active(Incoming(CHANNEL, chat, chat, ""))
