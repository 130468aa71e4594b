"""Instagram on the durable pipeline: a webhook batch is stored whole in the inbox before Meta
gets its 200, each event keyed by a hash of its mid or comment id (Meta retries for up to 36
hours, maybe to another worker: each is handled once), then handled by the inbox worker.

Reactions, reads and edits are never answered, so they are not stored. Echoes of the bot's
own sends are dropped before the inbox when already known (one read), and checked again when
handled (the send may have been recorded meanwhile).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import logging
from collections.abc import Sequence
from typing import Any

from bot.channels.instagram.comments import Comments
from bot.channels.instagram.direct import DirectMessages
from bot.channels.instagram.inbound import Comment, DirectMessage, Echo, Event, ReplyTo
from bot.channels.instagram.store import CHANNEL, InstagramStore
from bot.core.errors import StorageError
from bot.delivery.intake import Intake
from bot.delivery.vocabulary import InboxUpdate, Outgoing
from bot.storage.queue import KEYS_KEPT

logger = logging.getLogger(__name__)

Stored = DirectMessage | Echo | Comment
KINDS: dict[str, type[Stored]] = {"dm": DirectMessage, "echo": Echo, "comment": Comment}


def stored(event: Stored) -> InboxUpdate:
    """An event as the inbox keeps it; its chat keeps a conversation's events in order."""
    kind = {DirectMessage: "dm", Echo: "echo", Comment: "comment"}[type(event)]
    payload = {"event": kind, **_jsonable(dataclasses.asdict(event))}
    digest = hashlib.sha256(event.key.encode()).hexdigest()
    return InboxUpdate(f"{CHANNEL}:{digest}", CHANNEL, _chat(event), payload)


def restored(payload: dict[str, Any]) -> Stored:
    """Read a stored event back."""
    fields = {k: v for k, v in payload.items() if k != "event"}
    for name in ("sent_at",):
        fields[name] = dt.datetime.fromisoformat(str(fields[name]))
    if isinstance(fields.get("reply_to"), dict):
        fields["reply_to"] = ReplyTo(**fields["reply_to"])
    return KINDS[str(payload["event"])](**fields)


def _chat(event: Stored) -> str:
    if isinstance(event, DirectMessage):
        return event.sender_id
    if isinstance(event, Echo):
        return event.recipient_id
    return f"comment:{event.parent_id or event.key}"


def _jsonable(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v.isoformat() if isinstance(v, dt.datetime) else v for k, v in values.items()}


def recent(events: Sequence[Stored]) -> list[Stored]:
    """The events within the inbox's de-duplication window: an older one may have been
    handled with its key since forgotten, so it is acknowledged and dropped."""
    oldest = dt.datetime.now(dt.UTC) - KEYS_KEPT
    fresh = [event for event in events if event.sent_at >= oldest]
    if refused := len(events) - len(fresh):
        logger.warning("%d Instagram events older than %d days refused", refused, KEYS_KEPT.days)
    return fresh


class InstagramInbox:
    """Takes webhook batches into the inbox, and handles stored events."""

    def __init__(
        self,
        store: InstagramStore,
        intake: Intake,
        direct: DirectMessages,
        comments: Comments,
    ) -> None:
        self._store, self._intake = store, intake
        self._direct, self._comments = direct, comments

    async def receive(self, events: Sequence[Event]) -> bool:
        """Store the batch's events (or answer them at once); False if Meta should resend."""
        wanted = [e for e in events if isinstance(e, Stored) and not _own_comment(e)]
        fresh = [e for e in recent(wanted) if not await self._known_echo(e)]
        if not fresh:
            return True
        return await self._intake.receive([stored(event) for event in fresh], now=True)

    async def handle(self, update: InboxUpdate) -> list[Outgoing]:
        """What one stored event leads to."""
        event = restored(update.payload)
        if isinstance(event, DirectMessage):
            return await self._direct.handle(event)
        if isinstance(event, Echo):
            return await self._direct.echo(event)
        return await self._comments.handle(event)

    async def _known_echo(self, event: Stored) -> bool:
        if not isinstance(event, Echo):
            return False
        try:
            return await self._store.is_ours(event.key)
        except StorageError:
            return False  # stored or handled directly; the check runs again there


def _own_comment(event: Stored) -> bool:
    return isinstance(event, Comment) and event.own
