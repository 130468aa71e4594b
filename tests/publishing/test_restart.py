"""Never published twice across a restart: a worker stopped after the containers were made
is resumed by a new worker on the same database with the stored containers (none made
again); a publish whose answer was lost is found PUBLISHED and recorded, not sent again."""

from __future__ import annotations

import asyncio

import pytest

from bot.publishing.vocabulary import State
from bot.storage import create_engine

from .harness import Rig


async def stopped_while_processing(rig: Rig, publication: int, *, carousel: bool) -> None:
    """A worker that made the item containers (and the carousel's, with `carousel`) and is
    killed while Meta still processes them."""
    side = rig.graph.publishing
    side.hold_items, side.hold_carousels = not carousel, carousel
    first = asyncio.create_task(rig.worker().publish_due())
    await rig.graph.wait_for(lambda: _read(rig, carousel=carousel))
    first.cancel()  # the process dies: no line of it runs any more
    await asyncio.gather(first, return_exceptions=True)
    assert (await rig.publication(publication)).state is State.CONTAINERS
    side.hold_items = side.hold_carousels = False


def _read(rig: Rig, *, carousel: bool) -> bool:
    """Meta was asked for the status of a container of that kind (so it was stored)."""
    containers = rig.graph.publishing.state.containers.values()
    return any(c.carousel == carousel and c.reads > 1 for c in containers)


@pytest.mark.parametrize("carousel", [False, True], ids=["after-items", "after-carousel"])
async def test_a_restart_after_the_containers_resumes_with_them(
    rig: Rig, db_url: str, carousel: bool
) -> None:
    publication = await rig.schedule(slides=3)
    await stopped_while_processing(rig, publication, carousel=carousel)
    made = (rig.graph.publishing.items_made, rig.graph.publishing.carousels_made)
    other = create_engine(db_url)  # the restarted process
    try:
        assert await rig.worker(engine=other).publish_due() == 0  # the dead one's lease holds
        rig.clock.advance(minutes=11)  # ... until it runs out
        assert await rig.worker(engine=other).publish_due() == 1
    finally:
        await other.dispose()
    assert rig.graph.publishing.items_made == made[0] == 3
    assert rig.graph.publishing.carousels_made == 1
    [media] = rig.graph.publishing.publishes
    assert media.container_id == (await _container(rig))
    done = await rig.publication(publication)
    assert (done.state, done.media_id) == (State.PUBLISHED, media.id)
    assert done.attempts == 0  # a crash is no failed try


async def _container(rig: Rig) -> str:
    [carousel] = [c for c in rig.graph.publishing.state.containers.values() if c.carousel]
    return carousel.id


async def test_a_lost_publish_answer_is_settled_not_published_again(rig: Rig) -> None:
    publication = await rig.schedule()
    rig.graph.publishing.lose_answers = 1
    await rig.worker().publish_due()
    assert len(rig.graph.publishing.publishes) == 1  # out, though the worker did not hear so
    unsure = await rig.publication(publication)
    assert (unsure.state, unsure.attempts) == (State.PUBLISHING, 1)
    rig.clock.advance(minutes=2)
    assert await rig.worker().publish_due() == 1
    [media] = rig.graph.publishing.publishes
    done = await rig.publication(publication)
    assert (done.state, done.media_id, done.permalink) == (
        State.PUBLISHED,
        media.id,
        media.permalink,
    )
    assert rig.graph.publishing.state.repeated_publishes == 0
    assert rig.alerts == []


async def test_a_publish_that_never_reached_meta_is_made_after_the_check(rig: Rig) -> None:
    publication = await rig.schedule()
    rig.graph.publishing.hold_carousels = True
    worker = rig.worker(processing=rig.settings.processing / 30)
    await worker.publish_due()  # Meta still processing: no publish call yet
    waiting = await rig.publication(publication)
    assert (waiting.state, waiting.attempts) == (State.CONTAINERS, 1)
    assert waiting.note == "Instagram masih memproses gambar."
    rig.graph.publishing.hold_carousels = False
    rig.clock.advance(minutes=2)
    assert await rig.worker().publish_due() == 1
    assert len(rig.graph.publishing.publishes) == 1
    assert rig.graph.publishing.carousels_made == 1
    assert (await rig.publication(publication)).state is State.PUBLISHED
