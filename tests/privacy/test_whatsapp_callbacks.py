"""Forged and out-of-range button ids on WhatsApp, through signed webhooks and the fake Graph
API: a stranger cannot judge another applicant's answer, and every press gets an answer."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from fakes import whatsapp_payloads
from fakes.whatsapp_api import FakeGraph, GraphSent
from fakes.whatsapp_payloads import User
from support.meta_harness import served
from support.rows import feedback_for
from whatsapp.harness import whatsapp_settings

from bot.core import replies
from bot.runtime.app import App

ASKER = User("6281234567890", "ID.13491208655302741918", "Siti")
STRANGER = User("6285799998888", "ID.99999999999999999999", "Joko")


@pytest.fixture
async def bot(graph: FakeGraph, db_url: str, tmp_path: Path) -> AsyncIterator[App]:
    async with served(whatsapp_settings(graph, db_url, tmp_path)) as (app, url):
        graph.deliver_to(f"{url}/whatsapp")
        yield app


async def press(graph: FakeGraph, user: User, data: str, on: GraphSent) -> str:
    """`user` sends a button reply carrying `data`; returns the text of the next reply."""
    before = len(graph.sent_to(user.address))
    reply = whatsapp_payloads.button_reply(data, replies.NOT_HELPFUL, graph.stamp(), on.wamid)
    assert await graph.post(graph.inbound(user, reply)) == 200
    return (await graph.wait_sent(user.address, before + 1))[before].text


async def test_forged_and_huge_feedback_ids_are_refused(graph: FakeGraph, bot: App) -> None:
    assert await graph.user_says(ASKER, "brp biaya bikin paspor 10 thn?") == 200
    (short,) = await graph.wait_sent(ASKER.address, 1)
    assert await graph.user_taps(ASKER, short, replies.DETAILS_BUTTON) == 200
    await graph.wait_for(
        lambda: any(replies.NOT_HELPFUL in str(r.choices) for r in graph.sent_to(ASKER.address))
    )
    (feedback,) = [
        r for r in graph.sent_to(ASKER.address) if replies.NOT_HELPFUL in str(r.choices)
    ]
    down = dict((title, data) for data, title in feedback.choices)[replies.NOT_HELPFUL]
    question_id = int(down.split(":")[1])
    assert await graph.user_says(STRANGER, "halo") == 200
    greeting = (await graph.wait_sent(STRANGER.address, 1))[-1]
    assert await press(graph, STRANGER, down, greeting) == replies.FEEDBACK_UNKNOWN
    assert await feedback_for(bot.store, question_id) == []
    huge = "#fb:99999999999999999999:0"
    assert await press(graph, ASKER, huge, feedback) == replies.FEEDBACK_UNKNOWN
    assert (await press(graph, ASKER, down, feedback)).startswith(replies.SORRY_FEEDBACK)
    (vote,) = await feedback_for(bot.store, question_id)
    assert vote.helpful is False
