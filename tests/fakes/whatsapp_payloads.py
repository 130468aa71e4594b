"""Webhook bodies in the shapes Meta documents (messages and statuses), their signature, and
`GraphSent`, a message the bot sent as the fake Graph API recorded it.

Shapes follow the Cloud API webhook reference and pywa's recorded fixtures: one envelope per
POST, `contacts` with the sender's `wa_id` and (since 2026) BSUID `user_id`, a message or a
status in `value`.
"""

from __future__ import annotations

import itertools
import uuid
from dataclasses import dataclass
from typing import Any

WABA_ID = "102290129340398"
DISPLAY_NUMBER = "15550783881"
_numbers = itertools.count(1)

MEDIA = {
    "image": {"mime_type": "image/jpeg", "caption": "ini foto KTP saya"},
    "audio": {"mime_type": "audio/ogg; codecs=opus", "voice": True},
    "video": {"mime_type": "video/mp4"},
    "document": {"mime_type": "application/pdf", "filename": "akta.pdf"},
    "sticker": {"mime_type": "image/webp", "animated": False},
}


@dataclass(frozen=True, slots=True)
class User:
    """A WhatsApp user: a phone number, a BSUID, or (username adopters) only the BSUID."""

    wa_id: str | None
    bsuid: str | None = None
    name: str = "Pemohon"

    @property
    def address(self) -> str:
        """Where the bot is expected to reply: the phone number when Meta shows it."""
        return self.wa_id or str(self.bsuid)


@dataclass(frozen=True, slots=True)
class GraphSent:
    """One message the bot sent and the fake accepted."""

    to: str
    payload: dict[str, Any]
    wamid: str
    time: float  # time.monotonic(), for latency figures
    number: str = ""  # the business number it was sent from (its phone number id)

    @property
    def kind(self) -> str:
        return str(self.payload["type"])

    @property
    def text(self) -> str:
        """What the applicant reads first: the text, the interactive body or the template's."""
        if self.kind == "text":
            return str(self.payload["text"]["body"])
        if self.kind == "interactive":
            return str(self.payload["interactive"]["body"]["text"])
        components = self.payload["template"].get("components") or [{}]
        return " ".join(p["text"] for p in components[0].get("parameters", []))

    @property
    def choices(self) -> list[tuple[str, str]]:
        """(id, title) of reply buttons or list rows."""
        if self.kind != "interactive":
            return []
        action = self.payload["interactive"]["action"]
        if "buttons" in action:
            return [(b["reply"]["id"], b["reply"]["title"]) for b in action["buttons"]]
        return [(r["id"], r["title"]) for s in action["sections"] for r in s["rows"]]


def wamid() -> str:
    return f"wamid.HBgN{uuid.uuid4().hex.upper()}"


def envelope(phone_number_id: str, value: dict[str, Any]) -> dict[str, Any]:
    metadata = {"display_phone_number": DISPLAY_NUMBER, "phone_number_id": phone_number_id}
    return {
        "object": "whatsapp_business_account",
        "entry": [
            {
                "id": WABA_ID,
                "changes": [
                    {
                        "field": "messages",
                        "value": {"messaging_product": "whatsapp", "metadata": metadata, **value},
                    }
                ],
            }
        ],
    }


def message_value(user: User, message: dict[str, Any]) -> dict[str, Any]:
    contact: dict[str, Any] = {"profile": {"name": user.name}}
    if user.wa_id:
        contact["wa_id"] = user.wa_id
        message = {"from": user.wa_id, **message}
    if user.bsuid:
        contact["user_id"] = user.bsuid
        message = {**message, "from_user_id": user.bsuid}
    return {"contacts": [contact], "messages": [message]}


def message(kind: str, content: dict[str, Any], timestamp: int, **extra: Any) -> dict[str, Any]:
    return {"id": wamid(), "timestamp": str(timestamp), "type": kind, kind: content, **extra}


def text(body: str, timestamp: int) -> dict[str, Any]:
    return message("text", {"body": body}, timestamp)


def button_reply(reply_id: str, title: str, timestamp: int, context: str) -> dict[str, Any]:
    chosen = {"type": "button_reply", "button_reply": {"id": reply_id, "title": title}}
    return message("interactive", chosen, timestamp, context={"id": context})


def list_reply(row_id: str, title: str, timestamp: int, context: str) -> dict[str, Any]:
    chosen = {"type": "list_reply", "list_reply": {"id": row_id, "title": title}}
    return message("interactive", chosen, timestamp, context={"id": context})


def template_button(payload: str, label: str, timestamp: int, context: str) -> dict[str, Any]:
    return message(
        "button", {"payload": payload, "text": label}, timestamp, context={"id": context}
    )


def media(kind: str, timestamp: int) -> dict[str, Any]:
    if kind == "location":
        content: dict[str, Any] = {"latitude": -5.73, "longitude": 105.59, "name": "Kalianda"}
    elif kind == "reaction":
        content = {"message_id": wamid(), "emoji": "👍"}
    elif kind == "contacts":
        return message("contacts", {}, timestamp) | {"contacts": [{"name": {"first_name": "A"}}]}
    else:
        content = {"id": str(next(_numbers)), "sha256": "ZmFrZQ==", **MEDIA[kind]}
    return message(kind, content, timestamp)


def status_value(
    message_id: str, status: str, recipient: str, timestamp: int, errors: list[dict[str, Any]]
) -> dict[str, Any]:
    report: dict[str, Any] = {
        "id": message_id,
        "status": status,
        "timestamp": str(timestamp),
        "recipient_id": recipient,
    }
    if status != "failed":
        report["pricing"] = {"billable": True, "pricing_model": "PMP", "category": "service"}
    if errors:
        report["errors"] = errors
    return {"statuses": [report]}
