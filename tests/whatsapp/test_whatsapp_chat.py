"""Applicants on WhatsApp, end to end: signed webhook POSTs in Meta's shapes to the real `serve`
route, the real core and database (SQLite and PostgreSQL), replies sent over real HTTP to the
strict fake Graph API."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from fakes.whatsapp_api import FakeGraph, GraphSent
from fakes.whatsapp_payloads import User

from bot import replies as say
from bot.app import App
from bot.channels.whatsapp import CHANNEL
from bot.model import Incoming
from bot.storage.whatsapp import WhatsAppStore

from .harness import served, whatsapp_settings

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
    assert app.whatsapp is not None
    return app.whatsapp.store


async def test_question_answer_and_feedback(graph: FakeGraph, bot: App) -> None:
    assert await graph.user_says(USER, "brp biaya bikin paspor 10 thn?") == 200
    replies = graph.sent_to(USER.wa_id or "")
    assert "Rp650.000" in replies[0].text
    assert "Layanan pelanggan" in replies[0].text  # the contact footer
    (feedback,) = [r for r in replies if say.NOT_HELPFUL in row_titles(r)]
    assert feedback.payload["interactive"]["type"] == "button"
    down = say.NOT_HELPFUL
    assert await graph.user_taps(USER, feedback, down) == 200
    sorry = graph.sent_to(USER.wa_id or "")[len(replies)]
    assert sorry.text.startswith(say.SORRY_FEEDBACK)
    question_id = int(dict((t, i) for i, t in feedback.choices)[down].split(":")[1])
    (vote,) = await bot.store.feedback_for(question_id)
    assert vote.helpful is False


async def test_users_are_identified_by_bsuid_and_hashed(graph: FakeGraph, bot: App) -> None:
    await graph.user_says(USER, "syarat paspor anak")
    (logged,) = await bot.store.recent_questions(1)
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
