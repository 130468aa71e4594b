"""The menu and help buttons: which appear depends on the services that run (officers,
announcements) and on whether the menu is a reply keyboard."""

from __future__ import annotations

from bot.announcements.service import SUBSCRIBE
from bot.core.escalation import AGENT
from bot.core.replies import AGENT_BUTTON, MENU_BUTTON, NONE_OF_THESE, SUBSCRIBE_BUTTON
from bot.core.turns import MENU, NOT_LISTED, Render
from bot.core.vocabulary import ENTRY, Button
from knowledge.matcher import Matcher
from knowledge.policy import Decision

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
