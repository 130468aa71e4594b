"""The outbox's Instagram transport: DMs, a comment's one private reply, public replies under
comments and hiding a comment, paced under Meta's rates (a private reply only on a slot of the
account's hourly budget: without one it goes back to the outbox, holding nothing up).

An outbox row names what it is by its chat id: an IGSID for a DM, else `private:`, `public:`
or `hide:` and the comment id; `@` and an office account's id follow when it goes through
that account (`accounts`). Each message id is recorded as soon as Meta returns it, so its
echo (which can arrive before the whole reply is out) is known as the bot's own.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from bot.channels.instagram.accounts import Clients, split
from bot.channels.instagram.api import InstagramError
from bot.channels.instagram.budget import ReplyBudget, Wait
from bot.channels.instagram.comment_store import CommentStore
from bot.channels.instagram.pacing import Pacer
from bot.channels.instagram.render import private_reply, render
from bot.channels.instagram.store import CHANNEL, InstagramStore
from bot.core.errors import StorageError
from bot.delivery.sending import SendDeferred, SendFailure
from bot.delivery.vocabulary import Outgoing

logger = logging.getLogger(__name__)

PRIVATE, PUBLIC, HIDE = "private", "public", "hide"
COMMENT_OPS = (PRIVATE, PUBLIC, HIDE)


def target(kind: str, comment_id: str) -> str:
    """The outbox chat id of an action on a comment."""
    return f"{kind}:{comment_id}"


def action(chat_id: str) -> tuple[str, str]:
    """(kind, id): ("dm", IGSID) or one of the comment actions and the comment id, whichever
    account the row goes through."""
    address, _ = split(chat_id)
    kind, sep, rest = address.partition(":")
    return (kind, rest) if sep and kind in COMMENT_OPS else ("dm", address)


class InstagramTransport:
    """Sends outbox rows through the Graph API."""

    channel = CHANNEL

    def __init__(
        self,
        clients: Clients,
        store: InstagramStore,
        comments: CommentStore,
        pacer: Pacer,
        budget: ReplyBudget,
    ) -> None:
        self._clients, self._store, self._comments, self._pacer = clients, store, comments, pacer
        self._budget = budget

    def parts(self, outgoing: Outgoing) -> int:
        kind, _ = action(outgoing.chat_id)
        return len(render(outgoing.reply)) if kind == "dm" else 1

    async def send_part(self, outgoing: Outgoing, index: int) -> str | None:
        """Send one message or comment action; SendFailure when refused."""
        kind, _ = action(outgoing.chat_id)
        slot = await self._slot() if kind == PRIVATE else None
        await self._pacer.wait()
        try:
            receipt = await self._send(outgoing, index)
        except InstagramError as exc:
            if kind == PRIVATE and exc.already_replied:
                return None  # sent before a crash, or by a worker whose lease ran out
            raise SendFailure(
                exc.reason, transient=exc.temporary, retry_after=exc.retry_after
            ) from exc
        finally:
            if slot is not None:
                await self._free(slot)
        if kind in ("dm", PRIVATE):
            await self._remember(receipt, outgoing)
        return receipt

    async def _slot(self) -> int | None:
        """The account's slot for a private reply; SendDeferred while none is free."""
        try:
            taken = await self._budget.take()
        except StorageError:
            # Without the database this worker keeps to the limit on its own count.
            await self._pacer.wait(private=True)
            return None
        if isinstance(taken, Wait):
            raise SendDeferred("private-reply limit reached", delay=taken.seconds)
        return taken

    async def _free(self, slot: int) -> None:
        try:
            await self._budget.spent(slot)
        except StorageError:  # the slot stays taken a minute longer than needed: still safe
            logger.warning("private-reply slot not freed: database down")

    async def _send(self, outgoing: Outgoing, index: int) -> str | None:
        client = self._clients.of(outgoing.chat_id)
        kind, node = action(outgoing.chat_id)
        if kind == "dm":
            return await client.send(node, render(outgoing.reply)[index])
        if kind == PRIVATE:
            return await client.private_reply(private_reply(node, outgoing.reply))
        if kind == PUBLIC:
            return await client.public_reply(node, outgoing.reply.text)
        await client.hide(node)
        return None

    async def _remember(self, mid: str | None, outgoing: Outgoing) -> None:
        if mid is None:
            return
        try:
            await self._store.record_sent([mid], user_hash=outgoing.user_hash)
        except StorageError:
            # Sent is sent: failing the part would send it again. Its echo may then read as
            # an officer's message, a lesser harm than a duplicate answer.
            logger.warning("Instagram send not recorded: database down")

    async def sent(self, outgoing: Outgoing, receipts: Sequence[str]) -> None:
        """A reply went out: the time of a comment's or a DM's first reply, for the reports."""
        kind, node = action(outgoing.chat_id)
        if kind in (PRIVATE, PUBLIC):
            await self._comments.replied(node)
        elif kind == "dm":
            try:
                await self._store.answered(outgoing.chat_id)  # the chat, account and all
            except StorageError:
                # The reply is out either way; only one figure of the reports is missing.
                logger.warning("Instagram reply time not recorded: database down")

    async def gave_up(self, outgoing: Outgoing, reason: str) -> None:
        """Shown to admins by /gagal_kirim."""
        await self._store.record_failure(reason, user_hash=outgoing.user_hash)
