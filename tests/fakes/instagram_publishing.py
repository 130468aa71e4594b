"""The content publishing endpoints of the fake Instagram Graph API, mounted by
`FakeInstagram` (its token check and failure injection apply) and reached as `fake.publishing`:

- `POST /{account}/media`: an item container; the fake FETCHES `image_url` over HTTP as Meta
  cURLs it (a 404, a non-JPEG or a failed fetch makes the container ERROR), or a carousel
  container of 2–10 FINISHED items of this account, each used once, with its caption;
- `GET /{container}?fields=status_code`: IN_PROGRESS on the first read, then FINISHED
  (`hold_items`, `hold_carousels` keep them IN_PROGRESS), ERROR, EXPIRED after 24 hours, or
  PUBLISHED;
- `POST /{account}/media_publish`: only a FINISHED carousel, only under the account's limit
  (`quota_total` in 24 hours, plus `used_elsewhere`), each container once; counted in
  `publishes` (`lose_answers` publishes and then answers 500, as a lost answer);
- `GET /{account}/content_publishing_limit`, `GET /{account}/media`, `GET /{media}` and
  `GET /{media}/insights` (figures from `set_insights`).
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

import httpx
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from . import instagram_payloads as payloads
from . import instagram_publishing_rules as rules
from .instagram_rules import IgApiError, invalid, unknown_node

Handler = Callable[[Request], Awaitable[dict[str, Any]]]
Answer = Callable[[Handler], Callable[[Request], Awaitable[JSONResponse]]]
DAY = 24 * 3600.0


class Host(Protocol):
    """What the publishing side needs of the fake it is mounted on."""

    account_id: str
    _lock: Any

    def now(self) -> float: ...


@dataclass(slots=True)
class Container:
    id: str
    created: float
    image_url: str | None = None  # an item's
    fetched: str = ""  # "ok", or why Meta's fetch failed
    alt_text: str | None = None
    children: tuple[str, ...] = ()  # a carousel's
    caption: str = ""
    reads: int = 0
    in_carousel: str | None = None
    media_id: str | None = None

    @property
    def carousel(self) -> bool:
        return self.image_url is None


@dataclass(slots=True)
class Media:
    id: str
    caption: str
    timestamp: float
    permalink: str
    container_id: str


@dataclass(slots=True)
class PublishingState:
    containers: dict[str, Container] = field(default_factory=dict)
    media: dict[str, Media] = field(default_factory=dict)
    fetches: list[tuple[str, int]] = field(default_factory=list)  # url, HTTP status (0: none)
    insights: dict[str, dict[str, int]] = field(default_factory=dict)
    repeated_publishes: int = 0


class PublishingSide:
    """Instagram's content publishing, strict, on the fake's clock."""

    def __init__(self, host: Host) -> None:
        self._host = host
        self.quota_total = 100  # posts an account may publish through the API in 24 hours
        self.used_elsewhere = 0  # posts another app published in the window
        self.posted_after_read = 0  # another app's posts right after the next limit read
        self.hold_items = False  # Meta still processing the slides
        self.hold_carousels = False
        self.lose_answers = 0
        self.state = PublishingState()

    def routes(self, answer: Answer, version: str) -> list[Route]:
        v = f"/{version}"
        return [
            Route(f"{v}/{{node}}/media", answer(self._create), methods=["POST"]),
            Route(f"{v}/{{node}}/media", answer(self._list), methods=["GET"]),
            Route(f"{v}/{{node}}/media_publish", answer(self._publish), methods=["POST"]),
            Route(f"{v}/{{node}}/content_publishing_limit", answer(self._limit), methods=["GET"]),
            Route(f"{v}/{{node}}/insights", answer(self._insights), methods=["GET"]),
            Route(f"{v}/{{node}}", answer(self._read), methods=["GET"]),
        ]

    # --- what tests read and set ------------------------------------------------------------

    @property
    def publishes(self) -> list[Media]:
        with self._host._lock:
            return list(self.state.media.values())

    @property
    def items_made(self) -> int:
        with self._host._lock:
            return sum(not c.carousel for c in self.state.containers.values())

    @property
    def carousels_made(self) -> int:
        with self._host._lock:
            return sum(c.carousel for c in self.state.containers.values())

    def set_insights(self, media_id: str, **values: int) -> None:
        with self._host._lock:
            self.state.insights[media_id] = dict(values)

    def used(self) -> int:
        """Posts counted against the limit now."""
        now = self._host.now()
        recent = [m for m in self.state.media.values() if now - m.timestamp < DAY]
        return len(recent) + self.used_elsewhere

    # --- the endpoints ----------------------------------------------------------------------

    async def _create(self, request: Request) -> dict[str, Any]:
        self._own(request)
        body = await _json(request)
        if isinstance(body, dict) and "media_type" in body:
            children, caption = rules.carousel(body)
            with self._host._lock:
                return {"id": self._carousel(children, caption)}
        url, alt = rules.item(body)
        fetched = await self._fetch(url)
        container = Container(payloads.number_id(), self._host.now(), url, fetched, alt)
        with self._host._lock:
            self.state.containers[container.id] = container
        return {"id": container.id}

    def _carousel(self, children: list[str], caption: str) -> str:
        for child in children:
            item = self.state.containers.get(child)
            if item is None or item.carousel:
                raise unknown_node(child)
            if item.in_carousel is not None:
                raise invalid(f"container {child} is in a carousel already")
            if self._status(item) != "FINISHED":
                raise rules.not_ready()
        container = Container(payloads.number_id(), self._host.now(), None, "ok")
        container.children, container.caption = tuple(children), caption
        for child in children:
            self.state.containers[child].in_carousel = container.id
        self.state.containers[container.id] = container
        return container.id

    async def _fetch(self, url: str) -> str:
        """GET the image as Meta's cURL does; "ok" or why the container will fail."""
        try:
            async with httpx.AsyncClient(timeout=5.0, follow_redirects=False) as client:
                response = await client.get(url)
        except httpx.HTTPError as exc:
            self._fetched(url, 0)
            return f"fetch failed: {type(exc).__name__}"
        self._fetched(url, response.status_code)
        if response.status_code != 200:
            return f"HTTP {response.status_code}"
        if response.headers.get("content-type") != "image/jpeg":
            return "not image/jpeg"
        body = response.content
        if not body.startswith(b"\xff\xd8\xff") or len(body) > rules.IMAGE_BYTES:
            return "not a JPEG of at most 8 MiB"
        return "ok"

    def _fetched(self, url: str, status: int) -> None:
        with self._host._lock:
            self.state.fetches.append((url, status))

    async def _read(self, request: Request) -> dict[str, Any]:
        node = request.path_params["node"]
        with self._host._lock:
            if (container := self.state.containers.get(node)) is not None:
                names = rules.fields(request.query_params, rules.CONTAINER_FIELDS)
                container.reads += 1
                return self._container_fields(container, names)
            if (media := self.state.media.get(node)) is not None:
                return _media_fields(media, rules.fields(request.query_params, rules.MEDIA_FIELDS))
        raise unknown_node(node)

    def _container_fields(self, container: Container, names: list[str]) -> dict[str, Any]:
        status = self._status(container)
        values = {"id": container.id, "status_code": status, "status": status}
        if status == "ERROR":
            values["status"] = f"Error: {container.fetched} (2207052)"
        return {name: values[name] for name in names}

    def _status(self, container: Container) -> str:
        if container.media_id is not None:
            return "PUBLISHED"
        if container.fetched != "ok":
            return "ERROR"
        if self._host.now() - container.created >= DAY:
            return "EXPIRED"
        held = self.hold_carousels if container.carousel else self.hold_items
        if held or container.reads <= 1:
            return "IN_PROGRESS"  # the first read always: Meta is still processing
        return "FINISHED"

    async def _publish(self, request: Request) -> dict[str, Any]:
        self._own(request)
        creation = rules.creation_id(await _json(request))
        with self._host._lock:
            media = self._published(creation)
            lose = self.lose_answers > 0
            self.lose_answers -= int(lose)
        if lose:  # published, but the answer never arrives
            raise IgApiError(500, 2, "An unexpected error has occurred.")
        return {"id": media.id}

    def _published(self, creation: str) -> Media:
        container = self.state.containers.get(creation)
        if container is None or not container.carousel:
            raise unknown_node(creation)
        if container.media_id is not None:
            self.state.repeated_publishes += 1
            raise rules.already_published()
        if self._status(container) != "FINISHED":
            raise rules.not_ready()
        if self.used() >= self.quota_total:
            raise rules.limit_reached()
        link = f"https://www.instagram.com/p/{secrets.token_urlsafe(8)}/"
        media = Media(payloads.number_id(), container.caption, self._host.now(), link, creation)
        container.media_id = media.id
        self.state.media[media.id] = media
        return media

    async def _limit(self, request: Request) -> dict[str, Any]:
        self._own(request)
        names = rules.fields(request.query_params, rules.LIMIT_FIELDS)
        with self._host._lock:
            values = {
                "quota_usage": self.used(),
                "config": {"quota_total": self.quota_total, "quota_duration": int(DAY)},
            }
            self.used_elsewhere += self.posted_after_read
            self.posted_after_read = 0
        return {"data": [{name: values[name] for name in names}]}

    async def _list(self, request: Request) -> dict[str, Any]:
        self._own(request)
        names = rules.fields(request.query_params, rules.MEDIA_FIELDS)
        count = rules.limit(request.query_params)
        with self._host._lock:
            newest = sorted(self.state.media.values(), key=lambda m: -m.timestamp)[:count]
        return {"data": [_media_fields(media, names) for media in newest], "paging": {}}

    async def _insights(self, request: Request) -> dict[str, Any]:
        node = request.path_params["node"]
        names = rules.metrics(request.query_params)
        with self._host._lock:
            if node not in self.state.media:
                raise unknown_node(node)
            figures = self.state.insights.get(node, {})
        return {"data": [rules.insight(name, figures.get(name, 0), node) for name in names]}

    def _own(self, request: Request) -> None:
        if request.path_params["node"] != self._host.account_id:
            raise unknown_node(request.path_params["node"])


def _media_fields(media: Media, names: list[str]) -> dict[str, Any]:
    when = dt.datetime.fromtimestamp(media.timestamp, dt.UTC).strftime("%Y-%m-%dT%H:%M:%S+0000")
    values = {
        "id": media.id,
        "caption": media.caption,
        "timestamp": when,
        "permalink": media.permalink,
        "media_type": "CAROUSEL_ALBUM",
        "media_product_type": "FEED",
    }
    return {name: values[name] for name in names}


async def _json(request: Request) -> object:
    try:
        return await request.json()
    except ValueError:
        raise invalid("the body is not JSON") from None
