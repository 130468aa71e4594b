"""Bot API payloads for the fake: users, chats, media, request decoding, reply-markup checks."""

from __future__ import annotations

import contextlib
import json
import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass
from email.parser import BytesParser
from email.policy import HTTP
from typing import Any

BOT_USERNAME = "tanya_paspor_test_bot"

# Values PTB JSON-encodes inside form bodies; free-text fields are never decoded.
_JSON_KEYS = frozenset(
    {
        "reply_markup",
        "reply_parameters",
        "entities",
        "caption_entities",
        "link_preview_options",
        "commands",
        "scope",
        "allowed_updates",
        "media",
        "message_ids",
    }
)
_TEXT_KEYS = frozenset({"text", "caption", "description", "title", "secret_token", "url"})


@dataclass(frozen=True, slots=True)
class Upload:
    """A file sent as a multipart part (a photo as bytes), under its field name."""

    filename: str
    content_type: str
    data: bytes


def bot_user(bot_id: int) -> dict[str, Any]:
    return {
        "id": bot_id,
        "is_bot": True,
        "first_name": "Tanya Paspor (test)",
        "username": BOT_USERNAME,
        "can_join_groups": True,
        "can_read_all_group_messages": False,
        "supports_inline_queries": False,
    }


def human(user_id: int, first_name: str) -> dict[str, Any]:
    return {"id": user_id, "is_bot": False, "first_name": first_name, "language_code": "id"}


def private_chat(chat_id: int, first_name: str) -> dict[str, Any]:
    return {"id": chat_id, "type": "private", "first_name": first_name}


def group_chat(chat_id: int, title: str, kind: str = "supergroup") -> dict[str, Any]:
    return {"id": chat_id, "type": kind, "title": title}


def command_entities(text: str) -> list[dict[str, Any]]:
    """A leading /command gets a bot_command entity, which PTB's CommandHandler requires."""
    if not text.startswith("/"):
        return []
    command = text.split(maxsplit=1)[0]
    return [{"type": "bot_command", "offset": 0, "length": len(command.encode("utf-16-le")) // 2}]


def media(kind: str, n: int) -> dict[str, Any]:
    """Minimal but realistic message fields for a non-text message; `n` makes file ids unique."""
    file = {"file_id": f"AgAC{kind}{n:06d}", "file_unique_id": f"AQAD{kind}{n:04d}"}
    payloads: dict[str, dict[str, Any]] = {
        "photo": {
            "photo": [
                {**file, "file_id": f"{file['file_id']}s", "width": 90, "height": 67},
                {**file, "width": 1280, "height": 960, "file_size": 123_456},
            ]
        },
        "voice": {"voice": {**file, "duration": 4, "mime_type": "audio/ogg", "file_size": 9_876}},
        "sticker": {
            "sticker": {
                **file,
                "type": "regular",
                "width": 512,
                "height": 512,
                "is_animated": False,
                "is_video": False,
                "emoji": "👍",
            }
        },
        "document": {
            "document": {
                **file,
                "file_name": "ktp.pdf",
                "mime_type": "application/pdf",
                "file_size": 54_321,
            }
        },
        "location": {"location": {"latitude": -5.7386, "longitude": 105.5927}},
        "contact": {"contact": {"phone_number": "+6281234567890", "first_name": "Budi"}},
        "video": {
            "video": {**file, "width": 640, "height": 360, "duration": 7, "mime_type": "video/mp4"}
        },
    }
    if kind not in payloads:
        raise ValueError(f"unknown kind {kind!r}; one of {sorted(payloads)}")
    return payloads[kind]


def decode_fields(pairs: list[tuple[str, str]]) -> dict[str, Any]:
    """Form/query fields with PTB's JSON-encoded structured values decoded."""
    out: dict[str, Any] = {}
    for key, value in pairs:
        out[key] = value
        looks_json = key not in _TEXT_KEYS and value[:1] in ("{", "[")
        if key in _JSON_KEYS or looks_json:
            # Not JSON after all: keep the string, the method will judge it.
            with contextlib.suppress(ValueError):
                out[key] = json.loads(value)
    return out


def decode_body(content_type: str, body: bytes) -> dict[str, Any]:
    """Parameters of a POST body (JSON, urlencoded or multipart; files become `Upload`s)."""
    mime = content_type.split(";", 1)[0].strip().lower()
    if not body:
        return {}
    if mime == "application/json":
        data = json.loads(body)
        if not isinstance(data, dict):
            raise ValueError("JSON body must be an object")
        return data
    if mime == "multipart/form-data":
        fields, uploads = _multipart_parts(content_type, body)
        return {**decode_fields(fields), **uploads}
    return decode_fields(urllib.parse.parse_qsl(body.decode(), keep_blank_values=True))


def _multipart_parts(
    content_type: str, body: bytes
) -> tuple[list[tuple[str, str]], dict[str, Upload]]:
    # The stdlib email parser handles multipart, so python-multipart is not needed.
    head = f"Content-Type: {content_type}\r\n\r\n".encode()
    message = BytesParser(policy=HTTP).parsebytes(head + body)
    fields: list[tuple[str, str]] = []
    uploads: dict[str, Upload] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if not isinstance(name, str):
            continue
        payload = part.get_payload(decode=True)
        data = payload if isinstance(payload, bytes) else b""
        filename = part.get_filename()
        if filename is not None:
            uploads[name] = Upload(filename, part.get_content_type(), data)
        else:
            fields.append((name, data.decode()))
    return fields, uploads


def inline_buttons(markup: Mapping[str, Any] | None) -> list[tuple[str, str | None]]:
    """(text, callback_data) of every inline button, row by row."""
    rows = (markup or {}).get("inline_keyboard") or []
    return [(b["text"], b.get("callback_data")) for row in rows for b in row]


def keyboard_texts(markup: Mapping[str, Any] | None) -> list[str]:
    """Texts of every reply-keyboard button, row by row."""
    rows = (markup or {}).get("keyboard") or []
    return [b if isinstance(b, str) else b["text"] for row in rows for b in row]
