"""The durable inbox and outbox on both databases: de-duplication, one row per chat at a
time, leases, the handled mark and the replies in one transaction, retries and failures."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt

from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlalchemy.pool import NullPool
from support.rows import failed_replies, pending_counts

from bot.core.vocabulary import Button, Reply
from bot.delivery.pipeline import OutboxSender
from bot.delivery.sending import Backoff, SendFailure
from bot.delivery.vocabulary import InboxUpdate, Outgoing
from bot.storage.queue import QueueStore

T0 = dt.datetime(2026, 12, 1, 8, 0, tzinfo=dt.UTC)


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> dt.datetime:
        return self.now


def update(n: int, chat: str = "1") -> InboxUpdate:
    return InboxUpdate(f"telegram:{n}", "telegram", chat, {"update_id": n, "text": "rahasia"})


async def test_a_key_is_stored_once_and_a_chat_is_claimed_oldest_first(
    engine: AsyncEngine,
) -> None:
    queue = QueueStore(engine)
    new, _ = await queue.accept([update(1), update(2), update(3, chat="2")])
    assert new == ["telegram:1", "telegram:2", "telegram:3"]
    assert await queue.accept([update(1)]) == ([], [])  # a redelivery
    first = await queue.claim_updates(10, lease=60)
    assert [u.key for u in first] == ["telegram:1", "telegram:3"]  # one per chat
    assert await queue.claim_updates(10, lease=60) == []  # leased; chat 1's next waits
    await queue.complete([(first[0].id, [Outgoing("telegram", "1", Reply("hai"))])])
    [second] = await queue.claim_updates(10, lease=60)
    assert second.key == "telegram:2"


async def test_an_expired_lease_is_taken_again(engine: AsyncEngine) -> None:
    clock = Clock()
    queue = QueueStore(engine, clock=clock)
    await queue.accept([update(1)])
    assert len(await queue.claim_updates(10, lease=5)) == 1
    clock.now += dt.timedelta(seconds=6)  # the worker died
    assert len(await queue.claim_updates(10, lease=5)) == 1


async def test_completion_queues_replies_and_forgets_the_payload(engine: AsyncEngine) -> None:
    queue = QueueStore(engine)
    await queue.accept([update(1)])
    [claimed] = await queue.claim_updates(10, lease=60)
    reply = Reply("jawaban", (Button("👍", "#fb:1:1"),))
    await queue.complete([(claimed.id, [Outgoing("telegram", "1", reply, "hash")])])
    [pending] = await queue.claim_replies("telegram", 10, lease=60)
    assert pending.outgoing == Outgoing("telegram", "1", reply, "hash")
    assert await pending_counts(queue) == (0, 1)
    await queue.progress(pending.id, 1, finished=True)
    assert await pending_counts(queue) == (0, 0)
    assert await queue.accept([update(1)]) == ([], [])  # still known after handling


async def test_a_retried_reply_waits_and_blocks_its_chat(engine: AsyncEngine) -> None:
    clock = Clock()
    queue = QueueStore(engine, clock=clock)
    await queue.accept([update(1)])
    [claimed] = await queue.claim_updates(10, lease=60)
    replies = [Outgoing("telegram", "1", Reply(text)) for text in ("satu", "dua")]
    await queue.complete([(claimed.id, replies)])
    [first] = await queue.claim_replies("telegram", 10, lease=60)
    await queue.retry_later(first.id, 1, delay=2.0, error="NetworkError")
    assert await queue.claim_replies("telegram", 10, lease=60) == []  # "dua" waits too
    clock.now += dt.timedelta(seconds=3)
    [again] = await queue.claim_replies("telegram", 10, lease=60)
    assert (again.outgoing.reply.text, again.attempts) == ("satu", 1)
    await queue.fail(again.id, 2, "BadRequest: chat not found", kept=Reply("[NIK]"))
    [second] = await queue.claim_replies("telegram", 10, lease=60)
    assert second.outgoing.reply.text == "dua"
    [(channel, _, error)] = await failed_replies(queue)
    assert (channel, error) == ("telegram", "BadRequest: chat not found")


def test_the_outbox_waits_double_from_the_first_up_to_the_most() -> None:
    backoff = Backoff()
    assert [backoff.delay(n) for n in range(1, 9)] == [1, 2, 4, 8, 16, 30, 30, 30]
    assert backoff.attempts == 200
    short = Backoff(first=0.2, most=5)
    assert [short.delay(n) for n in range(1, 8)] == [0.2, 0.4, 0.8, 1.6, 3.2, 5, 5]


class DownChannel:
    """A channel API that is down: every send fails, transiently, and the tries are timed."""

    channel = "telegram"

    def __init__(self) -> None:
        self.tries: list[float] = []
        self.given_up: list[str] = []

    def parts(self, outgoing: Outgoing) -> int:
        return 1

    async def send_part(self, outgoing: Outgoing, index: int) -> str | None:
        self.tries.append(asyncio.get_running_loop().time())
        raise SendFailure("Internal Server Error", transient=True)

    async def sent(self, outgoing: Outgoing, receipts: object) -> None:
        raise AssertionError("nothing is sent while the channel is down")

    async def gave_up(self, outgoing: Outgoing, reason: str) -> None:
        self.given_up.append(reason)


async def test_a_reply_is_tried_with_growing_waits_then_given_up(engine: AsyncEngine) -> None:
    queue, channel = QueueStore(engine), DownChannel()
    await queue.accept([update(1)])
    [claimed] = await queue.claim_updates(10, lease=60)
    await queue.complete([(claimed.id, [Outgoing("telegram", "1", Reply("jawaban"))])])
    backoff = Backoff(first=0.05, most=0.2, attempts=5)
    sender = OutboxSender(queue, channel, backoff=backoff, idle=0.01)
    task = asyncio.create_task(sender.run())
    try:
        async with asyncio.timeout(10):
            while not channel.given_up:  # noqa: ASYNC110 - the sender offers no event
                await asyncio.sleep(0.01)
        await asyncio.sleep(0.3)  # longer than any wait: a sixth try would come by now
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
    assert len(channel.tries) == 5
    waits = [b - a for a, b in zip(channel.tries, channel.tries[1:], strict=False)]
    for wait, least in zip(waits, [0.05, 0.1, 0.2, 0.2], strict=True):
        assert wait >= least * 0.9, waits
    [(_, _, error)] = await failed_replies(queue)
    assert error == "Internal Server Error"


async def test_two_workers_never_claim_the_same_row(db_url: str, engine: AsyncEngine) -> None:
    queue = QueueStore(engine)
    await queue.accept([update(n, chat=str(n)) for n in range(40)])
    other_engine = create_async_engine(engine.url, poolclass=NullPool)
    try:
        other = QueueStore(other_engine)
        keys: list[str] = []
        for _ in range(8):  # a worker that loses a race gets fewer rows, never the same ones
            batches = await asyncio.gather(
                *(each.claim_updates(10, lease=60) for each in (queue, other, queue, other))
            )
            keys += [u.key for batch in batches for u in batch]
    finally:
        await other_engine.dispose()
    assert len(keys) == len(set(keys)) == 40


async def test_old_keys_and_failures_are_forgotten(engine: AsyncEngine) -> None:
    clock = Clock()
    queue = QueueStore(engine, clock=clock)
    await queue.accept([update(1)])
    [claimed] = await queue.claim_updates(10, lease=60)
    await queue.complete([(claimed.id, [Outgoing("telegram", "1", Reply("x"))])])
    [pending] = await queue.claim_replies("telegram", 10, lease=60)
    await queue.fail(pending.id, 1, "Forbidden", kept=Reply("x"))
    clock.now += dt.timedelta(days=31)
    assert await queue.forget_old() == 2
    assert (await queue.accept([update(1)]))[0] == ["telegram:1"]


async def test_a_webhook_holds_what_heads_its_chat(engine: AsyncEngine) -> None:
    queue = QueueStore(engine)
    new, held = await queue.accept([update(1), update(2), update(3, chat="2")], hold=60)
    assert len(new) == 3
    assert [u.key for u in held] == ["telegram:1", "telegram:3"]
    assert await queue.claim_updates(10, lease=60) == []  # 1 and 3 held, 2 waits behind 1
    replies = [Outgoing("telegram", "1", Reply(t)) for t in ("satu", "dua")]
    sent = await queue.complete([(held[0].id, replies)], hold=60)
    assert [p.outgoing.reply.text for p in sent] == ["satu"]  # "dua" waits behind it
    assert [u.key for u in await queue.claim_updates(10, lease=60)] == ["telegram:2"]
