"""Answering without the database (`Direct`): every part sent, transient refusals retried
in memory for as long as the patience allows, one refused reply not holding up the rest."""

from __future__ import annotations

import time
from collections.abc import Sequence

from bot.core.errors import StorageError
from bot.delivery.intake import Direct
from bot.delivery.sending import Backoff, SendDeferred
from bot.delivery.vocabulary import InboxUpdate, Outgoing

from .fakes import FakeTransport, refused, to, transient, update

QUICK = Backoff(first=0.01, most=0.02)


def direct(transport: FakeTransport, *, backoff: Backoff = QUICK, patience: float = 5) -> Direct:
    async def echo(update: InboxUpdate) -> list[Outgoing]:
        return [to(update.chat_id, f"re: {update.payload['text']}")]

    return Direct({"test": echo}, {"test": transport}, backoff=backoff, patience=patience)


async def test_every_part_is_sent_and_the_receipts_recorded() -> None:
    transport = FakeTransport()
    assert await direct(transport).send(to("1", "satu|dua|tiga"))
    assert transport.wire == [("1", 0), ("1", 1), ("1", 2)]
    assert transport.receipts == [["1/0", "1/2"]]
    assert transport.recorded_for == ["1"]


async def test_a_transient_refusal_is_retried_after_the_backoff() -> None:
    transport = FakeTransport(refusals=[transient(), transient()], refuse_from=1)
    started = time.monotonic()
    assert await direct(transport, backoff=Backoff(first=0.05, most=1)).send(to("1", "a|b"))
    assert time.monotonic() - started >= 0.15  # 0.05 then 0.1
    assert transport.wire == [("1", 0), ("1", 1)]


async def test_a_permanent_refusal_is_given_up_not_retried() -> None:
    transport = FakeTransport(refusals=[refused(), transient()])
    # Done with: the channel delivering the update again would only repeat the refusal.
    assert await direct(transport).send(to("1", "halo"))
    assert transport.wire == []
    assert transport.refusals, "no second try"
    assert [chat for chat, _ in transport.given_up] == ["1"]


async def test_retries_stop_when_the_patience_runs_out() -> None:
    transport = FakeTransport(refusals=[transient()] * 50)
    started = time.monotonic()
    assert not await direct(transport, backoff=Backoff(first=0.02, most=0.02), patience=0.1).send(
        to("1", "halo")
    )
    assert time.monotonic() - started < 0.2
    assert 44 <= len(transport.refusals) <= 47, "four or five tries in 0.1 s"


async def test_a_retry_after_beyond_the_patience_gives_up_at_once() -> None:
    transport = FakeTransport(refusals=[transient("RetryAfter", retry_after=10.0)])
    started = time.monotonic()
    assert not await direct(transport, patience=5).send(to("1", "halo"))
    assert time.monotonic() - started < 1


async def test_a_deferred_part_waits_its_delay_not_the_backoff() -> None:
    transport = FakeTransport(refusals=[SendDeferred("budget spent", delay=0.1)])
    started = time.monotonic()
    assert await direct(transport, backoff=Backoff(first=5, most=5)).send(to("1", "halo"))
    assert 0.1 <= time.monotonic() - started < 1
    assert transport.wire == [("1", 0)]


async def test_a_deferral_beyond_the_patience_is_left_for_later() -> None:
    transport = FakeTransport(refusals=[SendDeferred("budget spent", delay=3600)])
    assert not await direct(transport, patience=5).send(to("1", "halo"))
    assert transport.given_up == []


async def test_one_refused_reply_does_not_stop_the_others() -> None:
    transport = FakeTransport(refusals=[refused()])
    assert await direct(transport).handle([update(1), update(2, chat="2")]) == 2
    assert transport.wire == [("2", 0)]


async def test_a_reply_still_failing_stops_the_batch_where_it_is() -> None:
    transport = FakeTransport(refusals=[transient()] * 50)
    handled = await direct(transport, patience=0.05).handle([update(1), update(2, chat="2")])
    assert handled == 0, "the first update is not done: nothing may be confirmed"
    assert transport.wire == []


async def test_all_sent_is_true() -> None:
    transport = FakeTransport()
    assert await direct(transport).handle([update(1), update(2, chat="2")])
    assert transport.wire == [("1", 0), ("2", 0)]


class NoDatabase(FakeTransport):
    """Recording what was sent needs the database, which is down."""

    async def sent(self, outgoing: Outgoing, receipts: Sequence[str]) -> None:
        raise StorageError("database down")


async def test_a_reply_sent_while_its_record_fails_counts_as_sent() -> None:
    transport = NoDatabase()
    assert await direct(transport).send(to("1", "halo"))
    assert transport.wire == [("1", 0)]


def test_a_refusal_reads_as_its_reason() -> None:
    failure = transient("Bad Gateway", retry_after=2.0)
    assert (str(failure), failure.reason, failure.retry_after) == (
        "Bad Gateway",
        "Bad Gateway",
        2.0,
    )
    assert failure.transient
    assert not refused().transient
