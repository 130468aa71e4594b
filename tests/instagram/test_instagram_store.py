"""Instagram's store on both databases: once per thread across workers, windows that never
shrink, takeovers, the bot's sends known by hash, and failures for /gagal_kirim."""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.channels.instagram.comment_store import CommentNote, CommentStore
from bot.channels.instagram.store import InstagramStore
from bot.channels.instagram.tables import InstagramDmReplyRow

NOW = dt.datetime(2026, 12, 6, 9, 0, tzinfo=dt.UTC)
IGSID = "6543210987654321"


def store_on(engine: AsyncEngine) -> InstagramStore:
    return InstagramStore(
        engine, chat_hash=lambda chat: hashlib.sha256(chat.encode()).hexdigest(), clock=lambda: NOW
    )


def note(comment_id: str, thread_id: str, action: str = "answered") -> CommentNote:
    return CommentNote(comment_id, thread_id, "17999000000000001", "u" * 64, action, None, NOW)


async def test_one_comment_per_thread_wins_across_workers(engine: AsyncEngine) -> None:
    workers = [CommentStore(engine) for _ in range(2)]
    claims = [
        worker.record(note(f"1790000000000{i:04d}", "17900000000000000"), claim=True)
        for i, worker in enumerate(workers * 4)
    ]
    assert sorted(await asyncio.gather(*claims)) == [False] * 7 + [True]
    other = await workers[0].record(note("17911111111111111", "17911111111111111"), claim=True)
    assert other is True  # another thread is its own


async def test_a_redelivered_comment_does_not_claim_again(engine: AsyncEngine) -> None:
    store = CommentStore(engine)
    assert await store.record(note("17900000000000001", "17900000000000001"), claim=True)
    assert not await store.record(note("17900000000000001", "17900000000000001"), claim=True)
    row = await store.comment("17900000000000001")
    assert row is not None
    assert row.action == "answered"


async def test_a_comment_not_answered_leaves_its_thread_open(engine: AsyncEngine) -> None:
    store = CommentStore(engine)
    assert not await store.record(note("17900000000000001", "17900000000000001", "ignored"))
    assert await store.record(note("17900000000000002", "17900000000000001"), claim=True)


async def test_the_first_reply_time_is_kept(engine: AsyncEngine) -> None:
    first = CommentStore(engine, clock=lambda: NOW)
    await first.record(note("17900000000000001", "17900000000000001"), claim=True)
    await first.replied("17900000000000001")
    later = CommentStore(engine, clock=lambda: NOW + dt.timedelta(minutes=5))
    await later.replied("17900000000000001")
    row = await first.comment("17900000000000001")
    assert row is not None
    assert row.replied_at == NOW


async def test_an_older_message_never_shortens_the_window(engine: AsyncEngine) -> None:
    store = store_on(engine)
    await store.touch(IGSID, NOW)
    await store.touch(IGSID, NOW - dt.timedelta(hours=3))
    row = await store.chat(IGSID)
    assert row is not None
    assert row.last_inbound_at == NOW
    assert IGSID not in row.chat_hash


async def test_a_takeover_is_kept_with_the_window(engine: AsyncEngine) -> None:
    store = store_on(engine)
    await store.touch(IGSID, NOW)
    await store.take_over(IGSID, NOW + dt.timedelta(hours=1))
    row = await store.chat(IGSID)
    assert row is not None
    assert (row.last_inbound_at, row.takeover_until) == (NOW, NOW + dt.timedelta(hours=1))


async def test_the_bots_sends_are_known_by_hash(engine: AsyncEngine) -> None:
    store = store_on(engine)
    await store.record_sent(["mid.A", "mid.B"], user_hash=None)
    await store.record_sent(["mid.A"], user_hash=None)  # a repeat is harmless
    assert await store.is_ours("mid.A")
    assert not await store.is_ours("mid.C")


async def test_failures_are_listed_newest_first(engine: AsyncEngine) -> None:
    store = store_on(engine)
    await store.record_failure("100 Invalid parameter", user_hash=None)
    assert await store.count_failed_since(NOW) == 1
    (failure,) = await store.failed_since(NOW, limit=5)
    assert failure.error == "100 Invalid parameter"
    assert await store.count_failed_since(NOW + dt.timedelta(seconds=1)) == 0


async def test_a_dm_wait_runs_from_the_first_unanswered_message(engine: AsyncEngine) -> None:
    store = store_on(engine)
    await store.answered(IGSID)  # nothing waits yet: nothing kept
    await store.touch(IGSID, NOW - dt.timedelta(minutes=3))
    await store.touch(IGSID, NOW - dt.timedelta(minutes=1))  # still the same wait
    await store.answered(IGSID)
    await store.answered(IGSID)  # a later reply closes nothing
    async with engine.connect() as connection:
        rows = (await connection.execute(select(InstagramDmReplyRow))).scalars().all()
        times = (await connection.execute(select(InstagramDmReplyRow.received_at))).all()
    assert len(rows) == 1
    assert times == [(NOW - dt.timedelta(minutes=3),)]
    row = await store.chat(IGSID)
    assert row is not None
    assert row.waiting_since is None


async def test_two_workers_close_one_wait_once(engine: AsyncEngine) -> None:
    workers = [store_on(engine) for _ in range(2)]
    await workers[0].touch(IGSID, NOW - dt.timedelta(minutes=2))
    await asyncio.gather(*(worker.answered(IGSID) for worker in workers * 3))
    async with engine.connect() as connection:
        count = await connection.scalar(select(func.count()).select_from(InstagramDmReplyRow))
    assert count == 1
