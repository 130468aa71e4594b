"""Questions through the core with the question log in memory: a long message is read up to
the limit and says so, an out-of-scope question points to the right agency, and with the
database down a request for a person is asked to come back while questions are answered."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from support.memory_log import MemoryLog

from bot.core import replies
from bot.core.conversation import Conversation
from bot.core.errors import BotError
from bot.core.escalation import Escalation
from bot.core.hours import OfficeHours
from bot.core.turns import Options
from bot.core.vocabulary import Reply
from bot.storage import Store, create_engine
from knowledge.matcher import Matcher

from .conftest import says

LIMIT = 60


async def test_a_message_at_the_limit_is_read_whole(matcher: Matcher, log: MemoryLog) -> None:
    core = Conversation(matcher, log, salt="s", options=Options(long_chars=LIMIT))
    at_limit = "berapa biaya paspor".ljust(LIMIT, ".")
    assert (await core.handle(says(at_limit)))[0].text != replies.LONG
    assert "long" not in log.recent()[0].flags
    over = at_limit + "."
    assert (await core.handle(says(over)))[0].text == replies.LONG
    assert log.recent()[0].flags == ("long",)


async def test_an_out_of_scope_question_points_to_the_right_agency(
    core: Conversation, matcher: Matcher
) -> None:
    police = matcher.kb.get("luar-polisi")
    assert police is not None
    [reply] = await core.handle(says("perpanjang sim"))
    assert reply.text == replies.fallback_text(matcher.kb, redirect=police)


async def test_with_the_database_down_a_person_is_asked_for_later(
    matcher: Matcher, log: MemoryLog, tmp_path: Path
) -> None:
    broken = Store(create_engine(f"sqlite:///{tmp_path}/unmigrated.db"))
    escalation = Escalation(
        broken,
        officers=None,  # type: ignore[arg-type]  # never reached: the database fails first
        applicants=None,  # type: ignore[arg-type]
        history=broken,
        hours=OfficeHours.parse("mon-fri 08:00-16:00"),
        applicant_hours="",
        remind_after=dt.timedelta(minutes=30),
    )
    core = Conversation(matcher, log, salt="s", escalation=escalation)
    try:
        for request in ("#agent", "#done:3"):
            [reply] = await core.handle(says(request))
            assert reply.text == replies.TRY_AGAIN
            assert (log.recent()[0].action, log.recent()[0].flags) == ("ticket", ("db_down",))
        answered = await core.handle(says("berapa biaya paspor 10 tahun"))
        assert "Rp650.000" in answered[0].text
    finally:
        await broken.close()


async def test_a_menu_title_typed_back_is_answered(
    core: Conversation, matcher: Matcher, log: MemoryLog
) -> None:
    entry = matcher.kb.menu_entries()[0]
    replies_ = await core.handle(says(entry.title.upper()))
    assert entry.has_details
    assert replies_[0].text == replies.short_text(entry, matcher.kb)
    logged = log.recent()[0]
    assert (logged.action, logged.faq_id, logged.flags) == ("answer", entry.id, ("menu",))


async def test_none_of_these_apologises_and_offers_help(
    core: Conversation, matcher: Matcher, log: MemoryLog
) -> None:
    [reply] = await core.handle(says("#none:0"))
    assert reply.text == replies.fallback_text(matcher.kb, lead=replies.NOT_LISTED)
    assert reply.buttons
    assert (log.recent()[0].action, log.recent()[0].flags) == ("fallback", ("not_listed",))


async def test_an_entry_picked_from_a_list_is_answered(
    core: Conversation, matcher: Matcher, log: MemoryLog
) -> None:
    entry = matcher.kb.entries[3]
    [reply] = await core.handle(says(f"#faq:{entry.id}"))
    assert entry.has_details
    assert reply.text == replies.short_text(entry, matcher.kb)
    logged = log.recent()[0]
    assert (logged.action, logged.faq_id, logged.flags) == ("answer", entry.id, ("choice",))


class Subscriptions:
    """The announcement service's side the core sees; refuses while `down`."""

    def __init__(self) -> None:
        self.down = False
        self.changes: list[tuple[str, bool]] = []

    async def change(
        self, channel: str, chat_id: str, *, subscribe: bool, office_id: str | None = None
    ) -> list[Reply]:
        if self.down:
            raise BotError("database down")
        self.changes.append((chat_id, subscribe))
        return [Reply("ok")]

    def offered(self, channel: str) -> bool:
        return True

    async def moved(self, channel: str, chat_id: str, office_id: str | None) -> None:
        raise AssertionError("no office in these tests")


async def test_subscribing_and_leaving_are_logged_as_such(
    matcher: Matcher, log: MemoryLog
) -> None:
    service = Subscriptions()
    core = Conversation(matcher, log, salt="s", subscriptions=service)
    for command, flag in (("/langganan", "subscribe"), ("/berhenti", "unsubscribe")):
        assert [r.text for r in await core.handle(says(command))] == ["ok"]
        assert (log.recent()[0].action, log.recent()[0].flags) == ("menu", (flag,))
    assert service.changes == [("u1", True), ("u1", False)]
    service.down = True
    [reply] = await core.handle(says("/langganan"))
    assert reply == Reply(replies.TRY_AGAIN)
    assert (log.recent()[0].action, log.recent()[0].flags) == ("notice", ("db_down",))
