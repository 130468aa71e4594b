"""Opting in and out through the core, by command, keyword and button, on a real database."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine
from support.rows import recent_questions

from bot.announcements.service import Subscriptions
from bot.core import replies
from bot.core.conversation import Conversation
from bot.core.subscribing import SUBSCRIBE, UNSUBSCRIBE, wants_subscription
from bot.core.vocabulary import Incoming, Reply
from bot.storage import Store
from bot.storage.announcements import AnnouncementStore
from knowledge.loader import load
from knowledge.matcher import Matcher

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher(load(ROOT / "faq.yaml"))


@pytest.fixture
def subscribers(engine: AsyncEngine) -> AnnouncementStore:
    return AnnouncementStore(engine)


@pytest.fixture
def core(matcher: Matcher, store: Store, subscribers: AnnouncementStore) -> Conversation:
    return Conversation(
        matcher,
        store,
        salt="garam-uji",
        subscriptions=Subscriptions(subscribers, channels=lambda: ("telegram", "whatsapp")),
    )


async def say_(
    core: Conversation, text: str, chat: str = "777", channel: str = "telegram"
) -> Reply:
    (reply,) = await core.handle(Incoming(channel, chat, chat, text))
    return reply


@pytest.mark.parametrize(
    ("text", "wanted"),
    [
        ("/langganan", True),
        ("/langganan@TanyaPasporBot", True),
        ("Langganan", True),
        ("langganan info!", True),
        (replies.SUBSCRIBE_BUTTON, True),
        (SUBSCRIBE, True),
        ("/berhenti", False),
        ("Berhenti langganan", False),
        ("stop info", False),
        ("STOP", False),
        (replies.UNSUBSCRIBE_BUTTON, False),
        (UNSUBSCRIBE, False),
        ("apa itu langganan paspor", None),
        ("kapan kuota berhenti", None),
    ],
)
def test_words_that_mean_opting_in_or_out(text: str, wanted: bool | None) -> None:
    assert wants_subscription(text) is wanted


async def test_opt_in_and_out_by_command(
    core: Conversation, subscribers: AnnouncementStore
) -> None:
    reply = await say_(core, "/langganan")
    assert reply.text == replies.SUBSCRIBED
    assert [b.data for b in reply.buttons] == [UNSUBSCRIBE]
    assert await subscribers.subscriber_counts() == {"telegram": 1}
    assert (await say_(core, "/langganan")).text == replies.ALREADY_SUBSCRIBED
    assert (await say_(core, "/berhenti")).text == replies.UNSUBSCRIBED
    assert (await say_(core, "/berhenti")).text == replies.NOT_SUBSCRIBED
    assert await subscribers.subscriber_counts() == {}


async def test_opt_in_and_out_by_keyword(
    core: Conversation, subscribers: AnnouncementStore
) -> None:
    assert (await say_(core, "langganan", channel="whatsapp")).text == replies.SUBSCRIBED
    assert (
        await say_(core, "Langganan info", channel="whatsapp")
    ).text == replies.ALREADY_SUBSCRIBED
    assert await subscribers.subscriber_counts() == {"whatsapp": 1}
    assert (await say_(core, "stop info", channel="whatsapp")).text == replies.UNSUBSCRIBED
    assert (
        await say_(core, "berhenti langganan", channel="whatsapp")
    ).text == replies.NOT_SUBSCRIBED


async def test_opt_in_and_out_by_button(
    core: Conversation, subscribers: AnnouncementStore
) -> None:
    welcome = (await core.handle(Incoming("telegram", "5", "5", "/start")))[0]
    assert welcome.keyboard
    subscribe = [b for b in welcome.buttons if b.label == replies.SUBSCRIBE_BUTTON]
    assert subscribe, welcome.buttons
    # A reply keyboard sends the label as text; an inline button sends its data.
    assert (await say_(core, subscribe[0].label, chat="5")).text == replies.SUBSCRIBED
    reply = await say_(core, SUBSCRIBE, chat="6")
    assert reply.text == replies.SUBSCRIBED
    assert (await say_(core, reply.buttons[0].data, chat="6")).text == replies.UNSUBSCRIBED
    assert await subscribers.subscriber_counts() == {"telegram": 1}


async def test_subscriptions_are_per_chat_and_channel(
    core: Conversation, subscribers: AnnouncementStore
) -> None:
    for chat in ("1", "2", "3"):
        await say_(core, "/langganan", chat=chat)
    await say_(core, "/langganan", chat="1", channel="whatsapp")
    await say_(core, "/berhenti", chat="2")
    assert await subscribers.subscriber_counts() == {"telegram": 2, "whatsapp": 1}


async def test_the_terminal_cannot_subscribe(
    core: Conversation, subscribers: AnnouncementStore
) -> None:
    assert (await say_(core, "/langganan", channel="terminal")).text == replies.SUBSCRIBE_ELSEWHERE
    assert await subscribers.subscriber_counts() == {}


async def test_the_request_is_logged_like_any_message(core: Conversation, store: Store) -> None:
    await say_(core, "/langganan")
    (logged,) = await recent_questions(store)
    assert (logged.action, logged.flags) == ("menu", ("subscribe",))


async def test_the_menu_offers_subscribing_only_where_announcements_reach(
    core: Conversation,
) -> None:
    # Instagram registers no broadcaster: its 24-hour window rules announcements out.
    for channel, offered in (("whatsapp", True), ("instagram", False)):
        menu = (await core.handle(Incoming(channel, "7", "7", "/start")))[0]
        labels = [button.label for button in menu.buttons]
        assert (replies.SUBSCRIBE_BUTTON in labels) is offered, channel
