"""The inbox worker, the intake and the pipeline on a real database: each chat's updates in
order, a failing handler neither blocks its chat nor loses the update when the database is
to blame, webhook calls answered with their replies already sent."""

from __future__ import annotations

import asyncio
import dataclasses
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine
from support.rows import pending_counts

from bot.core.errors import StorageError
from bot.delivery.intake import Direct, Pipeline
from bot.delivery.pipeline import InboxWorker, OutboxSender
from bot.delivery.sending import Backoff
from bot.delivery.vocabulary import InboxUpdate, Outgoing
from bot.storage import create_engine
from bot.storage.queue import QueueStore

from .fakes import FakeTransport, to, transient, update


class Echo:
    """A handler that answers "re: <text>" and can fail on chosen texts."""

    def __init__(self, fail: dict[str, Exception] | None = None) -> None:
        self.fail = fail or {}
        self.seen: list[str] = []

    async def __call__(self, update: InboxUpdate) -> list[Outgoing]:
        text = str(update.payload["text"])
        self.seen.append(text)
        if text in self.fail:
            raise self.fail[text]
        return [to(update.chat_id, f"re: {text}", update.channel)]


@pytest.fixture
def queue(engine: AsyncEngine) -> QueueStore:
    return QueueStore(engine)


def sender_for(queue: QueueStore, transport: FakeTransport) -> OutboxSender:
    return OutboxSender(queue, transport, backoff=Backoff())


def echo_pipeline(
    queue: QueueStore, *, backoff: Backoff | None = None, lease: float = 60.0
) -> tuple[Pipeline, FakeTransport]:
    """A pipeline with one channel whose handler echoes."""
    transport = FakeTransport()
    pipeline = Pipeline(queue, backoff=backoff or Backoff(), lease=lease)
    pipeline.register("test", Echo(), transport)
    return pipeline, transport


async def test_a_round_handles_one_update_per_chat_and_queues_the_replies(
    queue: QueueStore,
) -> None:
    echo = Echo()
    worker = InboxWorker(queue, {"test": echo}, {})
    await queue.accept([update(1), update(2), update(3, chat="2")])
    assert await worker.round() == 2
    assert echo.seen == ["pesan 1", "pesan 3"]
    assert await worker.round() == 1
    assert await worker.round() == 0
    assert await pending_counts(queue) == (0, 3)


async def test_a_round_wakes_the_sender_of_the_channel_with_replies(queue: QueueStore) -> None:
    sender = sender_for(queue, FakeTransport())
    other = sender_for(queue, FakeTransport("lain"))
    worker = InboxWorker(queue, {"test": Echo()}, {"test": sender, "lain": other})
    await queue.accept([update(1)])
    await worker.round()
    assert sender._wake.is_set()
    assert not other._wake.is_set()


async def test_a_database_error_in_the_handler_leaves_the_update_for_a_retry(
    queue: QueueStore,
) -> None:
    echo = Echo(fail={"pesan 1": StorageError("down")})
    worker = InboxWorker(queue, {"test": echo}, {}, lease=0.0)
    await queue.accept([update(1)])
    await worker.round()
    assert await pending_counts(queue) == (1, 0)
    echo.fail.clear()
    assert await worker.round() == 1
    assert await pending_counts(queue) == (0, 1)


async def test_a_poison_update_is_dropped_so_its_chat_goes_on(queue: QueueStore) -> None:
    echo = Echo(fail={"pesan 1": ValueError("bad payload")})
    worker = InboxWorker(queue, {"test": echo}, {})
    await queue.accept([update(1), update(2)])
    await worker.round()
    await worker.round()
    assert echo.seen == ["pesan 1", "pesan 2"]
    assert await pending_counts(queue) == (0, 1)


async def test_an_update_of_a_channel_without_handler_stays_stored(queue: QueueStore) -> None:
    worker = InboxWorker(queue, {"test": Echo()}, {})
    await queue.accept([update(1, channel="lain")])
    assert await worker.round() == 1
    assert await pending_counts(queue) == (1, 0)


async def test_a_webhook_call_is_answered_with_its_replies_sent(queue: QueueStore) -> None:
    pipeline, transport = echo_pipeline(queue)
    assert await pipeline.intake.receive([update(1), update(2, chat="2")], now=True)
    assert sorted(transport.wire) == [("1", 0), ("2", 0)]
    assert await pending_counts(queue) == (0, 0)


async def test_an_update_handled_at_once_keeps_its_parsed_form_a_claimed_one_has_none(
    queue: QueueStore,
) -> None:
    """The channel's parsed update rides along in the process (not parsed twice), is never
    stored, and plays no part in comparing updates."""
    seen: list[object] = []

    async def handler(item: InboxUpdate) -> list[Outgoing]:
        seen.append(item.parsed)
        return [to(item.chat_id, "ok")]

    pipeline = Pipeline(queue, backoff=Backoff(), lease=60.0)
    pipeline.register("test", handler, FakeTransport())
    parsed = object()
    now = dataclasses.replace(update(1), parsed=parsed)
    assert now == update(1)
    assert await pipeline.intake.receive([now], now=True)
    await queue.accept([dataclasses.replace(update(2, chat="2"), parsed=object())])
    assert await pipeline.worker.round() == 1  # from the database: only the payload
    assert seen == [parsed, None]


async def test_a_webhook_call_takes_a_chats_later_updates_in_the_same_call(
    queue: QueueStore,
) -> None:
    pipeline, transport = echo_pipeline(queue)
    await queue.accept([update(9, chat="9")])  # stored earlier: the loop's, not this call's
    assert await pipeline.intake.receive([update(1), update(2), update(3)], now=True)
    assert transport.wire == [("1", 0), ("1", 0), ("1", 0)]
    assert await pending_counts(queue) == (1, 0)


async def test_an_update_behind_an_unfinished_one_is_left_to_the_loop(
    queue: QueueStore,
) -> None:
    pipeline, transport = echo_pipeline(queue)
    await queue.accept([update(1)])
    await queue.claim_updates(10, lease=60)  # another worker is on it
    assert await pipeline.intake.receive([update(2)], now=True)
    assert transport.wire == []
    assert pipeline.worker._wake.is_set()
    assert await pending_counts(queue) == (2, 0)


async def test_stored_updates_wait_for_the_loop_unless_answered_now(queue: QueueStore) -> None:
    pipeline, transport = echo_pipeline(queue)
    assert await pipeline.intake.receive([update(1)])
    assert transport.wire == []
    assert pipeline.worker._wake.is_set()
    assert await pending_counts(queue) == (1, 0)
    assert await pipeline.worker.round() == 1, "not leased: the loop takes it at once"


async def test_the_running_pipeline_answers_what_a_previous_run_left(queue: QueueStore) -> None:
    pipeline, transport = echo_pipeline(queue)
    await queue.accept([update(1), update(2, chat="2")])
    async with pipeline.running():
        await transport.until_sent(2)
        await asyncio.sleep(0.01)  # the worker finds nothing more and waits
        assert await pipeline.intake.receive([update(3, chat="3")])
        await transport.until_sent(3)
    assert await pending_counts(queue) == (0, 0)


async def test_without_the_database_the_update_is_answered_directly(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path}/unmigrated.db")  # no tables: every write fails
    pipeline, transport = echo_pipeline(QueueStore(engine), backoff=Backoff(first=0.01))
    transport.refusals = [transient()]
    try:
        assert await pipeline.intake.receive([update(1)], now=True)
    finally:
        await engine.dispose()
    assert transport.wire == [("1", 0)]


def test_direct_is_what_the_intake_falls_back_on(queue: QueueStore) -> None:
    pipeline = Pipeline(queue, backoff=Backoff(), lease=60.0)
    assert isinstance(pipeline.intake._direct, Direct)


async def test_the_pipelines_lease_and_backoff_reach_worker_and_senders(
    queue: QueueStore,
) -> None:
    pipeline, transport = echo_pipeline(queue, backoff=Backoff(first=7.0), lease=5.0)
    assert pipeline.worker.lease == 5.0
    transport.refusals = [transient()]
    await queue.accept([update(1)])
    await pipeline.worker.round()
    await pipeline.senders["test"].send_held(await queue.claim_replies("test", 10, lease=60))
    assert await pending_counts(queue) == (0, 1), "booked for a retry, not given up"


async def test_an_update_stored_by_another_worker_is_taken_on_the_idle_tick(
    queue: QueueStore,
) -> None:
    pipeline, transport = echo_pipeline(queue)
    async with pipeline.running():
        await asyncio.sleep(0.01)  # the worker found nothing and waits
        await queue.accept([update(1)])  # no kick: another process stored it
        await transport.until_sent(1)
    assert transport.recorded_for == ["1"]
