"""Answers only the office can complete offer "🙋 Tanya petugas" right under them (issue 11):
the core for every marked entry, and one round trip each on Telegram and WhatsApp."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from fakes.telegram_api import FakeTelegram, buttons
from fakes.whatsapp_api import FakeGraph
from fakes.whatsapp_payloads import User
from support.meta_harness import served
from whatsapp.harness import whatsapp_settings

from bot.core import replies
from bot.core.conversation import Conversation
from bot.core.escalation import AGENT, Escalation
from bot.core.hours import OfficeHours
from bot.core.vocabulary import Incoming
from bot.runtime.app import App
from bot.runtime.app.rooms import Deliveries, StaffRoom
from bot.storage import Store
from knowledge.entries import Entry
from knowledge.loader import load
from knowledge.matcher import Matcher

ROOT = Path(__file__).resolve().parents[1]
KB = load(ROOT / "faq.yaml")
MARKED = [entry for entry in KB.entries if entry.office_dependent]
# An applicant asking when the quota opens: only the office knows its schedule.
QUOTA_QUESTION = "kuota paspor penuh terus, kapan dibuka lagi?"


def says(text: str) -> Incoming:
    return Incoming(channel="test", chat_id="u1", user_id="u1", text=text)


def test_the_knowledge_base_marks_the_entries_that_send_people_to_the_office() -> None:
    label = replies.AGENT_BUTTON.removeprefix("🙋 ").casefold()
    pointing = [e.id for e in KB.entries if label in e.answer.casefold()]
    assert len(MARKED) >= 10
    assert set(pointing) <= {e.id for e in MARKED}, "an answer names the button it lacks"
    assert "kuota-jadwal" in {e.id for e in MARKED}


@pytest.mark.parametrize("entry", MARKED, ids=lambda e: e.id)
async def test_every_marked_entry_offers_a_person(entry: Entry, app_core: Conversation) -> None:
    (answer, *_) = await app_core.handle(says(f"#faq:{entry.id}"))
    data = [b.data for b in answer.buttons]
    assert AGENT in data
    if entry.has_details:  # the short answer first: the person again under the whole one
        (answer, *_) = await app_core.handle(says(data[0]))
        data = [b.data for b in answer.buttons]
        assert AGENT in data
    assert data.index(AGENT) < data.index(next(d for d in data if d.startswith("#fb:")))


async def test_other_entries_keep_their_buttons(app_core: Conversation) -> None:
    plain = next(e for e in KB.entries if not e.office_dependent and e.category != "obrolan")
    (answer, *_) = await app_core.handle(says(f"#faq:{plain.id}"))
    assert AGENT not in [b.data for b in answer.buttons]


async def test_the_button_opens_a_ticket_on_telegram(fake: FakeTelegram, bot: App) -> None:
    user = 515151
    fake.user_says(user, QUOTA_QUESTION)
    (answer,) = await fake.wait_sent(user, 1)
    data = dict(buttons(answer))
    assert data[replies.AGENT_BUTTON] == AGENT
    fake.user_presses(user, answer.message_id, AGENT)
    opened = (await fake.wait_sent(user, 2))[-1]
    assert "tiket #" in (opened.visible_text or "")
    (ticket,) = await bot.store.open_tickets()
    assert "kuota" in ticket.question


async def test_the_button_opens_a_ticket_on_whatsapp(db_url: str, tmp_path: Path) -> None:
    user = User("6281234500000", "ID.11112222333344445555", "Ani")
    async with (
        FakeGraph() as graph,
        served(whatsapp_settings(graph, db_url, tmp_path)) as (
            app,
            url,
        ),
    ):
        graph.deliver_to(f"{url}/whatsapp")
        assert await graph.user_says(user, QUOTA_QUESTION) == 200
        sent = graph.sent_to(user.wa_id or "")
        # The short answer carries 📖 Selengkapnya and 🙋 as its reply buttons.
        (short,) = [s for s in sent if AGENT in [i for i, _ in s.choices]]
        assert short.payload["interactive"]["type"] == "button"
        assert [title for _, title in short.choices] == [
            replies.DETAILS_BUTTON,
            replies.AGENT_BUTTON,
        ]
        assert await graph.user_taps(user, short, replies.AGENT_BUTTON) == 200
        assert "tiket #" in graph.sent_to(user.wa_id or "")[-1].text
        (ticket,) = await app.store.open_tickets()
        assert "kuota" in ticket.question


@pytest.fixture
def app_core(store: Store) -> Conversation:
    """The core with escalation, as `running` wires it (the button needs a desk behind it)."""
    escalation = Escalation(
        store,
        StaffRoom(),
        Deliveries(),
        history=store,
        hours=OfficeHours.parse("mon-fri 08:00-16:00"),
        applicant_hours="pada jam kerja",
        remind_after=dt.timedelta(minutes=30),
    )
    return Conversation(Matcher(KB), store, salt="test-salt", escalation=escalation)
