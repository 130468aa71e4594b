"""What the two Meta channels share (`bot.channels.meta`), on its own: the signature check, a
Graph API refusal read from Meta's error object, and the retries' waits. Both channels'
end-to-end tests (tests/instagram, tests/whatsapp) run it over real HTTP."""

from __future__ import annotations

import pytest
from fakes.meta import encode, sign

from bot.channels.meta import (
    GraphApiError,
    GraphResponse,
    Retries,
    env_proxy,
    valid_signature,
)


class Throttled(GraphApiError):
    retry_codes = frozenset({4})


def test_signature_is_hmac_sha256_of_the_raw_body() -> None:
    raw = encode({"object": "instagram", "entry": []})
    good = sign("rahasia", raw)
    assert valid_signature("rahasia", raw, good)
    assert not valid_signature("rahasia", raw + b" ", good)
    assert not valid_signature("lain", raw, good)
    assert not valid_signature("", raw, sign("", raw))  # no secret: nothing is valid
    assert not valid_signature("rahasia", raw, None)
    assert not valid_signature("rahasia", raw, good.upper())
    assert not valid_signature("rahasia", raw, good.removeprefix("sha256="))
    assert not valid_signature("rahasia", raw, "sha256=\udcfc" + good[8:])


def test_a_refusal_carries_metas_code_subcode_and_retry_after() -> None:
    error = {"message": "(#4) Application request limit reached", "code": 4, "error_subcode": 9}
    response = GraphResponse(400, {"Retry-After": "7"})

    refused = Throttled.from_response(response, {"error": error}, lambda e: str(e["code"]))

    assert isinstance(refused, Throttled)
    assert (refused.reason, refused.status, refused.code, refused.subcode) == ("4", 400, 4, 9)
    assert (refused.retry_after, refused.temporary) == (7.0, True)


def test_without_an_error_object_the_http_status_is_the_reason() -> None:
    for data in ({}, {"error": "x"}, [1], {"error": {}}):
        response = GraphResponse(403, {"Retry-After": "Wed, 21 Oct 2026 07:28:00 GMT"})
        refused = GraphApiError.from_response(response, data, lambda e: "never")
        assert (refused.reason, refused.code, refused.retry_after) == ("HTTP 403", None, None)
        assert not refused.temporary


def test_temporary_is_the_network_429_a_server_error_or_a_retry_code() -> None:
    assert [Throttled("x", status=s).temporary for s in (0, 429, 500, 503)] == [True] * 4
    assert [Throttled("x", status=s).temporary for s in (400, 401, 404)] == [False] * 3
    assert Throttled("x", status=400, code=4).temporary
    assert not GraphApiError("x", status=400, code=4).temporary


def test_waits_double_up_to_the_cap_and_honour_retry_after() -> None:
    retries = Retries(backoff=0.5, max_backoff=3.0)
    plain = GraphApiError("throttled", status=429)
    assert [retries.delay(n, plain) for n in range(5)] == [0.5, 1.0, 2.0, 3.0, 3.0]
    assert Retries(backoff=0.25).delay(6, plain) == 16.0  # no cap unless one is given
    told = GraphApiError("throttled", status=429, retry_after=120.0)
    assert retries.delay(0, told) == 30.0  # capped: a worker must not sleep for minutes


async def test_a_refusal_for_good_is_not_tried_again() -> None:
    calls: list[int] = []

    async def once() -> str:
        calls.append(1)
        raise GraphApiError("refused", status=400)

    with pytest.raises(GraphApiError, match="refused"):
        await Retries(attempts=4, backoff=0.0).run(once, label="Graph API")
    assert len(calls) == 1


async def test_a_passing_failure_is_tried_until_the_attempts_are_spent() -> None:
    calls: list[int] = []

    async def once() -> str:
        calls.append(1)
        if len(calls) < 3:
            raise GraphApiError("throttled", status=429)
        return "ok"

    assert await Retries(attempts=3, backoff=0.0).run(once, label="Graph API") == "ok"
    assert len(calls) == 3


def test_graph_calls_take_the_proxy_the_environment_names(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "NO_PROXY", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    url = "https://graph.facebook.com/v21.0/123/messages"
    assert env_proxy(url) is None
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.kantor:3128")
    assert env_proxy(url) == "http://proxy.kantor:3128"
    assert env_proxy("http://127.0.0.1:8080/v21.0/123/messages") is None  # HTTPS only
    monkeypatch.setenv("NO_PROXY", "facebook.com")
    assert env_proxy(url) is None
