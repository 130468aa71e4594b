"""The comments on the office's posts: which post each is under, its thread, what the bot did
and when it first replied (the per-post reports and the median time to a first reply read
these), and the claim that lets one comment per thread be answered, across workers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import update

from bot.channels.instagram.store import message_key
from bot.channels.instagram.tables import InstagramCommentRow
from bot.storage.base import StoreBase
from bot.storage.errors import translate_errors


@dataclass(frozen=True, slots=True)
class CommentNote:
    """What is kept of one comment (its ids are hashed on the way in)."""

    comment_id: str
    thread_id: str  # the top-level comment of its thread (itself when it is one)
    media_id: str
    user_hash: str
    action: str  # "answered", "clarified", "fallback", "hidden", "ignored", "thread_done"
    topic: str | None
    created_at: dt.datetime


class CommentStore(StoreBase):
    """Comments and the once-per-thread claim."""

    async def record(self, note: CommentNote, *, claim: bool = False) -> bool:
        """Keep the comment; with `claim`, also take its thread for the bot's one answer.

        True when the thread is ours to answer; False when another comment of the thread was
        answered already (the comment is then kept as "thread_done")."""
        row = _row(note, claim=claim)
        with translate_errors("recording an Instagram comment"):
            async with self._sessions.begin() as session:
                # DO NOTHING on any conflict: the comment itself (a redelivery), or the
                # thread's unique answered_thread taken by another comment.
                table = self._insert(InstagramCommentRow)
                result = await session.execute(table.values(row).on_conflict_do_nothing())
                if result.rowcount == 1:  # type: ignore[attr-defined]
                    return claim
                if claim:
                    done = row | {"answered_thread": None, "action": "thread_done"}
                    await session.execute(table.values(done).on_conflict_do_nothing())
                return False

    async def replied(self, comment_id: str) -> None:
        """The first reply to the comment went out now (later ones keep the first time)."""
        statement = (
            update(InstagramCommentRow)
            .where(InstagramCommentRow.comment_key == message_key(comment_id))
            .where(InstagramCommentRow.replied_at.is_(None))
            .values(replied_at=self._now())
        )
        with translate_errors("recording a reply to an Instagram comment"):
            async with self._sessions.begin() as session:
                await session.execute(statement)

    async def comment(self, comment_id: str) -> InstagramCommentRow | None:
        """One comment's row."""
        with translate_errors("reading an Instagram comment"):
            async with self._sessions() as session:
                return await session.get(InstagramCommentRow, message_key(comment_id))


def _row(note: CommentNote, *, claim: bool) -> dict[str, object]:
    thread = message_key(note.thread_id)
    return {
        "comment_key": message_key(note.comment_id),
        "media_id": note.media_id,
        "thread_key": thread,
        "answered_thread": thread if claim else None,
        "user_hash": note.user_hash,
        "action": note.action,
        "topic": note.topic,
        "created_at": note.created_at,
    }
