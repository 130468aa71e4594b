"""Applicants on WhatsApp, end to end: signed webhook POSTs in Meta's shapes to the real `serve`
route, the real core and database (SQLite and PostgreSQL), replies sent over real HTTP to the
strict fake Graph API."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from fakes.whatsapp_api import FakeGraph, GraphSent
from fakes.whatsapp_payloads import User
from support.meta_harness import served
from support.rows import count_questions, feedback_for, recent_questions

from bot.channels.whatsapp.channel import CHANNEL
from bot.channels.whatsapp.running import WhatsApp
from bot.core.replies import (
    AGENT_BUTTON,
    CLARIFY,
    DETAILS_BUTTON,
    FLOOD,
    HELPFUL,
    NONE_OF_THESE,
    NOT_HELPFUL,
    NOT_LISTED,
    SORRY_FEEDBACK,
)
from bot.core.turns import FLOOD_PER_MINUTE
from bot.core.vocabulary import Incoming
from bot.runtime.app import App
from bot.storage.whatsapp import WhatsAppStore, message_key

from .harness import whatsapp_settings

USER = User("6281234567890", "ID.13491208655302741918", "Siti")


@pytest.fixture
async def graph() -> AsyncIterator[FakeGraph]:
    async with FakeGraph() as fake:
        yield fake


@pytest.fixture
async def bot(graph: FakeGraph, db_url: str, tmp_path: Path) -> AsyncIterator[App]:
    async with served(whatsapp_settings(graph, db_url, tmp_path)) as (app, url):
        graph.deliver_to(f"{url}/whatsapp")
        yield app


def store_of(app: App) -> WhatsAppStore:
    whatsapp = app.channel(WhatsApp)
    assert whatsapp is not None
    return whatsapp.store


async def test_short_answer_then_details_then_feedback(graph: FakeGraph, bot: App) -> None:
    assert await graph.user_says(USER, "brp biaya bikin paspor 10 thn?") == 200
    (short,) = graph.sent_to(USER.wa_id or "")
    assert "Rp650.000" in short.text
    assert "Rp1.000.000" not in short.text, "percepatan is a detail"
    assert "📞 Ditjen Imigrasi" in short.text  # the contact footer, short
    assert short.payload["interactive"]["type"] == "button"
    assert row_titles(short) == [DETAILS_BUTTON]
    assert await graph.user_taps(USER, short, DETAILS_BUTTON) == 200
    replies = graph.sent_to(USER.wa_id or "")[1:]
    assert "Rp1.000.000" in replies[0].text
    assert "Layanan pelanggan" in replies[0].text  # the whole contact footer
    tap, asked = await recent_questions(bot.store, 2)
    assert (asked.action, asked.faq_id) == ("answer", "biaya-paspor")
    assert (tap.action, tap.faq_id, tap.flags) == ("details", "biaya-paspor", ("details",))
    (feedback,) = [r for r in replies if NOT_HELPFUL in row_titles(r)]
    assert feedback.payload["interactive"]["type"] == "button"
    down = NOT_HELPFUL
    assert await graph.user_taps(USER, feedback, down) == 200
    sorry = graph.sent_to(USER.wa_id or "")[1 + len(replies)]
    assert sorry.text.startswith(SORRY_FEEDBACK)
    question_id = int(dict((t, i) for i, t in feedback.choices)[down].split(":")[1])
    (vote,) = await feedback_for(bot.store, question_id)
    assert vote.helpful is False


async def test_users_are_identified_by_bsuid_and_hashed(graph: FakeGraph, bot: App) -> None:
    await graph.user_says(USER, "syarat paspor anak")
    (logged,) = await recent_questions(bot.store, 1)
    expected = bot.conversation.user_hash(Incoming(CHANNEL, "", USER.bsuid or "", ""))
    assert logged.user_hash == expected
    assert USER.wa_id not in logged.user_hash


async def test_a_username_user_is_answered_by_bsuid(graph: FakeGraph, bot: App) -> None:
    hidden = User(None, "ID.99887766554433221100", "Budi")
    await graph.user_says(hidden, "berapa biaya paspor")
    (answer, *_) = graph.sent_to(hidden.address)
    assert answer.payload["recipient"] == hidden.bsuid
    assert "to" not in answer.payload
    assert "Rp350.000" in answer.text


def row_titles(sent: GraphSent) -> list[str]:
    return [title for _, title in sent.choices]


async def test_menu_is_a_list_and_a_picked_row_is_answered(graph: FakeGraph, bot: App) -> None:
    await graph.user_says(USER, "/start")
    (menu,) = graph.sent_to(USER.address)
    assert menu.payload["interactive"]["type"] == "list"
    assert "Biaya paspor" in row_titles(menu)
    assert AGENT_BUTTON in row_titles(menu)
    await graph.user_taps(USER, menu, "Biaya paspor")
    answer = graph.sent_to(USER.address)[1]
    assert "Rp350.000" in answer.text


async def test_clarify_offers_a_list_with_none_of_these(graph: FakeGraph, bot: App) -> None:
    await graph.user_says(USER, "paspor")
    (clarify,) = graph.sent_to(USER.address)
    assert clarify.text == CLARIFY
    titles = row_titles(clarify)
    assert len(titles) == 4
    assert titles[-1] == NONE_OF_THESE
    await graph.user_taps(USER, clarify, titles[0])
    answer = graph.sent_to(USER.address)[1]
    assert "📞 " in answer.text  # the contact footer (its short form under a short answer)
    await graph.user_taps(USER, clarify, NONE_OF_THESE)
    assert graph.sent_to(USER.address)[-1].text.startswith(NOT_LISTED)


async def test_follow_ups_are_reply_buttons_with_short_titles(graph: FakeGraph, bot: App) -> None:
    await graph.user_says(USER, "berapa biaya paspor")
    (short,) = graph.sent_to(USER.address)
    await graph.user_taps(USER, short, DETAILS_BUTTON)
    answer, feedback = graph.sent_to(USER.address)[1:]
    assert answer.payload["interactive"]["type"] == "button"
    assert all(len(title) <= 20 for title in row_titles(answer))
    await graph.user_taps(USER, answer, row_titles(answer)[0])
    follow_up = graph.sent_to(USER.address)[3]
    # A follow-up opens its entry as a question would: short first, details on request.
    assert "📞 " in follow_up.text
    assert row_titles(follow_up) == [DETAILS_BUTTON]
    assert row_titles(feedback) == [HELPFUL, NOT_HELPFUL]


async def test_a_template_quick_reply_goes_to_the_core(graph: FakeGraph, bot: App) -> None:
    await graph.user_says(USER, "halo")
    (greeting, *_) = graph.sent_to(USER.address)
    # A tap on a template's quick-reply button arrives as type "button", not "interactive".
    await graph.user_taps_template(USER, greeting, "#menu", "Menu")
    menu = graph.sent_to(USER.address)[-1]
    assert "Biaya paspor" in row_titles(menu)


MEDIA = {
    "image": "foto",
    "audio": "pesan suara",
    "video": "video",
    "document": "dokumen",
    "sticker": "stiker",
    "location": "lokasi",
    "contacts": "kontak",
    "reaction": "reaksi",
}


async def test_media_get_the_polite_answer(graph: FakeGraph, bot: App) -> None:
    for kind in MEDIA:
        assert await graph.user_sends(USER, kind) == 200
    replies = graph.sent_to(USER.address)
    assert len(replies) == len(MEDIA)
    for reply, name in zip(replies, MEDIA.values(), strict=True):
        assert reply.text.startswith(f"Maaf, saya belum bisa membaca {name}")
        assert AGENT_BUTTON in row_titles(reply)
    logged = await recent_questions(bot.store, len(MEDIA))
    assert {q.action for q in logged} == {"notice"}


async def test_statuses_are_recorded_for_the_message_they_concern(
    graph: FakeGraph, bot: App
) -> None:
    graph.auto_status = ("sent", "delivered", "read")
    await graph.user_says(USER, "berapa biaya paspor")
    first = graph.sent_to(USER.address)[0]
    store = store_of(bot)

    async def status() -> str | None:
        delivery = await store.delivery(first.wamid)
        return delivery.status if delivery else None

    for _ in range(100):
        if await status() == "read":
            break
        await asyncio.sleep(0.05)
    assert await status() == "read"
    await graph.post_status(first.wamid, "delivered")  # late and out of order
    assert await status() == "read"
    delivery = await store.delivery(first.wamid)
    assert delivery is not None
    assert delivery.user_hash == bot.conversation.user_hash(
        Incoming(CHANNEL, "", USER.bsuid or "", "")
    )


async def test_a_failed_status_is_recorded_with_its_reason(graph: FakeGraph, bot: App) -> None:
    await graph.user_says(USER, "berapa biaya paspor")
    first = graph.sent_to(USER.address)[0]
    error = {"code": 131026, "title": "Message undeliverable", "error_data": {"details": "x"}}
    assert await graph.post_status(first.wamid, "failed", errors=[error]) == 200
    (failed,) = await store_of(bot).failed_since(dt.datetime.now(dt.UTC) - dt.timedelta(hours=1))
    assert failed.message_id == message_key(first.wamid)  # the wamid itself is not kept
    assert failed.error == "131026 Message undeliverable: x"


@pytest.mark.parametrize("status", [429, 500])
async def test_rate_limits_and_server_errors_are_retried(
    graph: FakeGraph, bot: App, status: int
) -> None:
    graph.fail_next(2, status=status)
    await graph.user_says(USER, "berapa biaya paspor")
    replies = graph.sent_to(USER.address)
    assert "Rp350.000" in replies[0].text
    assert graph.requests == len(replies) + 2
    since = dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)
    assert await store_of(bot).count_failed_since(since) == 0


async def test_a_permanent_error_is_recorded(graph: FakeGraph, bot: App) -> None:
    graph.refuse(USER.address, code=131026, message="Message undeliverable")
    assert await graph.user_says(USER, "berapa biaya paspor") == 200
    assert graph.sent == []
    assert graph.requests == 1  # not retried
    since = dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)
    (failed,) = await store_of(bot).failed_since(since)
    assert failed.error == "131026 Message undeliverable"
    assert await count_questions(bot.store) == 1  # the question is still logged


async def test_a_flooding_sender_is_slowed_after_twelve_answers(
    graph: FakeGraph, bot: App
) -> None:
    """The sender's count of the last minute is read while the message is stored (issue 22's
    read-ahead on PostgreSQL; on its own on SQLite): one polite notice, then quiet."""
    flooder, messages = User("6281234567001"), FLOOD_PER_MINUTE + 4
    for n in range(messages):
        # Each call is answered before the webhook gets its 200.
        assert await graph.user_says(flooder, f"halo {n}") == 200
    texts = [sent.text for sent in graph.sent_to(flooder.wa_id or "")]
    assert texts.count(FLOOD) == 1
    assert texts[-1] == FLOOD  # nothing after the notice
    assert len([t for t in texts if t != FLOOD]) >= FLOOD_PER_MINUTE  # "halo" may be 2 parts
    assert await count_questions(bot.store) == messages
