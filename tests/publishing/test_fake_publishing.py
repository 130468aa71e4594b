"""The fake's publishing endpoints are strict, so the worker is tested against what Meta
refuses: wrong types and keys, carousels outside 2–10 FINISHED items, publishing an item, an
unfinished or published container, past the limit; and it fetches each image itself."""

from __future__ import annotations

from typing import Any

import pytest

from bot.channels.instagram.api import InstagramError

from .harness import Rig, linked

# The fake's own rules: one backend is enough (the rig needs a database for the slides).
pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


async def refused(rig: Rig, method: str, path: str, **request: Any) -> tuple[int, int | None]:
    with pytest.raises(InstagramError) as error:
        await rig.client.call(method, path, once=True, **request)
    return error.value.code or 0, error.value.subcode


async def item(rig: Rig, url: str) -> str:
    body = {"image_url": url, "is_carousel_item": True}
    data = await rig.client.call("POST", f"/{rig.graph.account_id}/media", json=body)
    return str(data["id"])


async def finished(rig: Rig, container: str) -> None:
    for _ in range(2):  # IN_PROGRESS on the first read, FINISHED after
        await rig.client.call("GET", f"/{container}", params={"fields": "status_code"})


async def items(rig: Rig, count: int) -> list[str]:
    publication = await rig.schedule(slides=count) if count >= 2 else await rig.schedule()
    made = [await item(rig, url) for url in (await linked(rig, publication))[:count]]
    for container in made:
        await finished(rig, container)
    return made


@pytest.mark.parametrize(
    "body",
    [
        {"is_carousel_item": True},
        {"image_url": "https://x.example/a.jpg", "is_carousel_item": "true"},
        {"image_url": "https://x.example/a.jpg"},
        {"image_url": "file:///etc/passwd", "is_carousel_item": True},
        {"image_url": "https://x.example/a.jpg", "is_carousel_item": True, "caption": "x"},
    ],
)
async def test_item_containers_are_checked(rig: Rig, body: dict[str, Any]) -> None:
    path = f"/{rig.graph.account_id}/media"
    assert await refused(rig, "POST", path, json=body) == (100, None)
    assert rig.graph.publishing.items_made == 0


async def test_an_image_that_cannot_be_fetched_makes_the_container_fail(rig: Rig) -> None:
    container = await item(rig, f"{rig.settings.public_url}/media/{'x' * 43}.jpg")
    assert rig.graph.publishing.state.fetches[-1][1] == 404
    data = await rig.client.call("GET", f"/{container}", params={"fields": "status_code,status"})
    assert data["status_code"] == "ERROR"


async def test_carousels_are_checked(rig: Rig) -> None:
    path = f"/{rig.graph.account_id}/media"
    made = await items(rig, 10)
    extra = await items(rig, 2)

    def carousel(children: object, caption: object = "Keterangan") -> dict[str, Any]:
        return {"json": {"media_type": "CAROUSEL", "children": children, "caption": caption}}

    assert await refused(rig, "POST", path, **carousel(made[:1])) == (100, None)
    assert await refused(rig, "POST", path, **carousel([*made, extra[0]])) == (100, None)
    assert await refused(rig, "POST", path, **carousel(",".join(made[:2]))) == (100, None)
    assert await refused(rig, "POST", path, **carousel(made[:2], "a" * 2201)) == (100, None)
    assert await refused(rig, "POST", path, **carousel(["17999999999999999", made[0]])) == (
        100,
        33,
    )
    unfinished = await item(rig, (await linked(rig, await rig.schedule()))[0])
    assert await refused(rig, "POST", path, **carousel([made[0], unfinished])) == (
        9007,
        2207027,
    )
    await rig.client.call("POST", path, **carousel(made[:2]))
    assert await refused(rig, "POST", path, **carousel(made[1:3])) == (100, None)  # reused


async def test_only_a_finished_carousel_is_published_and_only_once(rig: Rig) -> None:
    account = rig.graph.account_id
    made = await items(rig, 2)
    body = {"media_type": "CAROUSEL", "children": made, "caption": "Keterangan"}
    carousel = str((await rig.client.call("POST", f"/{account}/media", json=body))["id"])
    publish = f"/{account}/media_publish"
    assert await refused(rig, "POST", publish, json={"creation_id": made[0]}) == (100, 33)
    assert await refused(rig, "POST", publish, json={"creation_id": carousel}) == (9007, 2207027)
    await finished(rig, carousel)
    assert await refused(rig, "POST", publish, json={"creation_id": int(carousel)}) == (100, None)
    await rig.client.call("POST", publish, once=True, json={"creation_id": carousel})
    assert await refused(rig, "POST", publish, json={"creation_id": carousel}) == (9, 2207008)
    assert len(rig.graph.publishing.publishes) == 1
    assert rig.graph.publishing.state.repeated_publishes == 1


async def test_the_limit_is_enforced_on_publish(rig: Rig) -> None:
    rig.graph.publishing.quota_total, rig.graph.publishing.used_elsewhere = 5, 5
    account = rig.graph.account_id
    made = await items(rig, 2)
    body = {"media_type": "CAROUSEL", "children": made, "caption": "Keterangan"}
    carousel = str((await rig.client.call("POST", f"/{account}/media", json=body))["id"])
    await finished(rig, carousel)
    publish = f"/{account}/media_publish"
    assert await refused(rig, "POST", publish, json={"creation_id": carousel}) == (9, 2207042)
    limit = await rig.client.call(
        "GET", f"/{account}/content_publishing_limit", params={"fields": "quota_usage,config"}
    )
    assert limit == {
        "data": [{"quota_usage": 5, "config": {"quota_total": 5, "quota_duration": 86400}}]
    }


async def test_reads_name_their_fields_and_metrics(rig: Rig) -> None:
    account = rig.graph.account_id
    assert await refused(rig, "GET", f"/{account}/content_publishing_limit") == (100, None)
    made = await items(rig, 2)
    assert await refused(rig, "GET", f"/{made[0]}", params={"fields": "secret"}) == (100, None)
    assert await refused(rig, "GET", "/17999999999999999", params={"fields": "id"}) == (100, 33)
    assert await refused(rig, "POST", "/17841400000000999/media", json={}) == (100, 33)
    await rig.schedule()
    await rig.worker().publish_due()
    media_id = rig.graph.publishing.publishes[0].id
    bad = {"metric": "reach,impressions"}
    assert await refused(rig, "GET", f"/{media_id}/insights", params=bad) == (100, None)
