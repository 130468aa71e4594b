"""The fake Instagram Graph API is strict, so the client tests mean something: raw requests
with a wrong token, endpoint or shape, over the limits or out of the windows, are refused
with Meta's error JSON; injected failures hit exactly the calls they name."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from fakes.instagram_api import FakeInstagram
from fakes.instagram_payloads import IgUser

USER = IgUser("1234567890123456")
HOUR = 3600.0


async def call(
    fake: FakeInstagram,
    path: str,
    *,
    body: Any = None,
    params: dict[str, str] | None = None,
    token: str | None = None,
    method: str = "POST",
) -> tuple[int, dict[str, Any]]:
    headers = {"Authorization": f"Bearer {token or fake.token}"}
    async with httpx.AsyncClient(timeout=5) as client:
        response = await client.request(
            method, fake.api_url + path, json=body, params=params, headers=headers
        )
    return response.status_code, response.json()


def dm(text: str = "Halo", **message: Any) -> dict[str, Any]:
    return {"recipient": {"id": USER.igsid}, "message": {"text": text, **message}}


def code(answer: tuple[int, dict[str, Any]]) -> tuple[int, int, int | None]:
    status, data = answer
    error = data["error"]
    return status, error["code"], error.get("error_subcode")


@pytest.fixture(autouse=True)
def window(fake: FakeInstagram) -> None:
    fake.dm_entry(USER, {"message": {"mid": "m", "text": "halo"}})


async def test_a_good_send_is_answered_like_meta(fake: FakeInstagram) -> None:
    for node in (fake.account_id, "me"):
        status, data = await call(fake, f"/{node}/messages", body=dm())
        assert (status, data["recipient_id"]) == (200, USER.igsid)
        assert data["message_id"]
    assert len(fake.sent) == 2


async def test_token_and_endpoint_are_checked(fake: FakeInstagram) -> None:
    assert code(await call(fake, f"/{fake.account_id}/messages", body=dm(), token="x"))[1] == 190
    assert code(await call(fake, "/17841499999999999/messages", body=dm()))[:2] == (400, 100)
    assert fake.sent == []
    assert len(fake.errors) == 2


@pytest.mark.parametrize(
    "body",
    [
        dm("ꦲ" * 334),  # 1,002 bytes in 334 characters
        dm(""),
        dm(
            quick_replies=[
                {"content_type": "text", "title": f"T{n}", "payload": "p"} for n in range(14)
            ]
        ),
        dm(quick_replies=[{"content_type": "text", "title": "x" * 21, "payload": "p"}]),
        dm(quick_replies=[{"content_type": "text", "title": "Ya", "payload": "p" * 1001}]),
        dm(quick_replies=[{"content_type": "text", "title": "Ya"}]),
        dm(quick_replies=[]),
        dm(preview_url=False),
        {**dm(), "to": USER.igsid},
        {"recipient": {"id": USER.igsid, "comment_id": "1"}, "message": {"text": "x"}},
        {"recipient": {"id": "@rina"}, "message": {"text": "x"}},
        {**dm(), "tag": "HUMAN_AGENT"},
        {**dm(), "messaging_type": "MESSAGE_TAG", "tag": "ACCOUNT_UPDATE"},
        {**dm(), "messaging_type": "MESSAGE_TAG"},
        {**dm(), "messaging_type": "PROMOTION"},
        {
            "recipient": {"comment_id": "1"},
            "message": {"text": "x"},
            "messaging_type": "MESSAGE_TAG",
            "tag": "HUMAN_AGENT",
        },
        ["bukan objek"],
    ],
)
async def test_bad_shapes_and_limits_are_refused(fake: FakeInstagram, body: Any) -> None:
    assert code(await call(fake, f"/{fake.account_id}/messages", body=body))[:2] == (400, 100)
    assert fake.sent == []


async def test_the_24_hour_window_and_the_7_days_of_human_agent(fake: FakeInstagram) -> None:
    path = f"/{fake.account_id}/messages"
    tagged = {**dm(), "messaging_type": "MESSAGE_TAG", "tag": "HUMAN_AGENT"}
    fake.clock_offset = 24 * HOUR + 1
    assert code(await call(fake, path, body=dm())) == (400, 10, 2534022)
    assert (await call(fake, path, body=tagged))[0] == 200
    fake.clock_offset = 7 * 24 * HOUR + 1
    assert code(await call(fake, path, body=tagged)) == (400, 10, 2534022)
    _, data = await call(fake, path, body=dm())
    assert data["error"]["message"] == "This message is sent outside of allowed window."
    assert data["error"]["type"] == "IGApiException"


async def test_someone_who_never_wrote_cannot_be_messaged(fake: FakeInstagram) -> None:
    body = {"recipient": {"id": "5555555555555555"}, "message": {"text": "Promo"}}
    assert code(await call(fake, f"/{fake.account_id}/messages", body=body))[:2] == (400, 100)


async def test_one_private_reply_per_comment_and_only_for_7_days(fake: FakeInstagram) -> None:
    path = f"/{fake.account_id}/messages"
    _, comment = fake.comment_value(USER, "syarat?")
    reply = {"recipient": {"comment_id": comment}, "message": {"text": "Syaratnya..."}}
    assert (await call(fake, path, body=reply))[0] == 200
    assert code(await call(fake, path, body=reply)) == (400, 10900, None)
    _, late = fake.comment_value(USER, "biaya?")
    fake.clock_offset = 7 * 24 * HOUR + 1
    late_reply = {"recipient": {"comment_id": late}, "message": {"text": "Biayanya..."}}
    assert code(await call(fake, path, body=late_reply)) == (400, 10, 2534022)
    unknown = {"recipient": {"comment_id": "1"}, "message": {"text": "x"}}
    assert code(await call(fake, path, body=unknown))[:2] == (400, 100)
    assert [(s.to, s.comment) for s in fake.sent] == [(USER.igsid, comment)]


async def test_public_replies_and_hiding_need_a_known_comment_and_a_message(
    fake: FakeInstagram,
) -> None:
    _, comment = fake.comment_value(USER, "halo")
    assert (await call(fake, f"/{comment}/replies", params={"message": "Hai"}))[0] == 200
    assert (await call(fake, f"/{comment}/replies"))[0] == 400
    assert (await call(fake, f"/{comment}/replies", params={"message": "x" * 2201}))[0] == 400
    assert (await call(fake, "/1/replies", params={"message": "Hai"}))[0] == 400
    assert (await call(fake, f"/{comment}", params={"hide": "ya"}))[0] == 400
    assert (await call(fake, f"/{comment}", params={"hide": "true"}))[1] == {"success": True}
    assert (await call(fake, f"/{comment}/replies", params={"message": "Hai"}))[0] == 400
    assert len(fake.public_replies) == 1


@pytest.mark.parametrize(
    "body",
    [
        {
            "ice_breakers": [
                {"call_to_actions": [{"question": "Q?", "payload": "p"}], "locale": "default"}
            ]
        },
        {"platform": "instagram", "ice_breakers": [{"call_to_actions": [], "locale": "default"}]},
        {
            "platform": "instagram",
            "ice_breakers": [
                {"call_to_actions": [{"question": "Q?", "payload": "p"}] * 5, "locale": "default"}
            ],
        },
        {
            "platform": "instagram",
            "ice_breakers": [
                {"call_to_actions": [{"question": "Q" * 81, "payload": "p"}], "locale": "default"}
            ],
        },
        {
            "platform": "instagram",
            "ice_breakers": [{"call_to_actions": [{"question": "Q?"}], "locale": "default"}],
        },
        {
            "platform": "instagram",
            "ice_breakers": [
                {"call_to_actions": [{"question": "Q?", "payload": "p"}], "locale": "id_ID"}
            ],
        },
        {
            "platform": "instagram",
            "ice_breakers": [{"call_to_actions": [{"question": "Q?", "payload": "p"}]}],
        },
        {
            "platform": "instagram",
            "ice_breakers": [{"call_to_actions": [{"question": "Q?", "payload": "p"}]}],
            "locale": "default",
        },
    ],
)
async def test_ice_breakers_must_have_metas_shape(fake: FakeInstagram, body: Any) -> None:
    assert (await call(fake, "/me/messenger_profile", body=body))[0] == 400
    assert fake.ice_breakers == []


async def test_the_token_refresh_takes_the_documented_query(fake: FakeInstagram) -> None:
    root = fake.api_url.removesuffix("/v26.0")
    async with httpx.AsyncClient(timeout=5) as client:
        wrong = await client.get(
            f"{root}/refresh_access_token", params={"access_token": fake.token}
        )
        right = await client.get(
            f"{root}/refresh_access_token",
            params={"grant_type": "ig_refresh_token", "access_token": fake.token},
        )
    assert (wrong.status_code, right.status_code) == (400, 200)
    assert right.json()["expires_in"] == 60 * 24 * 3600
    assert fake.refreshes == 1


async def test_fail_next_fails_exactly_that_many_calls(fake: FakeInstagram) -> None:
    path = f"/{fake.account_id}/messages"
    fake.fail_next(1, status=429)
    fake.fail_next(1, status=400, code=613)
    fake.fail_next(1, status=500)
    answers = [code(await call(fake, path, body=dm())) for _ in range(3)]
    assert answers == [(429, 4, None), (400, 613, None), (500, 2, None)]
    assert (await call(fake, path, body=dm()))[0] == 200


async def test_an_outage_fails_every_call_until_it_ends(fake: FakeInstagram) -> None:
    fake.faults.outage(status=503)
    assert code(await call(fake, f"/{fake.account_id}/messages", body=dm()))[0] == 503
    fake.faults.end_outage()
    assert (await call(fake, f"/{fake.account_id}/messages", body=dm()))[0] == 200
