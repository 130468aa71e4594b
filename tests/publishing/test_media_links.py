"""The slides' links: served as JPEG while they live, 404 after, 404 for anything unknown or
malformed, never listed; tokens are long random strings and only their hashes are stored."""

from __future__ import annotations

import httpx
from sqlalchemy import select

from bot.publishing.media import token_hash
from bot.storage.publication_media import MediaStore
from bot.storage.tables_publishing import MediaLinkRow

from .harness import Rig, linked


async def get(url: str) -> httpx.Response:
    async with httpx.AsyncClient(timeout=5.0) as client:
        return await client.get(url)


async def test_a_live_link_serves_its_slide_as_jpeg(rig: Rig) -> None:
    publication = await rig.schedule(slides=2)
    slides = await MediaStore(rig.engine).slides(publication)
    first, second = await linked(rig, publication)
    response = await get(first)
    assert response.status_code == 200
    assert response.headers["content-type"] == "image/jpeg"
    assert response.headers["cache-control"] == "no-store"
    assert response.content == slides[0].image
    assert (await get(second)).content == slides[1].image


async def test_a_link_answers_404_once_expired(rig: Rig) -> None:
    publication = await rig.schedule(slides=2)
    url, _ = await linked(rig, publication)
    rig.clock.advance(minutes=59)
    assert (await get(url)).status_code == 200
    rig.clock.advance(minutes=1)
    assert (await get(url)).status_code == 404


async def test_unknown_malformed_and_listing_requests_get_404(rig: Rig) -> None:
    publication = await rig.schedule(slides=2)
    url, _ = await linked(rig, publication)
    base = rig.settings.public_url
    token = url.removeprefix(f"{base}/media/").removesuffix(".jpg")
    guessed = f"{base}/media/{token[:-1]}{'A' if token[-1] != 'A' else 'B'}.jpg"
    for wrong in (
        guessed,
        f"{base}/media/{token}.png",
        f"{base}/media/{token}",
        f"{base}/media/",
        f"{base}/media",
        f"{base}/media/{token_hash(token)}.jpg",  # the stored hash is no link
    ):
        assert (await get(wrong)).status_code == 404, wrong
    assert (await get(url)).status_code == 200


async def test_tokens_are_long_random_and_only_their_hashes_are_kept(rig: Rig) -> None:
    publication = await rig.schedule(slides=3)
    urls = await linked(rig, publication)
    tokens = [u.rsplit("/", 1)[1].removesuffix(".jpg") for u in urls]
    assert len(set(tokens)) == 3
    assert all(len(t) == 43 for t in tokens)  # 32 random bytes, URL-safe base64
    async with rig.engine.connect() as connection:
        stored = set(await connection.scalars(select(MediaLinkRow.token_hash)))
    assert stored == {token_hash(t) for t in tokens}
    assert not stored & set(tokens)
