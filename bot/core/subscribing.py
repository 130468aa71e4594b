"""Opting in and out of announcements, as the conversation understands it: the words and
buttons that ask for it, and the role (`Subscribing`) that records the choice.

The core owns this so that it never imports the announcements feature; the feature implements
the role and the composition root hands it to the conversation.
"""

from __future__ import annotations

from typing import Protocol

from bot.core import replies
from bot.core.vocabulary import Reply

SUBSCRIBE, UNSUBSCRIBE = "#sub", "#unsub"

SUBSCRIBE_WORDS = frozenset(
    {"/langganan", "langganan", "langganan info", "berlangganan", "subscribe", SUBSCRIBE}
    | {replies.SUBSCRIBE_BUTTON.casefold()}
)
UNSUBSCRIBE_WORDS = frozenset(
    {"/berhenti", "berhenti langganan", "stop info", "stop langganan", "berhenti", "stop"}
    | {"unsubscribe", UNSUBSCRIBE, replies.UNSUBSCRIBE_BUTTON.casefold()}
)


def wants_subscription(text: str) -> bool | None:
    """True for an opt-in, False for an opt-out (command, keyword or button), else None."""
    folded = text.casefold().strip(" .!").split("@")[0]
    if folded in SUBSCRIBE_WORDS:
        return True
    return False if folded in UNSUBSCRIBE_WORDS else None


class Subscribing(Protocol):
    """Records an applicant's opt-in or opt-out and says so;
    `bot.announcements.service.Subscriptions` is the real one."""

    async def change(
        self, channel: str, chat_id: str, *, subscribe: bool, office_id: str | None = None
    ) -> list[Reply]: ...

    async def moved(self, channel: str, chat_id: str, office_id: str | None) -> None:
        """The chat changed office: an existing subscription follows it."""
        ...

    def offered(self, channel: str) -> bool:
        """Whether announcements can reach `channel` (so its menu offers subscribing)."""
        ...
