"""What the fake Instagram Graph API accepts for content publishing: the containers' bodies,
the publish call, the limit and insights queries, and Meta's errors for what it refuses
(Instagram's error codes page: 9/2207042 the publishing limit, 9007/2207027 not ready,
2207052 an image that could not be fetched)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from .instagram_rules import IgApiError, invalid
from .meta import Shape

CAPTION = 2200
HASHTAGS = 30
MENTIONS = 20
CHILDREN = (2, 10)
IMAGE_BYTES = 8 * 1024 * 1024
CONTAINER_FIELDS = {"id", "status_code", "status"}
MEDIA_FIELDS = {"id", "caption", "timestamp", "permalink", "media_type", "media_product_type"}
LIMIT_FIELDS = {"quota_usage", "config"}
# A carousel's (FEED) metrics under the Instagram API with Instagram Login.
METRICS = {
    "reach",
    "saved",
    "shares",
    "comments",
    "likes",
    "total_interactions",
    "views",
    "profile_visits",
    "profile_activity",
    "follows",
}
_shape = Shape(invalid)
_HASHTAG = re.compile(r"(?<!\w)#\w")
_MENTION = re.compile(r"(?<![\w@])@[\w.]")


def limit_reached() -> IgApiError:
    return IgApiError(
        400,
        9,
        "You reached maximum number of posts that is allowed to be published by Content "
        "Publishing API.",
        subcode=2207042,
    )


def not_ready() -> IgApiError:
    message = "The media is not ready for publishing, please wait for a moment"
    return IgApiError(400, 9007, message, subcode=2207027)


def already_published() -> IgApiError:
    return IgApiError(400, 9, "(#9) This media has already been published", subcode=2207008)


def item(body: object) -> tuple[str, str | None]:
    """An item container's body: its image URL and alt text."""
    fields = _shape.object(body, "body")
    _shape.keys(fields, {"image_url", "is_carousel_item", "alt_text"}, "body")
    url = _shape.string(fields.get("image_url"), 2048, "image_url")
    if not url.startswith(("http://", "https://")):
        raise invalid("image_url must be an http(s) URL")
    if fields.get("is_carousel_item") is not True:
        raise invalid("is_carousel_item must be the boolean true (single images: not faked)")
    alt = fields.get("alt_text")
    if alt is not None and not (isinstance(alt, str) and alt.strip()):
        raise invalid("alt_text must be a non-empty string")
    return url, alt


def carousel(body: object) -> tuple[list[str], str]:
    """A carousel container's body: its children's ids and caption."""
    fields = _shape.object(body, "body")
    _shape.keys(fields, {"media_type", "children", "caption"}, "body")
    if fields.get("media_type") != "CAROUSEL":
        raise invalid("media_type must be CAROUSEL")
    children = fields.get("children")
    low, high = CHILDREN
    if not isinstance(children, list) or not low <= len(children) <= high:
        raise invalid(f"children must list {low} to {high} container ids")
    if not all(isinstance(c, str) and c.isdigit() for c in children):
        raise invalid("each child must be a container id (a string of digits)")
    if len(set(children)) != len(children):
        raise invalid("a child appears twice")
    return list(children), caption(fields.get("caption"))


def caption(value: object) -> str:
    if value is None:
        return ""
    text = _shape.string(value, CAPTION, "caption")
    if len(_HASHTAG.findall(text)) > HASHTAGS:
        raise invalid(f"a caption may hold at most {HASHTAGS} hashtags")
    if len(_MENTION.findall(text)) > MENTIONS:
        raise invalid(f"a caption may mention at most {MENTIONS} accounts")
    return text


def creation_id(body: object) -> str:
    fields = _shape.object(body, "body")
    _shape.keys(fields, {"creation_id"}, "body")
    value = fields.get("creation_id")
    if not isinstance(value, str) or not value.isdigit():
        raise invalid("creation_id must be a container id (a string of digits)")
    return value


def fields(query: Mapping[str, str], allowed: set[str]) -> list[str]:
    """The `fields` parameter: required here, every name known."""
    names = [name for name in query.get("fields", "").split(",") if name]
    if not names:
        raise invalid("fields is required")
    unknown = sorted(set(names) - allowed)
    if unknown:
        raise IgApiError(400, 100, f"(#100) Tried accessing nonexisting field ({unknown[0]})")
    return names


def metrics(query: Mapping[str, str]) -> list[str]:
    names = [name for name in query.get("metric", "").split(",") if name]
    if not names:
        raise invalid("metric is required")
    for index, name in enumerate(names):
        if name not in METRICS:
            allowed = ", ".join(sorted(METRICS))
            raise invalid(f"metric[{index}] must be one of the following values: {allowed}")
    if query.get("period", "lifetime") != "lifetime":
        raise invalid("period must be lifetime")
    return names


def limit(query: Mapping[str, str]) -> int:
    raw = query.get("limit", "25")
    if not raw.isdigit() or not 1 <= int(raw) <= 100:
        raise invalid("limit must be 1 to 100")
    return int(raw)


def insight(name: str, value: int, media_id: str) -> dict[str, Any]:
    """One metric as Meta returns it."""
    return {
        "name": name,
        "period": "lifetime",
        "values": [{"value": value}],
        "title": name.replace("_", " ").title(),
        "description": f"{name} of the media",
        "id": f"{media_id}/insights/{name}/lifetime",
    }
