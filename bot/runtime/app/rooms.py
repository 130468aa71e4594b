"""Where the core's outbound seams lead in one process: the applicant's own channel, the
officers' chat and the admins' chat, each of which this process may or may not run."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

from bot.core.escalation import Applicants, Officers
from bot.core.vocabulary import Reply, Ticket

logger = logging.getLogger(__name__)


class Deliveries:
    """Routes deliveries to the applicant's own channel; the composition root registers each
    channel it builds."""

    def __init__(self) -> None:
        self._channels: dict[str, Applicants] = {}

    def register(self, channel: str, sender: Applicants) -> None:
        """Let `sender` deliver to chats on `channel`."""
        self._channels[channel] = sender

    async def deliver(self, channel: str, chat_id: str, replies: Sequence[Reply]) -> None:
        """Send to the chat, or log that the channel is not running in this process."""
        sender = self._channels.get(channel)
        if sender is None:
            logger.warning(
                "no %s channel in this process; reply to ticket kept in the database", channel
            )
            return
        await sender.deliver(channel, chat_id, replies)


@dataclass(frozen=True, slots=True)
class StaffRoom:
    """Where officers are told about tickets: the staff chat, if this process runs one."""

    officers: Officers | None = None
    say: Callable[[str], Awaitable[None]] | None = None  # a plain line to the group

    async def post_ticket(self, ticket: Ticket, context: Sequence[str]) -> bool:
        """Announce a new ticket (or log it when no staff chat runs in this process)."""
        if self.officers is None:
            logger.info("ticket #%s opened; no staff chat in this process", ticket.id)
            return True
        return await self.officers.post_ticket(ticket, context)

    async def post_note(self, ticket: Ticket, text: str) -> None:
        """Tell the officers something about a ticket."""
        if self.officers is not None:
            await self.officers.post_note(ticket, text)

    async def tell(self, text: str) -> None:
        """Tell the officers something that belongs to no ticket."""
        if self.say is None:
            logger.info("note for officers (no staff chat in this process): %s", text)
            return
        await self.say(text)


@dataclass(frozen=True, slots=True)
class AdminRoom:
    """Where admins are told things (the expired-entry alert): the admin chat, if any."""

    send: Callable[[str], Awaitable[None]] | None = None

    async def tell(self, text: str) -> None:
        """Send to the admin chat, or log when none runs in this process."""
        if self.send is None:
            logger.warning("admin alert (no admin chat in this process): %s", text)
            return
        await self.send(text)
