"""The account's publishing limit is read before anything is made and respected: a full one
puts the post off (no try counted, nothing made); it goes out once the limit frees. A limit
that fills between the check and the publish call (Meta refuses) is waited out the same way."""

from __future__ import annotations

from bot.publishing.vocabulary import State

from .harness import Rig


async def test_a_full_limit_defers_the_post_until_it_frees(rig: Rig) -> None:
    side = rig.graph.publishing
    side.quota_total, side.used_elsewhere = 25, 25
    publication = await rig.schedule()
    worker = rig.worker()
    assert await worker.publish_due() == 1
    waiting = await rig.publication(publication)
    assert (waiting.state, waiting.attempts) == (State.SCHEDULED, 0)
    assert waiting.note == "Menunggu batas unggah Instagram (25/25 dalam 24 jam)."
    assert waiting.due_at == rig.clock.now + rig.settings.limit_wait
    assert side.items_made == 0
    assert side.publishes == []
    rig.clock.advance(minutes=10)
    assert await worker.publish_due() == 0  # not due again before the wait is over
    side.used_elsewhere = 24
    rig.clock.advance(minutes=20)
    assert await worker.publish_due() == 1
    assert len(side.publishes) == 1
    assert (await rig.publication(publication)).state is State.PUBLISHED
    assert rig.alerts == []


async def test_only_as_many_posts_as_the_limit_allows_go_out(rig: Rig) -> None:
    side = rig.graph.publishing
    side.quota_total = 2
    posts = [await rig.schedule(caption=f"Keterangan {n} #paspor") for n in range(3)]
    await rig.worker().publish_due()
    states = [(await rig.publication(p)).state for p in posts]
    assert states == [State.PUBLISHED, State.PUBLISHED, State.SCHEDULED]
    assert len(side.publishes) == 2
    assert [code for _, code, _ in rig.graph.errors] == []  # never refused: we kept to it


async def test_a_limit_filled_meanwhile_is_waited_out_not_failed(rig: Rig) -> None:
    side = rig.graph.publishing
    side.hold_carousels = True
    publication = await rig.schedule()
    worker = rig.worker(processing=rig.settings.processing / 30)
    await worker.publish_due()  # containers made; the carousel still processing
    side.hold_carousels = False
    side.quota_total, side.used_elsewhere = 10, 9
    rig.clock.advance(minutes=2)
    side.posted_after_read = 1  # read at 9/10, full by our publish call: Meta refuses it
    await worker.publish_due()
    waiting = await rig.publication(publication)
    assert waiting.state is State.PUBLISHING  # settled by the status before the next try
    assert waiting.attempts == 1  # only the processing timeout counted
    assert [(code, sub) for _, code, sub in rig.graph.errors] == [(9, 2207042)]
    side.used_elsewhere = 0
    rig.clock.advance(minutes=30)
    assert await worker.publish_due() == 1
    assert len(side.publishes) == 1
    assert (await rig.publication(publication)).state is State.PUBLISHED
