"""Instagram's own tables, on the shared `Base` so Alembic and the migration test see them
(`bot.runtime.schema` imports this module; storage never imports a channel).

What is kept of applicants is hashed: a chat by `Conversation.chat_hash`, a comment and its
thread by SHA-256 of the comment id. Posts (media ids) are the office's own and kept as is, for
the per-post reports. Sent message ids and refused sends go to storage's shared
`delivery_status` table under the channel "instagram", as WhatsApp's do.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.columns import Base, UTCDateTime

HASH = 64
MAIN_ACCOUNT = "main"  # the main account's token row (account ids are digits: no clash)


class InstagramChatRow(Base):
    """One applicant's DM conversation: their last message (for the 24-hour and 7-day
    windows) and, after an officer typed in the Instagram app, until when the bot is quiet."""

    __tablename__ = "instagram_chats"

    chat_hash: Mapped[str] = mapped_column(String(HASH), primary_key=True)
    last_inbound_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    taken_over_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    takeover_until: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # The applicant's first message since the office last replied (NULL when none waits):
    # the next reply closes the wait into an `instagram_dm_replies` row.
    waiting_since: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


class InstagramDmReplyRow(Base):
    """How long one DM waited for its first reply, for the reports' median. Nothing says whose
    conversation it was: the report needs only the two times."""

    __tablename__ = "instagram_dm_replies"

    id: Mapped[int] = mapped_column(primary_key=True)
    received_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, index=True)
    replied_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class InstagramCommentRow(Base):
    """A comment on one of the office's posts and what the bot did with it."""

    __tablename__ = "instagram_comments"

    comment_key: Mapped[str] = mapped_column(String(HASH), primary_key=True)
    media_id: Mapped[str] = mapped_column(String(64), index=True)
    thread_key: Mapped[str] = mapped_column(String(HASH), index=True)
    # The thread's key on the one comment of the thread the bot answered, else NULL: the
    # unique constraint (NULLs never clash) makes "once per thread" hold across workers.
    answered_thread: Mapped[str | None] = mapped_column(String(HASH), unique=True)
    user_hash: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(16))
    topic: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, index=True)
    replied_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


class InstagramReplySlotRow(Base):
    """One of the account's private replies an hour (750 rows for Meta's 750): a reply may go
    only on a slot that is free, and a slot stays taken until an hour after its reply was
    answered by Meta, so every worker together stays under the limit as Meta counts it."""

    __tablename__ = "instagram_reply_slots"

    slot: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    free_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, index=True)
    # The earliest the slot can free (a window after it was taken): how long to wait for it.
    soonest: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class InstagramTokenRow(Base):
    """The current long-lived access token of each professional account (the main one and
    each office's, issue 21), for the scheduled refresh."""

    __tablename__ = "instagram_token"

    # The office account's id, or MAIN_ACCOUNT: a name, not INSTAGRAM_ACCOUNT_ID, because
    # migration 0018 had to key the one row from before without knowing the settings.
    account: Mapped[str] = mapped_column(String(64), primary_key=True)
    token: Mapped[str] = mapped_column(Text)
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    refreshed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


__all__ = [
    "InstagramChatRow",
    "InstagramCommentRow",
    "InstagramDmReplyRow",
    "InstagramReplySlotRow",
    "InstagramTokenRow",
]
