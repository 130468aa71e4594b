"""The menu and help buttons: which appear depends on the services that run (officers,
announcements) and on whether the menu is a reply keyboard."""

from __future__ import annotations

from bot.core.escalation import AGENT
from bot.core.replies import (
    AGENT_BUTTON,
    DETAILS_BUTTON,
    HELPFUL,
    MENU_BUTTON,
    NONE_OF_THESE,
    NOT_HELPFUL,
    SUBSCRIBE_BUTTON,
    answer_text,
    short_text,
)
from bot.core.subscribing import SUBSCRIBE
from bot.core.turns import DETAILS, MENU, NOT_LISTED, Render
from bot.core.vocabulary import ENTRY, Button
from knowledge.matcher import Matcher
from knowledge.policy import CHAT, Decision

AGENT_KEY = Button(AGENT_BUTTON, AGENT)
SUBSCRIBE_KEY = Button(SUBSCRIBE_BUTTON, SUBSCRIBE)


def render(matcher: Matcher, *, agent: bool = True, subscribe: bool = True) -> Render:
    return Render(matcher.kb, agent=agent, subscribe=subscribe)


def entries(matcher: Matcher) -> tuple[Button, ...]:
    return tuple(Button(e.title, ENTRY + e.id) for e in matcher.kb.menu_entries())


def test_the_menu_lists_the_menu_entries_by_title(matcher: Matcher) -> None:
    menu = render(matcher).menu("Pilih topik")
    assert menu.text == "Pilih topik"
    assert menu.buttons == entries(matcher)
    assert len(menu.buttons) >= 4
    assert menu.keyboard is False


def test_a_keyboard_menu_adds_the_running_services(matcher: Matcher) -> None:
    menu = render(matcher).menu("Pilih topik", keyboard=True)
    assert menu.buttons == (*entries(matcher), AGENT_KEY, SUBSCRIBE_KEY)
    assert menu.keyboard is True


def test_a_keyboard_menu_leaves_out_services_that_do_not_run(matcher: Matcher) -> None:
    only_agent = render(matcher, subscribe=False).menu("", keyboard=True)
    assert only_agent.buttons == (*entries(matcher), AGENT_KEY)
    only_news = render(matcher, agent=False).menu("", keyboard=True)
    assert only_news.buttons == (*entries(matcher), SUBSCRIBE_KEY)
    assert render(matcher, agent=False, subscribe=False).menu("", keyboard=True).buttons == (
        entries(matcher)
    )


def test_help_offers_a_person_only_where_officers_run(matcher: Matcher) -> None:
    menu = Button(MENU_BUTTON, MENU)
    assert render(matcher).help_buttons() == (AGENT_KEY, menu)
    assert render(matcher, agent=False).with_help("Maaf").buttons == (menu,)
    assert render(matcher).with_help("Maaf").text == "Maaf"


def test_the_welcome_names_the_office(matcher: Matcher) -> None:
    welcome = render(matcher).welcome()
    assert welcome.startswith("Halo! Saya Tanya Paspor")
    assert matcher.kb.office.name in welcome
    assert "{" not in welcome


def test_a_clarification_offers_three_at_most_and_none_of_these(matcher: Matcher) -> None:
    ranking = matcher.rank("paspor")
    decision = Decision("clarify", None, ranking.scored[0].score, ranking.scored[:5])
    reply = render(matcher).clarify(decision)
    top = [Button(s.entry.title, ENTRY + s.entry.id) for s in decision.candidates[:3]]
    assert reply.buttons == (*top, Button(NONE_OF_THESE, NOT_LISTED + "0"))


def test_a_long_answer_comes_short_with_one_button_for_the_details(matcher: Matcher) -> None:
    entry = next(e for e in matcher.kb.entries if e.has_details and e.office_dependent)
    more = Button(DETAILS_BUTTON, f"{DETAILS}{entry.id}:12")
    reply = render(matcher).answer(entry, 12)
    assert reply.text == short_text(entry, matcher.kb)
    assert reply.buttons == (more, AGENT_KEY)  # only the office knows the rest
    assert render(matcher, agent=False).answer(entry, 12).buttons == (more,)


def test_an_answer_that_is_short_already_comes_whole(matcher: Matcher) -> None:
    entry = next(e for e in matcher.kb.entries if not e.has_details and e.category != CHAT)
    first, whole = render(matcher).answer(entry, 12), render(matcher).details(entry, 12)
    assert first.buttons == whole.buttons
    assert first.text == answer_text(entry, matcher.kb, first=True)


def test_the_details_offer_related_entries_then_the_votes(matcher: Matcher) -> None:
    entry = next(e for e in matcher.kb.entries if e.related and not e.office_dependent)
    reply = render(matcher).details(entry, 12)
    related = [matcher.kb.get(i) for i in entry.related]
    assert reply.buttons == (
        *(Button(other.title, ENTRY + other.id) for other in related if other),
        Button(HELPFUL, "#fb:12:1"),
        Button(NOT_HELPFUL, "#fb:12:0"),
    )
    assert reply.text == answer_text(entry, matcher.kb)


def test_an_office_matter_offers_a_person_where_officers_run(matcher: Matcher) -> None:
    entry = next(e for e in matcher.kb.entries if e.office_dependent)
    with_officers = render(matcher).details(entry, 0).buttons
    assert with_officers[-1] == AGENT_KEY
    assert AGENT_KEY not in render(matcher, agent=False).details(entry, 0).buttons
    plain = next(e for e in matcher.kb.entries if not e.office_dependent and e.category != CHAT)
    assert AGENT_KEY not in render(matcher).details(plain, 0).buttons


def test_a_greeting_shows_the_menu_and_other_small_talk_nothing(matcher: Matcher) -> None:
    greeting = matcher.kb.get("sapaan")
    assert greeting is not None
    assert render(matcher).answer(greeting, 5).buttons == entries(matcher)
    other = next(e for e in matcher.kb.entries if e.category == CHAT and e.id != "sapaan")
    assert render(matcher).answer(other, 5).buttons == ()
