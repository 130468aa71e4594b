"""The outage notice read through its short cache (a fake keeper stands in for the table),
the salted hashes that stand for users and chats, and the fallback text."""

from __future__ import annotations

import datetime as dt

from support.memory_log import MemoryLog

from bot.core.conversation import Conversation
from bot.core.errors import BotError
from bot.core.notices import OutageBoard
from bot.core.replies import FALLBACK, fallback_text, fill, footer, short_footer
from bot.core.vocabulary import Incoming, Notice
from knowledge.matcher import Matcher

T0 = dt.datetime(2026, 11, 25, 3, 0, tzinfo=dt.UTC)


class Keeper:
    """The notices table: counts reads, fails them on cue."""

    def __init__(self) -> None:
        self.notice: Notice | None = None
        self.reads = 0
        self.down = False

    async def get(self) -> Notice | None:
        self.reads += 1
        if self.down:
            raise BotError("database down")
        return self.notice

    async def put(self, text: str, set_by: str) -> Notice:
        self.notice = Notice(text, T0, set_by)
        return self.notice

    async def clear(self) -> bool:
        had, self.notice = self.notice is not None, None
        return had


async def test_the_notice_is_read_again_only_after_the_cache_time() -> None:
    keeper = Keeper()
    board = OutageBoard(keeper, cache_seconds=3600)
    assert await board.outage() is None
    keeper.notice = Notice("M-Paspor sedang gangguan", T0, "admin")
    assert await board.outage() is None  # cached
    assert keeper.reads == 1
    fresh = OutageBoard(keeper, cache_seconds=0)
    assert await fresh.outage() == keeper.notice
    assert await fresh.outage() == keeper.notice
    assert keeper.reads == 3


async def test_a_pinned_or_cleared_notice_shows_at_once_on_this_worker() -> None:
    keeper = Keeper()
    board = OutageBoard(keeper, cache_seconds=3600)
    assert await board.outage() is None
    pinned = await board.pin("Gangguan server", "admin")
    assert await board.outage() == pinned == Notice("Gangguan server", T0, "admin")
    assert await board.clear() is True
    assert await board.outage() is None
    assert await board.clear() is False
    assert keeper.reads == 1


async def test_when_the_database_is_down_the_last_notice_stays() -> None:
    keeper = Keeper()
    keeper.down = True
    assert await OutageBoard(keeper, cache_seconds=0).outage() is None  # none read yet
    keeper.down = False
    keeper.notice = Notice("Gangguan", T0, "admin")
    board = OutageBoard(keeper, cache_seconds=0)
    assert await board.outage() == keeper.notice
    keeper.down = True
    assert await board.outage() == Notice("Gangguan", T0, "admin")


def test_hashes_tell_users_and_chats_apart_and_depend_on_the_salt(
    core: Conversation, log: MemoryLog
) -> None:
    def user(channel: str, user_id: str) -> str:
        return core.user_hash(Incoming(channel, "c", user_id, "halo"))

    assert user("telegram", "1") == user("telegram", "1")
    assert len({user("telegram", "1"), user("whatsapp", "1"), user("telegram", "2")}) == 3
    chats = {core.chat_hash("telegram", "1"), core.chat_hash("whatsapp", "1")}
    assert len(chats | {core.chat_hash("telegram", "2"), user("telegram", "1")}) == 4
    other = Conversation(core.matcher, log, salt="other-salt")
    assert other.chat_hash("telegram", "1") not in chats


def test_a_fallback_points_elsewhere_when_it_knows_where(matcher: Matcher) -> None:
    kb = matcher.kb
    assert fallback_text(kb) == f"{FALLBACK}\n\n{footer(kb)}"
    pointer = kb.entries[0]
    # The pointer is a first reply: its short form, ending with the footer's short form.
    expected = f"{fill(pointer.short, kb).strip()}\n\n{short_footer(kb)}"
    assert fallback_text(kb, redirect=pointer) == expected
    brief = next(entry for entry in kb.entries if not entry.has_details)
    expected = f"{fill(brief.answer, kb).strip()}\n\n{short_footer(kb)}"
    assert fallback_text(kb, redirect=brief) == expected
