"""The /whatsapp route over real HTTP: Meta's verification handshake, signatures checked over
the raw body before parsing, malformed bodies, and messages Meta delivers more than once."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from fakes import whatsapp_payloads
from fakes.meta import encode, sign
from fakes.whatsapp_api import FakeGraph
from fakes.whatsapp_payloads import User
from sqlalchemy import func, select
from support.meta_harness import served
from support.rows import count_questions

from bot.runtime.app import App
from bot.storage.queue import KEYS_KEPT
from bot.storage.tables_queue import InboxRow

from .harness import VERIFY_TOKEN, whatsapp_settings

USER = User("6281300000001", "ID.50000000000000000001")


@pytest.fixture
async def graph() -> AsyncIterator[FakeGraph]:
    async with FakeGraph() as fake:
        yield fake


@pytest.fixture
async def served_bot(
    graph: FakeGraph, db_url: str, tmp_path: Path
) -> AsyncIterator[tuple[App, str]]:
    async with served(whatsapp_settings(graph, db_url, tmp_path)) as (app, url):
        graph.deliver_to(f"{url}/whatsapp")
        yield app, url


async def nothing_stored(app: App, graph: FakeGraph) -> None:
    """No question logged, no update taken into the inbox, no reply sent."""
    assert await count_questions(app.store) == 0
    async with app.store._sessions() as session:  # test-only peek at the inbox
        taken = await session.scalar(select(func.count()).select_from(InboxRow))
    assert taken == 0
    assert graph.sent == []


async def verify(url: str, mode: str, token: str, challenge: str = "1158201444") -> httpx.Response:
    query = {"hub.mode": mode, "hub.verify_token": token, "hub.challenge": challenge}
    async with httpx.AsyncClient(timeout=5) as client:
        return await client.get(f"{url}/whatsapp", params=query)


async def test_verification_echoes_the_challenge_only_for_our_token(
    served_bot: tuple[App, str],
) -> None:
    _, url = served_bot
    good = await verify(url, "subscribe", VERIFY_TOKEN)
    assert (good.status_code, good.text) == (200, "1158201444")
    assert (await verify(url, "subscribe", "salah")).status_code == 403
    assert (await verify(url, "subscribe", "")).status_code == 403
    assert (await verify(url, "unsubscribe", VERIFY_TOKEN)).status_code == 403


async def test_bad_and_missing_signatures_are_refused_before_anything_is_stored(
    graph: FakeGraph, served_bot: tuple[App, str]
) -> None:
    app, _ = served_bot
    body = graph.inbound(USER, whatsapp_payloads.text("berapa biaya paspor", graph.stamp()))
    raw = encode(body)
    assert await graph.post(raw, signature=None) == 403
    assert await graph.post(raw, signature="sha256=" + "0" * 64) == 403
    assert await graph.post(raw, signature=sign("rahasia-lain", raw)) == 403
    assert await graph.post(raw, signature=b"sha256=\xfc" + b"0" * 63) == 403  # not ASCII
    # Signed, then re-serialised on the way (spacing changed): the bytes differ, so refused.
    respaced = json.dumps(body, indent=1).encode()
    assert await graph.post(respaced, signature=sign(graph.app_secret, raw)) == 403
    await nothing_stored(app, graph)


async def test_malformed_bodies_get_400_and_nothing_is_stored(
    graph: FakeGraph, served_bot: tuple[App, str], caplog: pytest.LogCaptureFixture
) -> None:
    app, _ = served_bot
    deep = b'{"entry": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"  # 200 KB: under the limit
    malformed = (
        b"{not json",
        b"\xff\xfe",
        b"[1, 2]",
        b'{"object": "whatsapp_business_account"}',
        b'{"entry": [{"changes": "x"}]}',
        deep,
    )
    for raw in malformed:
        caplog.clear()
        with caplog.at_level(logging.INFO):
            assert await graph.post(raw) == 400, raw[:80]
        (line,) = [r for r in caplog.records if r.levelno >= logging.WARNING]
        assert line.getMessage().startswith("malformed WhatsApp webhook body refused (400)")
        assert line.exc_info is None  # one line, no traceback
    await nothing_stored(app, graph)


async def test_an_odd_status_inside_a_good_envelope_is_skipped(
    graph: FakeGraph, served_bot: tuple[App, str], caplog: pytest.LogCaptureFixture
) -> None:
    app, _ = served_bot
    odd = {"id": "wamid.x", "status": ["read"], "timestamp": str(graph.stamp())}
    body = whatsapp_payloads.envelope(graph.phone_number_id, {"statuses": [odd]})
    with caplog.at_level(logging.INFO):
        assert await graph.post(body) == 200  # Meta would retry the batch for days otherwise
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    await nothing_stored(app, graph)


async def test_other_webhook_fields_are_acknowledged_and_ignored(
    graph: FakeGraph, served_bot: tuple[App, str]
) -> None:
    app, _ = served_bot
    body = whatsapp_payloads.envelope(graph.phone_number_id, {})
    body["entry"][0]["changes"][0]["field"] = "message_template_status_update"
    assert await graph.post(body) == 200
    await nothing_stored(app, graph)


async def test_a_message_delivered_twice_is_answered_once(
    graph: FakeGraph, served_bot: tuple[App, str]
) -> None:
    app, _ = served_bot
    body = graph.inbound(USER, whatsapp_payloads.text("berapa biaya paspor", graph.stamp()))
    assert await graph.post(body) == 200
    answered = len(graph.sent)
    # Meta retries (for days), sometimes while the first delivery is still being handled.
    statuses = await asyncio.gather(*(graph.post(body) for _ in range(3)))
    assert statuses == [200, 200, 200]
    assert len(graph.sent) == answered
    assert await count_questions(app.store) == 1


async def test_signed_messages_older_than_the_deduplication_window_are_not_handled(
    graph: FakeGraph, served_bot: tuple[App, str], caplog: pytest.LogCaptureFixture
) -> None:
    app, _ = served_bot
    window = int(KEYS_KEPT.total_seconds())  # how long a handled message's key is kept
    replayed = whatsapp_payloads.text("berapa biaya paspor", graph.stamp() - window - 60)
    with caplog.at_level(logging.INFO):
        assert await graph.post(graph.inbound(USER, replayed)) == 200  # so Meta stops retrying
    assert "1 WhatsApp messages older than 14 days refused" in caplog.messages
    await nothing_stored(app, graph)
    late = whatsapp_payloads.text("syarat paspor anak", graph.stamp() - window + 3600)
    assert await graph.post(graph.inbound(USER, late)) == 200
    assert await count_questions(app.store) == 1  # still inside the window: handled


async def test_a_batch_with_several_messages_answers_each(
    graph: FakeGraph, served_bot: tuple[App, str]
) -> None:
    app, _ = served_bot
    first = graph.inbound(USER, whatsapp_payloads.text("berapa biaya paspor", graph.stamp()))
    second = whatsapp_payloads.text("syarat paspor anak", graph.stamp())
    first["entry"][0]["changes"][0]["value"]["messages"].append({"from": USER.wa_id, **second})
    assert await graph.post(first) == 200
    assert await count_questions(app.store) == 2


# Several workers are a PostgreSQL deployment (SQLite is for one host), so PostgreSQL only.
@pytest.mark.postgres
@pytest.mark.parametrize("db_url", ["postgres"], indirect=True)
async def test_two_workers_answer_a_redelivered_message_once(
    graph: FakeGraph, db_url: str, tmp_path: Path
) -> None:
    settings = whatsapp_settings(graph, db_url, tmp_path)
    async with served(settings) as (app, url_a), served(settings) as (_, url_b):
        raw = encode(graph.inbound(USER, whatsapp_payloads.text("biaya paspor", graph.stamp())))
        headers = {"X-Hub-Signature-256": sign(graph.app_secret, raw)}
        async with httpx.AsyncClient(timeout=30) as client:
            responses = await asyncio.gather(
                *(
                    client.post(f"{url}/whatsapp", content=raw, headers=headers)
                    for url in (url_a, url_b)
                )
            )
        assert [r.status_code for r in responses] == [200, 200]
        assert "Rp350.000" in graph.sent_to(USER.address)[0].text
        assert len({s.text for s in graph.sent_to(USER.address)}) == len(
            graph.sent_to(USER.address)
        )
        assert await count_questions(app.store) == 1
