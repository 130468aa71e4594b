"""What the fake Graph API accepts on POST /{phone-number-id}/messages: the Cloud API's message
shapes and limits, checked strictly, with Meta's error objects for anything else."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from .meta import MetaApiError, Shape

PHONE = re.compile(r"^\d{5,15}$")
BSUID = re.compile(r"^[A-Z]{2}\.[A-Za-z0-9.]{1,140}$")
LIMITS = {
    "text": 4096,
    "body": 1024,
    "button_title": 20,
    "button_id": 256,
    "buttons": 3,
    "list_button": 20,
    "section_title": 24,
    "rows": 10,
    "sections": 10,
    "row_title": 24,
    "row_description": 72,
    "row_id": 200,
    "template_parameter": 1024,
}


class GraphApiError(MetaApiError):
    """A refusal as the WhatsApp Cloud API words it."""

    def body(self) -> dict[str, Any]:
        error: dict[str, Any] = {
            "message": f"(#{self.code}) {self.message}",
            "type": "OAuthException",
            "code": self.code,
            "fbtrace_id": "AFakeTraceId",
        }
        if self.details:
            error["error_data"] = {"messaging_product": "whatsapp", "details": self.details}
        return {"error": error}


def invalid(details: str) -> GraphApiError:
    return GraphApiError(400, 100, "Invalid parameter", details)


# The shared checks, refusing with this fake's "Invalid parameter".
_shape = Shape(invalid)
_keys, _string, _object = _shape.keys, _shape.string, _shape.object


def address(body: Mapping[str, Any]) -> str:
    """The recipient of a well-formed send: a phone number (`to`) or a BSUID (`recipient`)."""
    to, recipient = body.get("to"), body.get("recipient")
    if (to is None) == (recipient is None):
        raise invalid("exactly one of 'to' and 'recipient' is required")
    if to is not None and not (isinstance(to, str) and PHONE.match(to)):
        raise invalid(f"'to' is not a phone number: {to!r}")
    if recipient is not None and not (isinstance(recipient, str) and BSUID.match(recipient)):
        raise invalid(f"'recipient' is not a BSUID: {recipient!r}")
    return str(to or recipient)


def validate(body: object, templates: Mapping[str, tuple[str, int]]) -> str:
    """Check a send; return its type. `templates`: name -> (language, body parameters)."""
    if not isinstance(body, Mapping):
        raise invalid("the body must be a JSON object")
    allowed = {"messaging_product", "recipient_type", "to", "recipient", "type", "context"}
    kind = body.get("type")
    _keys(body, allowed | {str(kind)}, "message")
    if body.get("messaging_product") != "whatsapp":
        raise invalid("messaging_product must be 'whatsapp'")
    if body.get("recipient_type", "individual") != "individual":
        raise invalid("recipient_type must be 'individual'")
    address(body)
    checks = {"text": _text, "interactive": _interactive}
    if kind == "template":
        _template(body.get("template"), templates)
    elif kind in checks:
        checks[str(kind)](body.get(str(kind)))
    else:
        raise invalid(f"unsupported message type {kind!r}")
    return str(kind)


def _text(value: object) -> None:
    text = _object(value, "text")
    _keys(text, {"body", "preview_url"}, "text")
    _string(text.get("body"), LIMITS["text"], "text.body")
    if not isinstance(text.get("preview_url", False), bool):
        raise invalid("text.preview_url must be a boolean")


def _interactive(value: object) -> None:
    interactive = _object(value, "interactive")
    _keys(interactive, {"type", "body", "action"}, "interactive")
    body = _object(interactive.get("body"), "interactive.body")
    _keys(body, {"text"}, "interactive.body")
    _string(body.get("text"), LIMITS["body"], "interactive.body.text")
    action = _object(interactive.get("action"), "interactive.action")
    if interactive.get("type") == "button":
        _buttons(action)
    elif interactive.get("type") == "list":
        _list(action)
    else:
        raise invalid(f"unsupported interactive type {interactive.get('type')!r}")


def _buttons(action: Mapping[str, Any]) -> None:
    _keys(action, {"buttons"}, "action")
    buttons = action.get("buttons")
    if not isinstance(buttons, list) or not 1 <= len(buttons) <= LIMITS["buttons"]:
        raise invalid("action.buttons must hold 1 to 3 buttons")
    ids, titles = [], []
    for button in buttons:
        button = _object(button, "button")
        if button.get("type") != "reply":
            raise invalid("button.type must be 'reply'")
        reply = _object(button.get("reply"), "button.reply")
        _keys(reply, {"id", "title"}, "button.reply")
        ids.append(_string(reply.get("id"), LIMITS["button_id"], "button id"))
        titles.append(_string(reply.get("title"), LIMITS["button_title"], "button title"))
    if len(set(ids)) != len(ids) or len(set(titles)) != len(titles):
        raise invalid("button ids and titles must be unique")


def _list(action: Mapping[str, Any]) -> None:
    _keys(action, {"button", "sections"}, "action")
    _string(action.get("button"), LIMITS["list_button"], "action.button")
    sections = action.get("sections")
    if not isinstance(sections, list) or not 1 <= len(sections) <= LIMITS["sections"]:
        raise invalid("action.sections must hold 1 to 10 sections")
    ids: list[str] = []
    for section in sections:
        section = _object(section, "section")
        _keys(section, {"title", "rows"}, "section")
        title_required = len(sections) > 1
        _string(
            section.get("title"), LIMITS["section_title"], "section title", required=title_required
        )
        rows = section.get("rows")
        if not isinstance(rows, list) or not rows:
            raise invalid("a section needs rows")
        ids.extend(_row(row) for row in rows)
    if len(ids) > LIMITS["rows"]:
        raise invalid(f"{len(ids)} rows; a list holds at most 10")
    if len(set(ids)) != len(ids):
        raise invalid("row ids must be unique")


def _row(value: object) -> str:
    row = _object(value, "row")
    _keys(row, {"id", "title", "description"}, "row")
    _string(row.get("title"), LIMITS["row_title"], "row title")
    _string(row.get("description"), LIMITS["row_description"], "row description", required=False)
    return _string(row.get("id"), LIMITS["row_id"], "row id")


def _template(value: object, templates: Mapping[str, tuple[str, int]]) -> None:
    template = _object(value, "template")
    _keys(template, {"name", "language", "components"}, "template")
    name = template.get("name")
    if name not in templates:
        raise GraphApiError(404, 132001, "Template name does not exist in the translation")
    language, count = templates[str(name)]
    if _object(template.get("language"), "template.language").get("code") != language:
        raise GraphApiError(404, 132001, "Template name does not exist in the translation")
    parameters = [
        parameter
        for component in template.get("components") or []
        if _object(component, "component").get("type") == "body"
        for parameter in component.get("parameters") or []
    ]
    if len(parameters) != count:
        raise GraphApiError(400, 132000, "Number of parameters does not match")
    for parameter in parameters:
        text = _string(_object(parameter, "parameter").get("text"), 1024, "parameter")
        if "\n" in text or "\t" in text or "     " in text:
            raise GraphApiError(400, 132018, "There was an issue with the parameters")
