"""What Meta posts to the Instagram webhook, decoded (the signature is checked before, by the
shared `bot.channels.meta`).

Plain functions, no I/O. Direct messages come in `entry[].messaging[]`, comments in
`entry[].changes[]` (field `comments`) or, in the test payloads Meta's dashboard sends, as one
flat `{"field", "value"}` object. The parser is strict about the envelope (a body that is not
Meta's shape is refused, so the webhook can answer 400) and lenient inside it: one odd event is
skipped, not the whole batch, because Meta would otherwise retry the batch for 36 hours.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import logging
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Literal

logger = logging.getLogger(__name__)

# Instagram's attachment types, as the core's `kind` names them where the core knows the kind;
# the others (story_mention, share, ig_reel, ...) keep Instagram's name, which the core answers
# as "a message of this kind" and the log keeps for the reports.
MEDIA_KINDS = {"image": "photo", "audio": "voice", "video": "video", "file": "document"}
STICKERS = frozenset({"sticker", "like_heart", "animated_image"})

Source = Literal["text", "quick_reply", "postback", "media"]
IgnoredKind = Literal["reaction", "read", "edit", "deleted", "unsupported"]
IGNORED_FIELDS: tuple[tuple[str, IgnoredKind], ...] = (
    ("reaction", "reaction"),
    ("read", "read"),
    ("message_edit", "edit"),
)


class MalformedPayload(ValueError):
    """The body is JSON but not an Instagram webhook envelope."""


@dataclass(frozen=True, slots=True)
class ReplyTo:
    """What a direct message answered: a story (its id and link) or an earlier message."""

    story_id: str = ""
    story_url: str = ""
    mid: str = ""


@dataclass(frozen=True, slots=True)
class DirectMessage:
    """One applicant message, ready for the core."""

    key: str  # the mid: what Meta redelivers under, so what makes it handled once
    sender_id: str  # the Instagram-scoped id (IGSID): where replies go
    text: str  # the words, or the payload of a quick reply or an ice breaker
    kind: str  # the core's kind: "text", "photo", "voice", ... or Instagram's media type
    source: Source
    sent_at: dt.datetime
    media: str = ""  # Instagram's attachment type, when the message is one
    reply_to: ReplyTo | None = None
    account: str = ""  # the office account written to; "": the main account


@dataclass(frozen=True, slots=True)
class Echo:
    """A message sent from the office's account: by the bot, or by an officer in the app."""

    key: str  # the mid, which the Send API returned when the bot sent it
    recipient_id: str
    sent_at: dt.datetime
    # The text's digest (not the text: an officer's words may hold personal data), to know a
    # send of the bot's whose mid is not recorded yet.
    digest: str = ""
    account: str = ""  # the office account that sent it; "": the main account


def text_digest(text: str) -> str:
    """What an echo keeps of a message's text."""
    return hashlib.sha256(text.encode()).hexdigest() if text else ""


@dataclass(frozen=True, slots=True)
class Ignored:
    """An event that is recorded at most, never answered (reactions, reads, edits...)."""

    key: str
    sender_id: str
    kind: IgnoredKind


@dataclass(frozen=True, slots=True)
class Comment:
    """A comment on one of the office's posts (or a reply under one)."""

    key: str  # the comment id
    text: str
    from_id: str
    username: str
    media_id: str  # the post, reel or story commented on
    parent_id: str | None  # the comment this one replies to
    own: bool  # written by the office's account: never answered, or the bot would loop
    sent_at: dt.datetime
    account: str = ""  # the office account whose post it is; "": the main account


Event = DirectMessage | Echo | Ignored | Comment


def parse(payload: object, *, account_id: str = "", offices: Collection[str] = ()) -> list[Event]:
    """The events of a webhook body, in order; MalformedPayload if it is not an envelope.

    `account_id` is the main professional account (without it, each entry's id is taken for
    the account), `offices` the offices' accounts: an event for one of them names it
    (`account`). With office accounts, an entry for any other account is skipped and logged;
    without them, every entry is the main account's, as before issue 21."""
    if isinstance(payload, Mapping) and "field" in payload and "value" in payload:
        comment = _change(payload, account_id, _now())
        return [comment] if comment else []
    if not isinstance(payload, Mapping) or payload.get("object") != "instagram":
        raise MalformedPayload("not an Instagram webhook envelope")
    entries = payload.get("entry")
    if not isinstance(entries, list):
        raise MalformedPayload("an envelope without entries")
    return [event for entry in entries for event in _entry(entry, account_id, offices)]


def _entry(entry: object, account_id: str, offices: Collection[str]) -> Iterator[Event]:
    if not isinstance(entry, Mapping):
        raise MalformedPayload("an entry that is not an object")
    messaging, changes = entry.get("messaging"), entry.get("changes")
    if not isinstance(messaging, list | None) or not isinstance(changes, list | None):
        raise MalformedPayload("an entry whose messaging or changes is not a list")
    entry_id = _text(entry.get("id"))
    office = entry_id if entry_id in offices else ""
    if offices and not office and entry_id not in ("", account_id):
        # Another account that authorised the app: its people are not ours to answer.
        logger.warning("Instagram events for an account not configured ignored")
        return
    own = office or account_id or entry_id
    for raw in messaging or ():
        if event := _messaging(raw, own):
            yield _of(event, office)
    for change in changes or ():
        if comment := _change(change, own, _time(entry.get("time"))):
            yield _of(comment, office)


def _of(event: Event, office: str) -> Event:
    """The event with the office account it is for named (none: the main account)."""
    if not office or isinstance(event, Ignored):
        return event
    return dataclasses.replace(event, account=office)


def _messaging(raw: object, own: str) -> Event | None:
    if not isinstance(raw, Mapping):
        logger.warning("Instagram messaging event that is not an object skipped")
        return None
    sender, recipient = _id(raw.get("sender")), _id(raw.get("recipient"))
    sent_at = _time(raw.get("timestamp"))
    message, postback = raw.get("message"), raw.get("postback")
    if isinstance(message, Mapping) and _text(message.get("mid")):
        if message.get("is_echo") or (own and sender == own):
            digest = text_digest(_text(message.get("text")))
            return Echo(message["mid"], recipient, sent_at, digest)
        return _message(message, sender, sent_at) if sender else None
    if isinstance(postback, Mapping) and _text(postback.get("mid")) and sender:
        text = _text(postback.get("payload")) or _text(postback.get("title"))
        return DirectMessage(postback["mid"], sender, text, "text", "postback", sent_at)
    return _ignored(raw, sender)


def _message(message: Mapping[str, Any], sender: str, sent_at: dt.datetime) -> Event:
    mid: str = message["mid"]
    if message.get("is_deleted"):
        return Ignored(f"deleted:{mid}", sender, "deleted")
    if message.get("is_unsupported"):
        return Ignored(f"unsupported:{mid}", sender, "unsupported")
    reply_to = _reply_to(message.get("reply_to"))
    quick = message.get("quick_reply")
    if isinstance(quick, Mapping) and _text(quick.get("payload")):
        return DirectMessage(mid, sender, quick["payload"], "text", "quick_reply", sent_at)
    text = _text(message.get("text")).strip()
    if text:
        return DirectMessage(mid, sender, text, "text", "text", sent_at, reply_to=reply_to)
    media = _attachment(message.get("attachments"))
    kind = "sticker" if media in STICKERS else MEDIA_KINDS.get(media, media or "other")
    return DirectMessage(mid, sender, "", kind, "media", sent_at, media, reply_to)


def _reply_to(value: object) -> ReplyTo | None:
    if not isinstance(value, Mapping):
        return None
    story = value.get("story")
    if isinstance(story, Mapping):
        return ReplyTo(story_id=_text(story.get("id")), story_url=_text(story.get("url")))
    mid = _text(value.get("mid"))
    return ReplyTo(mid=mid) if mid else None


def _attachment(value: object) -> str:
    """The first attachment's type ("" when there is none)."""
    if isinstance(value, list) and value and isinstance(value[0], Mapping):
        return _text(value[0].get("type"))
    return ""


def _ignored(raw: Mapping[str, Any], sender: str) -> Ignored | None:
    """Reactions, reads and edits: keyed by what they concern, so a redelivery is a repeat."""
    stamp = str(raw.get("timestamp", ""))
    for field, kind in IGNORED_FIELDS:
        body = raw.get(field)
        if isinstance(body, Mapping):
            detail = _text(body.get("action")) or str(body.get("num_edit", ""))
            about = _text(body.get("mid"))
            return Ignored(f"{kind}:{about}:{sender}:{detail}:{stamp}", sender, kind)
    logger.info("Instagram messaging event of an unknown kind ignored")
    return None


def _change(change: object, own: str, sent_at: dt.datetime) -> Comment | None:
    if not isinstance(change, Mapping):
        raise MalformedPayload("a change that is not an object")
    value = change.get("value")
    # Other fields (mentions, story insights) are not for the bot.
    if change.get("field") != "comments" or not isinstance(value, Mapping):
        return None
    comment_id, author = _text(value.get("id")), value.get("from")
    if not comment_id or not isinstance(author, Mapping):
        logger.warning("Instagram comment without an id or an author skipped")
        return None
    from_id = _text(author.get("id"))
    parent = _text(value.get("parent_id")) or None
    return Comment(
        comment_id,
        _text(value.get("text")),
        from_id,
        _text(author.get("username")),
        _id(value.get("media")),
        parent,
        bool(own) and from_id == own,
        sent_at,
    )


def _id(value: object) -> str:
    return _text(value.get("id")) if isinstance(value, Mapping) else ""


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _time(value: object) -> dt.datetime:
    """Meta's timestamp (seconds, or milliseconds in messaging events), capped at now."""
    now = _now()
    try:
        number = int(str(value))
        seconds = number / 1000 if number > 10**11 else number
        sent = dt.datetime.fromtimestamp(seconds, dt.UTC)
    except (ValueError, OverflowError, OSError):
        return now
    return min(sent, now)  # a clock ahead of ours must not stretch the 24-hour window
