"""Instagram's side of publishing (`bot.publishing.vocabulary.Platform`), through the Graph API
with the channel's token (permissions `instagram_business_content_publish` and, for the
insights, `instagram_business_manage_insights`):

- `GET /{account}/content_publishing_limit?fields=quota_usage,config`: the posts published in
  the last 24 hours and how many the account may (`config.quota_total`);
- `POST /{account}/media` with `image_url` and `is_carousel_item` per slide (Meta fetches the
  image), then with `media_type=CAROUSEL`, `children` and `caption`;
- `GET /{container}?fields=status_code`: IN_PROGRESS, FINISHED, ERROR, EXPIRED or PUBLISHED;
- `POST /{account}/media_publish` with `creation_id`, tried once (a repeat after a lost
  answer could publish twice; the status settles it instead);
- `GET /{account}/media` (a post whose publish answer was lost, found by its caption),
  `GET /{media}?fields=permalink` and `GET /{media}/insights`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from bot.channels.instagram.api import InstagramClient, InstagramError
from bot.publishing.vocabulary import ContainerStatus, Metrics, Quota, QuotaFull

# "You reached maximum number of posts that is allowed to be published by Content Publishing
# API" (Instagram's error codes).
LIMIT_CODE, LIMIT_SUBCODE = 9, 2207042
# Feed posts' insights (a carousel's, not its items'); `saved` is Instagram's name for saves.
METRICS = ("reach", "saved", "shares", "comments", "likes", "total_interactions")
RECENT = 25  # the account's newest posts searched for one whose publish answer was lost


class InstagramPublishing:
    """Publishes carousels and reads insights for the channel's account."""

    def __init__(self, client: InstagramClient) -> None:
        self._client = client
        self._account = client.account_id

    async def quota(self) -> Quota:
        """How many posts the account published in the last 24 hours, and may."""
        path = f"/{self._account}/content_publishing_limit"
        data = await self._client.call("GET", path, params={"fields": "quota_usage,config"})
        rows = data.get("data")
        first = rows[0] if isinstance(rows, list) and rows else {}
        config = first.get("config") if isinstance(first, Mapping) else None
        used = first.get("quota_usage") if isinstance(first, Mapping) else None
        total = config.get("quota_total") if isinstance(config, Mapping) else None
        if not isinstance(used, int) or not isinstance(total, int):
            raise InstagramError("the publishing limit came without its figures", status=200)
        return Quota(used, total)

    async def create_item(self, image_url: str, *, alt_text: str | None) -> str:
        """An item container for one slide (Meta fetches `image_url` now)."""
        body: dict[str, Any] = {"image_url": image_url, "is_carousel_item": True}
        if alt_text:
            body["alt_text"] = alt_text
        return _id(await self._client.call("POST", f"/{self._account}/media", json=body))

    async def create_carousel(self, children: Sequence[str], caption: str) -> str:
        """The carousel container of the item containers, with the caption."""
        body = {
            "media_type": "CAROUSEL",
            "children": [_node(child) for child in children],
            "caption": caption,
        }
        return _id(await self._client.call("POST", f"/{self._account}/media", json=body))

    async def status(self, container_id: str) -> ContainerStatus:
        """The container's `status_code`."""
        path = f"/{_node(container_id)}"
        data = await self._client.call("GET", path, params={"fields": "status_code"})
        try:
            return ContainerStatus(str(data.get("status_code")))
        except ValueError:
            raise InstagramError(
                "a container's status came without its code", status=200
            ) from None

    async def publish(self, container_id: str) -> str:
        """Publish the container, once; its media id. QuotaFull at the account's limit."""
        body = {"creation_id": _node(container_id)}
        path = f"/{self._account}/media_publish"
        try:
            return _id(await self._client.call("POST", path, once=True, json=body))
        except InstagramError as exc:
            if exc.code == LIMIT_CODE and exc.subcode == LIMIT_SUBCODE:
                raise QuotaFull(exc.reason) from exc
            raise

    async def find_media(self, caption: str, *, since: dt.datetime) -> str | None:
        """The newest of the account's posts with this caption, published since `since`."""
        params = {"fields": "id,caption,timestamp", "limit": str(RECENT)}
        data = await self._client.call("GET", f"/{self._account}/media", params=params)
        items = data.get("data")
        for item in items if isinstance(items, list) else []:
            if isinstance(item, Mapping) and item.get("caption") == caption:
                published = _time(item.get("timestamp"))
                if published is not None and published >= since:
                    return _id(item)
        return None

    async def permalink(self, media_id: str) -> str | None:
        """The post's address on instagram.com."""
        path = f"/{_node(media_id)}"
        data = await self._client.call("GET", path, params={"fields": "permalink"})
        link = data.get("permalink")
        return link if isinstance(link, str) and link.startswith("https://") else None

    async def metrics(self, media_id: str) -> Metrics:
        """The post's lifetime insights; a metric Meta left out stays None."""
        path = f"/{_node(media_id)}/insights"
        data = await self._client.call("GET", path, params={"metric": ",".join(METRICS)})
        values = _values(data.get("data"))
        return Metrics(
            reach=values.get("reach"),
            saves=values.get("saved"),
            shares=values.get("shares"),
            comments=values.get("comments"),
            likes=values.get("likes"),
            interactions=values.get("total_interactions"),
        )


def _values(rows: object) -> dict[str, int]:
    """{"reach": 120, ...} from insights' [{"name": ..., "values": [{"value": ...}]}]."""
    found: dict[str, int] = {}
    for row in rows if isinstance(rows, list) else []:
        if not isinstance(row, Mapping):
            continue
        values = row.get("values")
        first = values[0] if isinstance(values, list) and values else None
        value = first.get("value") if isinstance(first, Mapping) else None
        if isinstance(row.get("name"), str) and isinstance(value, int):
            found[row["name"]] = value
    return found


def _id(data: Mapping[str, Any]) -> str:
    return _node(data.get("id"))


def _node(value: object) -> str:
    # Every id goes into a request path: anything but digits would address another node.
    if isinstance(value, str) and value.isdigit():
        return value
    raise InstagramError("the Graph API gave an id that is not numeric", status=200)


def _time(value: object) -> dt.datetime | None:
    try:
        return dt.datetime.fromisoformat(str(value))  # "2026-12-07T03:00:00+0000"
    except ValueError:
        return None
