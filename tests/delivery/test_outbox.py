"""The outbox sender on a real database: parts in order and never twice, backoff between
tries of a transient refusal (channel-wide, reset by a success), giving up."""

from __future__ import annotations

import asyncio
import itertools
import time

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine
from storage.helpers import FakeClock as Clock
from support.rows import failed_replies, failed_texts, pending_counts

from bot.delivery.pipeline import OutboxSender
from bot.delivery.sending import Backoff, SendDeferred
from bot.delivery.vocabulary import Pending
from bot.storage.queue import QueueStore

from .fakes import FakeTransport, refused, to, transient, update

KEYS = itertools.count(1)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def queue(engine: AsyncEngine, clock: Clock) -> QueueStore:
    return QueueStore(engine, clock=clock)


async def queued(queue: QueueStore, *texts: str, chat: str = "1") -> None:
    """Replies queued for `chat` as the inbox worker queues them (one handled update)."""
    await queue.accept([update(next(KEYS), chat)])
    [claimed] = await queue.claim_updates(10, lease=60)
    await queue.complete([(claimed.id, [to(chat, text) for text in texts])])


async def claim(queue: QueueStore) -> list[Pending]:
    return await queue.claim_replies("test", 10, lease=60)


def test_backoff_doubles_from_first_up_to_most() -> None:
    backoff = Backoff(first=4.0, most=20.0)
    assert [backoff.delay(n) for n in range(6)] == [4.0, 4.0, 8.0, 16.0, 20.0, 20.0]


def test_the_default_backoff_gives_up_after_about_an_hour_and_a_half() -> None:
    backoff = Backoff()
    waits = [backoff.delay(n) for n in range(1, backoff.attempts)]
    assert waits[:6] == [1.0, 2.0, 4.0, 8.0, 16.0, 30.0]
    assert sum(waits) == 5851.0  # 97.5 minutes of waiting before the last try


async def test_every_part_goes_out_in_order_and_the_row_is_deleted(queue: QueueStore) -> None:
    transport = FakeTransport()
    await queued(queue, "satu|dua|tiga")
    await OutboxSender(queue, transport, backoff=Backoff()).send_held(await claim(queue))
    assert transport.wire == [("1", 0), ("1", 1), ("1", 2)]
    assert transport.receipts == [["1/0", "1/2"]]  # part 1 kept no id
    assert transport.recorded_for == ["1"]
    assert await pending_counts(queue) == (0, 0)


async def test_a_retried_reply_resumes_at_the_part_that_failed(
    queue: QueueStore, clock: Clock
) -> None:
    transport = FakeTransport(refusals=[transient()], refuse_from=1)
    sender = OutboxSender(queue, transport, backoff=Backoff(first=5.0))
    await queued(queue, "satu|dua|tiga")
    await sender.send_held(await claim(queue))
    clock.advance(seconds=5)
    [again] = await claim(queue)
    assert (again.parts_sent, again.attempts) == (1, 1)
    await sender.send_held([again])
    assert transport.wire == [("1", 0), ("1", 1), ("1", 2)]  # part 0 is not sent again
    assert transport.receipts == [["1/2"]]
    assert await pending_counts(queue) == (0, 0)


async def test_transient_refusals_wait_longer_each_time_until_a_success(
    queue: QueueStore, clock: Clock
) -> None:
    transport = FakeTransport(refusals=[transient(), transient(), transient()])
    sender = OutboxSender(queue, transport, backoff=Backoff(first=4.0, most=10.0))
    await queued(queue, "halo")
    for wait in (4.0, 8.0, 10.0, 0.0):  # the last try succeeds
        [pending] = await claim(queue)
        await sender.send_held([pending])
        if wait:
            clock.advance(seconds=wait - 0.5)
            assert await claim(queue) == [], f"due before {wait} s"
            clock.advance(seconds=0.5)
    assert transport.wire == [("1", 0)]
    assert await pending_counts(queue) == (0, 0)
    transport.refusals = [transient()]
    await queued(queue, "lagi", chat="2")
    await sender.send_held(await claim(queue))
    clock.advance(seconds=3.5)
    assert await claim(queue) == [], "a success starts the doubling over"
    clock.advance(seconds=0.5)
    assert len(await claim(queue)) == 1


async def test_a_backoff_under_a_second_is_kept(queue: QueueStore, clock: Clock) -> None:
    transport = FakeTransport(refusals=[transient()])
    await queued(queue, "halo")
    sender = OutboxSender(queue, transport, backoff=Backoff(first=0.25))
    await sender.send_held(await claim(queue))
    clock.advance(seconds=0.25)
    assert len(await claim(queue)) == 1


async def test_a_retry_after_longer_than_the_backoff_is_honoured(
    queue: QueueStore, clock: Clock
) -> None:
    transport = FakeTransport(refusals=[transient("RetryAfter", retry_after=30.0)])
    await queued(queue, "halo")
    await OutboxSender(queue, transport, backoff=Backoff()).send_held(await claim(queue))
    clock.advance(seconds=29)
    assert await claim(queue) == []
    clock.advance(seconds=1)
    [pending] = await claim(queue)
    assert pending.attempts == 1


async def test_a_deferred_reply_waits_in_the_outbox_without_pausing_the_channel(
    queue: QueueStore, clock: Clock
) -> None:
    # A channel's own budget spent (Instagram's private replies an hour) is not a failure:
    # the row waits its delay with its tries unchanged, and other chats' replies go on.
    deferred = SendDeferred("private-reply limit reached", delay=30.0)
    transport = FakeTransport(refusals=[deferred])
    sender = OutboxSender(queue, transport, backoff=Backoff(first=5.0))
    await queued(queue, "balasan pribadi", chat="1")
    await sender.send_held(await claim(queue))
    await queued(queue, "untuk orang lain", chat="2")
    [other] = await claim(queue)
    await sender.send_held([other])
    assert transport.wire == [("2", 0)]
    clock.advance(seconds=29)
    assert await claim(queue) == []
    clock.advance(seconds=1)
    [again] = await claim(queue)
    assert (again.outgoing.chat_id, again.attempts) == ("1", 0)
    await sender.send_held([again])
    assert transport.wire == [("2", 0), ("1", 0)]
    assert transport.given_up == []


async def test_a_permanent_refusal_is_given_up_at_once(queue: QueueStore) -> None:
    transport = FakeTransport(refusals=[refused()])
    await queued(queue, "halo")
    await OutboxSender(queue, transport, backoff=Backoff()).send_held(await claim(queue))
    assert transport.given_up == [("1", "Forbidden: bot was blocked")]
    [(channel, _, error)] = await failed_replies(queue)
    assert (channel, error) == ("test", "Forbidden: bot was blocked")
    assert await pending_counts(queue) == (0, 0)


async def test_a_reply_given_up_is_kept_redacted_with_its_channel(queue: QueueStore) -> None:
    transport = FakeTransport(channel="wa", refusals=[refused("Nomor 0813-9876-5432 diblokir")])
    await queue.accept([update(next(KEYS), "1", channel="wa")])
    [claimed] = await queue.claim_updates(10, lease=60)
    answer = "Jawaban petugas: NIK 3201234567890001 sudah dicek"
    await queue.complete([(claimed.id, [to("1", answer, channel="wa")])])
    pending = await queue.claim_replies("wa", 10, lease=60)
    await OutboxSender(queue, transport, backoff=Backoff()).send_held(pending)
    assert await failed_texts(queue) == ["Jawaban petugas: NIK [NIK] sudah dicek"]
    [(channel, _, error)] = await failed_replies(queue)
    assert (channel, error) == ("wa", "Nomor [TELEPON] diblokir")
    assert transport.given_up == [("1", "Nomor 0813-9876-5432 diblokir")]  # the channel's own


async def test_a_transient_refusal_is_given_up_on_the_last_attempt(
    queue: QueueStore, clock: Clock
) -> None:
    transport = FakeTransport(refusals=[transient(), transient("Timed out")])
    sender = OutboxSender(queue, transport, backoff=Backoff(first=1.0, attempts=2))
    await queued(queue, "halo")
    await sender.send_held(await claim(queue))
    assert transport.given_up == []
    clock.advance(seconds=1)
    await sender.send_held(await claim(queue))
    assert transport.given_up == [("1", "Timed out")]
    assert len(await failed_replies(queue)) == 1


async def test_the_running_sender_sends_what_is_queued_oldest_first_per_chat(
    queue: QueueStore,
) -> None:
    transport = FakeTransport()
    sender = OutboxSender(queue, transport, backoff=Backoff(), idle=0.01)
    await queued(queue, "satu", "dua", chat="1")
    await queued(queue, "tiga", chat="2")
    task = asyncio.create_task(sender.run())
    await transport.until_sent(3)
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
    assert sorted(transport.receipts) == [["1/0"], ["1/0"], ["2/0"]]
    assert await pending_counts(queue) == (0, 0)


async def test_the_running_sender_pauses_after_a_refusal_then_goes_on_alone(
    engine: AsyncEngine,
) -> None:
    transport = FakeTransport(refusals=[transient()])
    queue_now = QueueStore(engine)  # real time: the retry falls due by itself
    sender = OutboxSender(queue_now, transport, backoff=Backoff(first=0.05), idle=0.02)
    await queued(queue_now, "halo")
    task = asyncio.create_task(sender.run())
    await transport.until_sent(1)
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
    assert transport.refusals == []
    assert await pending_counts(queue_now) == (0, 0)


async def test_a_refusal_pauses_the_whole_channel_for_the_wait_asked(
    engine: AsyncEngine,
) -> None:
    transport = FakeTransport(refusals=[transient(retry_after=0.5)])
    queue_now = QueueStore(engine)
    sender = OutboxSender(queue_now, transport, backoff=Backoff(first=0.01), idle=0.01)
    await queued(queue_now, "halo", chat="1")
    task = asyncio.create_task(sender.run())
    async with asyncio.timeout(5):
        while transport.refusals:  # noqa: ASYNC110 - the fake has no event for a refusal
            await asyncio.sleep(0.005)
    refused_at = time.monotonic()
    await queued(queue_now, "untuk orang lain", chat="2")
    sender.kick()
    await transport.until_sent(1)
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
    # Another applicant's reply waits too: an API refusing one send is refusing the channel.
    assert time.monotonic() - refused_at >= 0.45


async def test_the_running_sender_keeps_claiming_as_sends_finish(queue: QueueStore) -> None:
    transport = FakeTransport()
    sender = OutboxSender(queue, transport, backoff=Backoff(), batch=4, idle=0.01)
    for chat in range(10):
        await queued(queue, "halo", chat=str(chat))
    task = asyncio.create_task(sender.run())
    await transport.until_sent(10)
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
    assert sorted(chat for chat, _ in transport.wire) == [str(chat) for chat in range(10)]


async def test_a_sender_sends_only_its_own_channels_replies(queue: QueueStore) -> None:
    await queued(queue, "halo")
    await queue.accept([update(next(KEYS), "9", channel="lain")])
    [claimed] = await queue.claim_updates(10, lease=60)
    await queue.complete([(claimed.id, [to("9", "bukan untukmu", channel="lain")])])
    transport = FakeTransport()
    sender = OutboxSender(queue, transport, backoff=Backoff(), idle=0.01)
    task = asyncio.create_task(sender.run())
    await transport.until_sent(1)
    await asyncio.sleep(0.05)  # a few idle ticks: time enough to take the other row, too
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
    assert transport.wire == [("1", 0)]
    assert await pending_counts(queue) == (0, 1)
