"""What one message reads in one round trip, and the pinned outage notice."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Protocol

from .messages import ChatOffice
from .tickets import Ticket


@dataclass(frozen=True, slots=True)
class Notice:
    """A notice pinned by an admin (the M-Paspor outage notice)."""

    text: str
    set_at: dt.datetime
    set_by: str


class NoticeBoard(Protocol):
    """Where the core reads the current outage notice."""

    async def outage(self) -> Notice | None:
        """The pinned outage notice, if any."""
        ...


# What the conversation reads for one message, in one round trip (issue 22): the sender's
# messages in the last minute (the flood guard), the chat's stored office and open ticket.
# A flood count nobody needs is asked for messages "since" NEVER: an index probe finding none.
NEVER = dt.datetime(9999, 1, 1, tzinfo=dt.UTC)


@dataclass(frozen=True, slots=True)
class ChatQuery:
    """Whose snapshot: the sender (`user_hash`, messages `since`) and the chat."""

    channel: str
    chat_id: str
    user_hash: str
    chat_hash: str
    since: dt.datetime = NEVER


@dataclass(frozen=True, slots=True)
class ChatSnapshot:
    """The sender's messages since the query's `since`, the chat's stored office (None: a
    new chat) and its newest ticket not closed yet."""

    sent: int
    office: ChatOffice | None
    ticket: Ticket | None


class ChatReads(Protocol):
    """A message's reads in one round trip; `bot.storage.batch.BatchedLog` is the real one.
    StorageError when the database fails: each step then reads on its own, with its own
    handling of an outage, as without a snapshot."""

    async def snapshot(self, query: ChatQuery) -> ChatSnapshot: ...
