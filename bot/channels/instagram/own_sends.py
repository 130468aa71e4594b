"""Whether an echo is of the bot's own send, or of an officer typing in the Instagram app.

The bot records each message id when Meta returns it, but Meta may post the echo before that
record is written (the echo can even reach another worker first). A send is therefore also
the bot's while its outbox row is still being sent: its texts are compared with the echo's
(by digest). The outbox is read first: a row is deleted only after its ids were recorded, so
an echo that misses the row finds the id.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from bot.channels.instagram.inbound import Echo, text_digest
from bot.channels.instagram.render import private_reply, render
from bot.channels.instagram.store import CHANNEL, InstagramStore
from bot.channels.instagram.transport import PRIVATE, action
from bot.delivery.vocabulary import Outgoing

Sending = Callable[[str], Awaitable[list[Outgoing]]]


def sent_texts(outgoing: Outgoing) -> list[str]:
    """The texts Meta echoes for a reply: each DM part, or a comment's private reply."""
    kind, node = action(outgoing.chat_id)
    if kind == "dm":
        return [str(part["text"]) for part in render(outgoing.reply)]
    if kind == PRIVATE:
        return [str(private_reply(node, outgoing.reply)["message"]["text"])]
    return []  # public replies and hiding are not messages: no echo


class OwnSends:
    """Tells the bot's echoes from an officer's."""

    def __init__(self, store: InstagramStore, sending: Sending) -> None:
        self._store, self._sending = store, sending

    async def ours(self, echo: Echo) -> bool:
        """Whether the bot sent the echoed message (or is sending it now)."""
        if echo.digest and await self._in_flight(echo.digest):
            return True
        return await self._store.is_ours(echo.key)

    async def _in_flight(self, digest: str) -> bool:
        for outgoing in await self._sending(CHANNEL):
            if digest in {text_digest(text) for text in sent_texts(outgoing)}:
                return True
        return False
