"""The slides served to the platform: `GET /media/<token>.jpg` on `serve`, outside /admin.

A link's token is 32 random bytes from `secrets` (unguessable); the database keeps only its
SHA-256, so a copy of the database names no live link. A link lives `MEDIA_LINK_MINUTES`,
then answers 404 like an unknown one; nothing lists the links. Every worker serves every link
(the slides are in the shared database), whichever worker made it.
"""

from __future__ import annotations

import hashlib
import logging
import re
import secrets

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from bot.core.errors import StorageError
from bot.publishing.vocabulary import MediaFiles

logger = logging.getLogger(__name__)

PATH = "/media/{name}"
TOKEN_BYTES = 32
_NAME = re.compile(r"[A-Za-z0-9_-]{43}\.jpg")  # token_urlsafe(32) is 43 characters
HEADERS = {
    "Cache-Control": "no-store",  # fetched once by the platform; no proxy keeps a copy
    "X-Content-Type-Options": "nosniff",
    "X-Robots-Tag": "noindex",
}


def new_link(public_url: str) -> tuple[str, str]:
    """A fresh link under `public_url` and the hash the database keeps of its token."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    return f"{public_url}/media/{token}.jpg", token_hash(token)


def token_hash(token: str) -> str:
    """What the database keeps of a link's token."""
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def media_route(files: MediaFiles) -> Route:
    """The route `serve` mounts for the slides' links."""

    async def media(request: Request) -> Response:
        name = request.path_params["name"]
        if not _NAME.fullmatch(name):
            return _not_found()
        try:
            image = await files.image(token_hash(name.removesuffix(".jpg")))
        except StorageError:
            # The platform's fetch fails and the container with it; the worker tries again.
            logger.warning("slide not served: database down")
            return PlainTextResponse("Service Unavailable", status_code=503)
        if image is None:
            return _not_found()
        return Response(image, media_type="image/jpeg", headers=HEADERS)

    return Route(PATH, media, methods=["GET"])


def _not_found() -> Response:
    # The same answer for malformed, unknown and expired links: nothing tells them apart.
    return PlainTextResponse("Not Found", status_code=404, headers=HEADERS)
