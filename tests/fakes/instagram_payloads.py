"""Instagram webhook bodies in the shapes Meta documents (messages, echoes, quick replies,
postbacks, attachments, reactions, reads, edits, comments in `changes` and in the flat shape of
the dashboard's test payloads), their signature, and `IgSent`, a message the fake recorded.

Messaging timestamps are milliseconds, entry and comment times seconds, as Meta sends them.
"""

from __future__ import annotations

import base64
import itertools
import uuid
from dataclasses import dataclass, field
from typing import Any

_numbers = itertools.count(17_900_000_000_000_001)

ATTACHMENTS = ("image", "audio", "video", "file", "story_mention", "share", "ig_reel", "sticker")


@dataclass(frozen=True, slots=True)
class IgUser:
    """An Instagram user: the Instagram-scoped id (IGSID) the office sees, and a username."""

    igsid: str
    username: str = "pemohon.uji"


@dataclass(frozen=True, slots=True)
class IgSent:
    """One message the fake accepted: a DM (`to` is the IGSID) or a private reply (`comment`)."""

    to: str
    comment: str | None
    body: dict[str, Any]
    mid: str
    human_agent: bool
    time: float  # time.monotonic(), for latency figures
    echoed: bool = field(default=False, compare=False)
    account: str = ""  # the professional account it was sent from

    @property
    def text(self) -> str:
        return str(self.body["message"]["text"])

    @property
    def choices(self) -> list[tuple[str, str]]:
        """(payload, title) of the quick replies."""
        return [(q["payload"], q["title"]) for q in self.body["message"].get("quick_replies", [])]


@dataclass(slots=True)
class CommentRecord:
    """A comment as the fake knows it: whether it may still get its one private reply."""

    user: IgUser
    created: float  # the fake's clock
    parent_id: str | None
    private_replied: bool = False
    hidden: bool = False
    account: str = ""  # whose post it is on: only that account's token may act on it


def mid() -> str:
    """A message id in Instagram's shape (base64 of an opaque id)."""
    raw = f"ig_message_item:1:IGMessageThread:{uuid.uuid4().hex}"
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def number_id() -> str:
    """A comment or media id: a long decimal number."""
    return str(next(_numbers))


def envelope(*entries: dict[str, Any]) -> dict[str, Any]:
    return {"object": "instagram", "entry": list(entries)}


def messaging_entry(account_id: str, events: list[dict[str, Any]], time: int) -> dict[str, Any]:
    return {"id": account_id, "time": time, "messaging": events}


def changes_entry(account_id: str, values: list[dict[str, Any]], time: int) -> dict[str, Any]:
    changes = [{"field": "comments", "value": value} for value in values]
    return {"id": account_id, "time": time, "changes": changes}


def event(sender: str, recipient: str, millis: int, **content: Any) -> dict[str, Any]:
    return {
        "sender": {"id": sender},
        "recipient": {"id": recipient},
        "timestamp": millis,
        **content,
    }


def text(body: str, **extra: Any) -> dict[str, Any]:
    return {"message": {"mid": mid(), "text": body, **extra}}


def story_reply(body: str, story_id: str) -> dict[str, Any]:
    story = {
        "url": f"https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id={story_id}",
        "id": story_id,
    }
    return text(body, reply_to={"story": story})


def message_reply(body: str, replied_mid: str) -> dict[str, Any]:
    return text(body, reply_to={"mid": replied_mid})


def quick_reply(title: str, payload: str) -> dict[str, Any]:
    return text(title, quick_reply={"payload": payload})


def postback(title: str, payload: str) -> dict[str, Any]:
    return {"postback": {"mid": mid(), "title": title, "payload": payload}}


def attachment(kind: str) -> dict[str, Any]:
    payload = {"url": f"https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id={number_id()}"}
    if kind in ("share", "ig_reel"):
        payload["title"] = "Cara daftar M-Paspor"
    return {"message": {"mid": mid(), "attachments": [{"type": kind, "payload": payload}]}}


def echo(sent_mid: str, body: str) -> dict[str, Any]:
    return {"message": {"mid": sent_mid, "text": body, "is_echo": True}}


def reaction(on_mid: str, *, action: str = "react") -> dict[str, Any]:
    body = {"mid": on_mid, "action": action}
    if action == "react":
        body |= {"reaction": "love", "emoji": "❤️"}
    return {"reaction": body}


def read(on_mid: str) -> dict[str, Any]:
    return {"read": {"mid": on_mid}}


def edit(of_mid: str, body: str, count: int = 1) -> dict[str, Any]:
    return {"message_edit": {"mid": of_mid, "text": body, "num_edit": count}}


def comment_value(
    comment_id: str, body: str, user: IgUser, media_id: str, parent_id: str | None = None
) -> dict[str, Any]:
    value: dict[str, Any] = {
        "from": {"id": user.igsid, "username": user.username},
        "media": {"id": media_id, "media_product_type": "FEED"},
        "id": comment_id,
        "text": body,
    }
    if parent_id is not None:
        value["parent_id"] = parent_id
    return value


def flat_comment(value: dict[str, Any]) -> dict[str, Any]:
    """The dashboard's test payload: one change, no envelope."""
    return {"field": "comments", "value": value}
