"""What Meta posts to the WhatsApp webhook, decoded: the payload parser (the signature is
checked by the shared webhook, `bot.channels.meta`).

Plain functions, no I/O. The parser is strict about the envelope (a body that is not Meta's
shape is refused) and lenient inside it: one odd message is skipped, not the whole batch,
because Meta would otherwise retry the batch for days.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from bot.core.privacy import redact

logger = logging.getLogger(__name__)

STATUSES = frozenset({"sent", "delivered", "read", "failed"})
# WhatsApp's message types, as the core's `kind` names them (the same names as Telegram's).
MEDIA_KINDS = {
    "image": "photo",
    "audio": "voice",
    "video": "video",
    "document": "document",
    "sticker": "sticker",
    "location": "location",
    "contacts": "contact",
    "reaction": "reaction",
}
# Not written by the applicant (a number change, a message deleted): nothing to answer.
IGNORED_TYPES = frozenset({"system", "deleted", "ephemeral", "request_welcome"})
_REPEATED_CODE = re.compile(r"^\(#\d+\)\s*")


class MalformedPayload(ValueError):
    """The body is JSON but not a WhatsApp webhook envelope."""


@dataclass(frozen=True, slots=True)
class InboundMessage:
    """One applicant message, ready for the core."""

    message_id: str
    chat_id: str  # where replies go: the phone number (wa_id), or the BSUID when it is withheld
    user_id: str  # who wrote: the BSUID when Meta gives one, else the wa_id
    text: str
    kind: str
    sent_at: dt.datetime
    number: str = ""  # the business number written to (its phone number id; "": not named)


@dataclass(frozen=True, slots=True)
class StatusReport:
    """Meta's news about a message we sent."""

    message_id: str
    status: str
    error: str | None = None


@dataclass(frozen=True, slots=True)
class Batch:
    """Everything in one webhook POST."""

    messages: tuple[InboundMessage, ...] = ()
    statuses: tuple[StatusReport, ...] = ()


def parse(payload: object) -> Batch:
    """Messages and statuses of a webhook body; MalformedPayload if it is not an envelope."""
    if not isinstance(payload, Mapping) or not isinstance(payload.get("entry"), list):
        raise MalformedPayload("not a WhatsApp webhook envelope")
    messages: list[InboundMessage] = []
    statuses: list[StatusReport] = []
    for value in _values(payload["entry"]):
        contacts = [c for c in _list(value.get("contacts")) if isinstance(c, Mapping)]
        number = _number(value)
        for raw in _list(value.get("messages")):
            if message := _message(raw, contacts):
                messages.append(dataclasses.replace(message, number=number))
        for raw in _list(value.get("statuses")):
            if status := _status(raw):
                statuses.append(status)
    return Batch(tuple(messages), tuple(statuses))


def _values(entries: list[Any]) -> Iterator[Mapping[str, Any]]:
    for entry in entries:
        if not isinstance(entry, Mapping) or not isinstance(entry.get("changes"), list):
            raise MalformedPayload("an entry without changes")
        for change in entry["changes"]:
            if not isinstance(change, Mapping):
                raise MalformedPayload("a change that is not an object")
            # Other fields (template reviews, account updates) are not for the bot.
            if change.get("field") == "messages" and isinstance(change.get("value"), Mapping):
                yield change["value"]


def _number(value: Mapping[str, Any]) -> str:
    """The id of the business number the messages were written to."""
    metadata = value.get("metadata")
    return _text(metadata.get("phone_number_id")) if isinstance(metadata, Mapping) else ""


def _list(value: object) -> list[Any]:
    return value if isinstance(value, list) else []


def _message(raw: object, contacts: list[Mapping[str, Any]]) -> InboundMessage | None:
    if not isinstance(raw, Mapping) or not isinstance(raw.get("id"), str):
        logger.warning("WhatsApp message without an id skipped")
        return None
    wa_id = _text(raw.get("from"))
    contact = _contact(contacts, wa_id)
    user_id = _text(raw.get("from_user_id")) or _text(contact.get("user_id")) or wa_id
    chat_id = wa_id or user_id
    content = _content(raw)
    if not chat_id or content is None:
        return None
    text, kind = content
    return InboundMessage(raw["id"], chat_id, user_id, text, kind, _time(raw.get("timestamp")))


def _contact(contacts: list[Mapping[str, Any]], wa_id: str) -> Mapping[str, Any]:
    for contact in contacts:
        if wa_id and contact.get("wa_id") == wa_id:
            return contact
    return contacts[0] if len(contacts) == 1 else {}


def _content(raw: Mapping[str, Any]) -> tuple[str, str] | None:
    """(text, kind) for the core; None when there is nothing to answer."""
    kind = _text(raw.get("type"))
    body = raw.get(kind)
    body = body if isinstance(body, Mapping) else {}
    if kind == "text":
        return _text(body.get("body")), "text"
    if kind == "interactive":
        # A pressed reply button or a picked list row: its id is the core's button data.
        chosen = body.get(_text(body.get("type")))
        if isinstance(chosen, Mapping) and body.get("type") in ("button_reply", "list_reply"):
            return _text(chosen.get("id")) or _text(chosen.get("title")), "text"
        return "", "other"
    if kind == "button":  # a template's quick-reply button (not "interactive")
        return _text(body.get("payload")) or _text(body.get("text")), "text"
    if kind == "reaction" and not _text(body.get("emoji")):
        return None  # a reaction taken back
    if kind in IGNORED_TYPES:
        return None
    if kind in MEDIA_KINDS:
        return _text(body.get("caption")), MEDIA_KINDS[kind]
    return "", "other"


def _status(raw: object) -> StatusReport | None:
    if not isinstance(raw, Mapping) or not isinstance(raw.get("id"), str):
        return None
    status = raw.get("status")
    if not isinstance(status, str) or status not in STATUSES:
        return None  # e.g. "played" for voice messages, which the bot never sends
    errors = [e for e in _list(raw.get("errors")) if isinstance(e, Mapping)]
    return StatusReport(raw["id"], str(status), describe_error(errors[0]) if errors else None)


def describe_error(error: Mapping[str, Any]) -> str:
    """A Graph API error as one line, e.g. "131047 Re-engagement message: details"."""
    data = error.get("error_data")
    details = _text(data.get("details")) if isinstance(data, Mapping) else ""
    # Graph API messages repeat the code as "(#131047) ..."; it is printed once, in front.
    title = _REPEATED_CODE.sub("", _text(error.get("title")) or _text(error.get("message")))
    code = error.get("code")
    text = f"{code} {title}".strip() if code is not None else title
    # Details may quote the recipient's number; the line goes to logs, the database and staff.
    return redact(f"{text}: {details}").text if details else text or "unknown error"


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _time(value: object) -> dt.datetime:
    now = dt.datetime.now(dt.UTC)
    try:
        sent = dt.datetime.fromtimestamp(int(str(value)), dt.UTC)
    except (ValueError, OverflowError, OSError):
        return now
    return min(sent, now)  # a clock ahead of ours must not stretch the 24-hour window
