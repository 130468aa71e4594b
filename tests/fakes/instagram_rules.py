"""What the fake Instagram Graph API accepts: the Send API's shapes and limits, the ice
breakers' shape, and Meta's error objects (the Instagram Login API's) for anything else."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .meta import MetaApiError, Shape

LIMITS = {
    "text_bytes": 1000,
    "quick_replies": 13,
    "title": 20,
    "payload": 1000,
    "comment": 2200,
    "ice_breakers": 4,
    "question": 80,
}
MESSAGING_TYPES = {"RESPONSE", "UPDATE", "MESSAGE_TAG"}


class IgApiError(MetaApiError):
    """A refusal as the Instagram Login API words it."""

    def body(self) -> dict[str, Any]:
        error: dict[str, Any] = {
            "message": self.message,
            "type": "IGApiException" if self.code == 10 else "OAuthException",
            "code": self.code,
            "fbtrace_id": "AFakeTraceIdIg",
        }
        if self.subcode is not None:
            error["error_subcode"] = self.subcode
        if self.code in (1, 2, 4, 17, 32, 613):
            error["is_transient"] = True
        return {"error": error}


PASSING = {
    2: "An unexpected error has occurred. Please retry your request later.",
    4: "(#4) Application request limit reached",
    17: "(#17) User request limit reached",
    32: "(#32) Page request limit reached",
    613: "(#613) Calls to this api have exceeded the rate limit.",
}


def passing(status: int, code: int | None) -> IgApiError:
    """A failure worth retrying: throttled (429, or codes 4, 17, 32, 613) or a server error."""
    code = code if code is not None else (4 if status == 429 else 2)
    return IgApiError(status, code, PASSING.get(code, PASSING[2]))


def invalid(details: str) -> IgApiError:
    return IgApiError(400, 100, f"(#100) Invalid parameter: {details}")


# The shared checks, refusing with this fake's "Invalid parameter".
_shape = Shape(invalid)
_keys, _string, _object = _shape.keys, _shape.string, _shape.object


def window_closed() -> IgApiError:
    """Meta's answer to a send outside the 24-hour (or 7-day) window."""
    return IgApiError(400, 10, "This message is sent outside of allowed window.", subcode=2534022)


def already_replied() -> IgApiError:
    return IgApiError(400, 10900, "(#10900) Activity already replied to")


def no_capability() -> IgApiError:
    return IgApiError(
        400, 3, "(#3) Application does not have the capability to make this API call."
    )


def bad_token() -> IgApiError:
    return IgApiError(400, 190, "Invalid OAuth access token - Cannot parse access token")


def unknown_node(node: str) -> IgApiError:
    return IgApiError(
        400,
        100,
        f"Unsupported post request. Object with ID '{node}' does not exist, cannot be loaded "
        "due to missing permissions, or does not support this operation.",
        subcode=33,
    )


def validate_send(body: object) -> tuple[dict[str, str], bool]:
    """Check a Send API body; return (its recipient, whether it carries HUMAN_AGENT)."""
    if not isinstance(body, Mapping):
        raise invalid("the body must be a JSON object")
    _keys(body, {"recipient", "message", "messaging_type", "tag"}, "body")
    recipient = _object(body.get("recipient"), "recipient")
    if len(recipient) != 1 or not set(recipient) <= {"id", "comment_id"}:
        raise invalid("recipient takes exactly one of 'id' and 'comment_id'")
    (value,) = recipient.values()
    if not isinstance(value, str) or not value.isdigit():
        raise invalid("the recipient id must be a string of digits")
    tagged = _messaging_type(body, private="comment_id" in recipient)
    message(body.get("message"))
    return dict(recipient), tagged


def _messaging_type(body: Mapping[str, Any], *, private: bool) -> bool:
    kind, tag = body.get("messaging_type", "RESPONSE"), body.get("tag")
    if kind not in MESSAGING_TYPES:
        raise invalid(f"messaging_type {kind!r}")
    if (kind == "MESSAGE_TAG") != (tag is not None):
        raise invalid("a tag goes with messaging_type MESSAGE_TAG, and only with it")
    if tag is not None and (tag != "HUMAN_AGENT" or private):
        raise invalid(f"tag {tag!r} is not allowed here")
    return tag == "HUMAN_AGENT"


def message(value: object) -> None:
    """A message object: text (≤ 1,000 bytes) with optional quick replies."""
    body = _object(value, "message")
    _keys(body, {"text", "quick_replies"}, "message")
    text = body.get("text")
    if not isinstance(text, str) or not text.strip():
        raise invalid("message.text must be a non-empty string")
    size = len(text.encode())
    if size > LIMITS["text_bytes"]:
        raise IgApiError(
            400,
            100,
            f"(#100) Length of param message[text] must be less than or equal to 1000 "
            f"(is {size} bytes)",
        )
    if "quick_replies" in body:
        quick_replies(body["quick_replies"])


def quick_replies(value: object) -> None:
    if not isinstance(value, list) or not 1 <= len(value) <= LIMITS["quick_replies"]:
        raise invalid("quick_replies must hold 1 to 13 items")
    for item in value:
        item = _object(item, "quick reply")
        _keys(item, {"content_type", "title", "payload", "image_url"}, "quick reply")
        if item.get("content_type") != "text":
            raise invalid("quick reply content_type must be 'text'")
        _string(item.get("title"), LIMITS["title"], "quick reply title")
        _string(item.get("payload"), LIMITS["payload"], "quick reply payload")


def ice_breakers(body: object) -> list[tuple[str, str]]:
    """Check a messenger_profile body; return the (question, payload) pairs."""
    profile = _object(body, "body")
    _keys(profile, {"platform", "ice_breakers"}, "body")
    if profile.get("platform") != "instagram":
        raise invalid("platform must be 'instagram'")
    locales = profile.get("ice_breakers")
    if not isinstance(locales, list) or len(locales) != 1:
        raise invalid("ice_breakers must hold one locale object")
    locale = _object(locales[0], "ice breaker locale")
    _keys(locale, {"call_to_actions", "locale"}, "ice breaker locale")
    if locale.get("locale") != "default":
        raise invalid("the first locale must be 'default'")
    actions = locale.get("call_to_actions")
    if not isinstance(actions, list) or not 1 <= len(actions) <= LIMITS["ice_breakers"]:
        raise invalid("call_to_actions must hold 1 to 4 questions")
    pairs = []
    for action in actions:
        action = _object(action, "call to action")
        _keys(action, {"question", "payload"}, "call to action")
        question = _string(action.get("question"), LIMITS["question"], "question")
        pairs.append((question, _string(action.get("payload"), LIMITS["payload"], "payload")))
    return pairs
