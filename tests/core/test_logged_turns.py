"""What the question log keeps of each kind of turn, and the small rules around it: scores,
personal-data flags, the flood guard's window, the outage notice's time."""

from __future__ import annotations

import dataclasses
import datetime as dt

from support.memory_log import MemoryLog

from bot.core import replies
from bot.core.conversation import Conversation
from bot.core.notices import OutageBoard
from bot.core.turns import FLOOD_LOG_CHARS, Options, flood_excerpt
from bot.core.vocabulary import Incoming, Notice, Reply
from knowledge.matcher import Matcher

from .conftest import says
from .test_notices_and_hashes import Keeper


class NoTickets:
    """Enough of an escalation for the flood guard to run (it guards remote channels where
    officers work); no message here reaches a ticket."""

    async def active(self, message: Incoming) -> None:
        return None


def guarded(matcher: Matcher, log: MemoryLog, per_minute: int = 3) -> Conversation:
    options = Options(flood_per_minute=per_minute)
    return Conversation(matcher, log, salt="s", options=options, escalation=NoTickets())  # type: ignore[arg-type]


async def test_an_answer_is_logged_with_its_score_and_the_candidates_scores(
    core: Conversation, log: MemoryLog
) -> None:
    await core.handle(says("brp biaya bikin paspor 10 thn"))
    (logged,) = log.recent()
    assert logged.action == "answer"
    assert 0 < logged.score <= 1
    assert logged.candidates[0].score == logged.score
    assert all(isinstance(c.score, float) for c in logged.candidates)


async def test_a_turn_without_a_decision_is_logged_with_score_zero(
    core: Conversation, log: MemoryLog
) -> None:
    await core.handle(says("/start"))
    (logged,) = log.recent()
    assert (logged.action, logged.score, logged.candidates) == ("menu", 0.0, ())


async def test_a_message_without_words_is_a_logged_fallback(
    core: Conversation, log: MemoryLog
) -> None:
    [reply] = await core.handle(says("?!? ..."))
    assert reply.text == replies.NO_TEXT
    (logged,) = log.recent()
    # A message the bot could not read: the report counts it (issue 17), as not recognised;
    # with no words it joins no group of unanswered questions.
    assert (logged.action, logged.flags, logged.normalized) == ("fallback", ("no_text",), "")


async def test_every_kind_of_personal_data_found_is_flagged(
    core: Conversation, log: MemoryLog
) -> None:
    got = await core.handle(says("nik 3201234567890001 email budi@contoh.com"))
    (logged,) = log.recent()
    assert "pii:email,nik" in logged.flags
    assert got[-1].text == replies.PRIVACY_WARNING


async def test_a_button_with_a_long_number_gets_no_privacy_warning(
    core: Conversation, log: MemoryLog
) -> None:
    got = await core.handle(says("#fb:3201234567890001:1"))
    assert replies.PRIVACY_WARNING not in [r.text for r in got]
    (logged,) = log.recent()
    assert any(flag.startswith("pii:") for flag in logged.flags)


async def test_subscribing_words_without_the_service_are_read_as_a_question(
    core: Conversation, log: MemoryLog
) -> None:
    await core.handle(says("/langganan"))
    (logged,) = log.recent()
    assert "subscribe" not in logged.flags


async def test_the_flood_guard_sends_one_notice_then_logs_quietly(
    matcher: Matcher, log: MemoryLog
) -> None:
    core = guarded(matcher, log)
    for _ in range(3):
        await core.handle(says("biaya paspor"))
    assert await core.handle(says("biaya paspor")) == [Reply(replies.FLOOD)]
    assert await core.handle(says("biaya paspor")) == []
    flooded = log.recent(limit=2)
    assert [(q.action, q.flags) for q in flooded] == [("notice", ("flood",))] * 2


async def test_the_flood_guard_counts_only_the_last_minute(
    matcher: Matcher, log: MemoryLog
) -> None:
    core = guarded(matcher, log)
    for _ in range(3):
        await core.handle(says("biaya paspor"))
    earlier = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=90)
    log.questions[:] = [dataclasses.replace(q, created_at=earlier) for q in log.questions]
    [answer, *_] = await core.handle(says("biaya paspor"))
    assert answer.text != replies.FLOOD
    assert log.recent()[0].action == "answer"


async def test_without_officers_the_chat_is_never_slowed_down(
    core: Conversation, log: MemoryLog
) -> None:
    for _ in range(15):
        await core.handle(says("biaya paspor"))
    assert "flood" not in {flag for q in log.questions for flag in q.flags}


def test_a_flood_excerpt_of_exactly_the_limit_is_kept_whole() -> None:
    text = ("kata " * FLOOD_LOG_CHARS)[: FLOOD_LOG_CHARS - 1] + "x"
    assert len(text) == FLOOD_LOG_CHARS
    assert flood_excerpt(text) == text
    assert flood_excerpt(text + "y").endswith("…")


async def test_the_outage_notice_says_since_when_in_wib(matcher: Matcher, log: MemoryLog) -> None:
    keeper = Keeper()
    board = OutageBoard(keeper, cache_seconds=0)
    keeper.notice = Notice(
        "Server M-Paspor gangguan", dt.datetime(2026, 11, 25, 20, 5, tzinfo=dt.UTC), "a"
    )
    core = Conversation(matcher, log, salt="s", notices=board)
    [notice, *_] = await core.handle(says("aplikasi m paspor error terus"))
    assert notice.text == replies.OUTAGE.format(
        since="26/11 03.05 WIB", text="Server M-Paspor gangguan"
    )


async def test_a_pinned_notice_keeps_the_offices_contacts() -> None:
    keeper = Keeper()
    board = OutageBoard(keeper, public=lambda: ("0721-123456",))
    pinned = await board.pin("Hubungi 0721-123456, bukan 0813-9876-5432", "admin")
    assert pinned.text == "Hubungi 0721-123456, bukan [TELEPON]"
