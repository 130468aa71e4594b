"""A scheduled post is published once, on time, with its slides fetched over HTTP from the
slides' route; cancelling before the publish call stops it; two workers racing publish once."""

from __future__ import annotations

import asyncio
import datetime as dt

from sqlalchemy import func, select

from bot.publishing.vocabulary import State
from bot.storage import create_engine
from bot.storage.tables_publishing import MediaLinkRow, PublicationSlideRow

from .harness import CAPTION, Rig


async def count(rig: Rig, table: type[PublicationSlideRow] | type[MediaLinkRow]) -> int:
    async with rig.engine.connect() as connection:
        return int(await connection.scalar(select(func.count()).select_from(table)) or 0)


async def test_a_scheduled_post_is_published_once_with_its_slides_fetched(rig: Rig) -> None:
    publication = await rig.schedule(slides=4)
    worker = rig.worker()
    assert await worker.publish_due() == 1
    [media] = rig.graph.publishing.publishes
    assert media.caption == CAPTION
    fetched = rig.graph.publishing.state.fetches
    assert [status for _, status in fetched] == [200] * 4
    assert all(url.startswith(f"{rig.settings.public_url}/media/") for url, _ in fetched)
    done = await rig.publication(publication)
    assert (done.state, done.media_id, done.permalink) == (
        State.PUBLISHED,
        media.id,
        media.permalink,
    )
    assert done.published_at == rig.clock.now
    assert done.note is None
    # Published: the slides and their links are no longer kept.
    assert (await count(rig, PublicationSlideRow), await count(rig, MediaLinkRow)) == (0, 0)
    rig.clock.advance(days=1)
    assert await worker.publish_due() == 0
    assert await rig.worker().publish_due() == 0
    assert len(rig.graph.publishing.publishes) == 1
    assert rig.graph.publishing.state.repeated_publishes == 0


async def test_a_post_waits_for_its_planned_time(rig: Rig) -> None:
    publication = await rig.schedule(when=rig.clock.now + dt.timedelta(hours=2))
    worker = rig.worker()
    assert await worker.publish_due() == 0
    assert rig.graph.publishing.items_made == 0
    rig.clock.advance(hours=2)
    assert await worker.publish_due() == 1
    assert (await rig.publication(publication)).state is State.PUBLISHED


async def test_the_item_containers_carry_the_alt_texts_and_the_carousel_the_caption(
    rig: Rig,
) -> None:
    await rig.schedule(slides=2)
    await rig.worker().publish_due()
    containers = rig.graph.publishing.state.containers.values()
    carousels = [c for c in containers if c.carousel]
    items = [c for c in containers if not c.carousel]
    assert len(carousels) == 1
    assert len(items) == 2
    assert carousels[0].children == tuple(item.id for item in items)
    assert carousels[0].caption == CAPTION
    assert [item.alt_text for item in items] == ["Slide 1: langkah 1", "Slide 2: langkah 2"]


async def test_a_cancelled_post_is_never_published(rig: Rig) -> None:
    first = await rig.schedule()
    second = await rig.schedule(when=rig.clock.now + dt.timedelta(hours=1))
    assert await rig.desk.cancel(first, by="admin.kanim")
    assert await rig.desk.cancel(second, by="admin.kanim")
    rig.clock.advance(hours=2)
    assert await rig.worker().publish_due() == 0
    assert rig.graph.publishing.items_made == 0
    assert (await rig.publication(first)).state is State.CANCELLED
    assert await count(rig, PublicationSlideRow) == 0


async def test_a_published_post_cannot_be_cancelled(rig: Rig) -> None:
    publication = await rig.schedule()
    await rig.worker().publish_due()
    assert not await rig.desk.cancel(publication, by="admin.kanim")
    assert not await rig.desk.cancel(9999, by="admin.kanim")
    assert (await rig.publication(publication)).state is State.PUBLISHED


async def test_two_workers_racing_publish_each_post_once(rig: Rig, db_url: str) -> None:
    posts = [await rig.schedule(entry=f"entri-{n}", caption=f"{CAPTION} #{n}") for n in range(3)]
    other = create_engine(db_url)  # a second process has its own pool
    try:
        taken = await asyncio.gather(
            rig.worker().publish_due(), rig.worker(engine=other).publish_due()
        )
    finally:
        await other.dispose()
    assert sum(taken) == 3
    assert len(rig.graph.publishing.publishes) == 3
    assert rig.graph.publishing.carousels_made == 3
    for publication in posts:
        assert (await rig.publication(publication)).state is State.PUBLISHED


async def test_the_console_lists_the_newest_first_with_their_state(rig: Rig) -> None:
    early = await rig.schedule(entry="syarat-paspor")
    late = await rig.schedule(when=rig.clock.now + dt.timedelta(days=1))
    await rig.worker().publish_due()
    listed = await rig.desk.publications()
    assert [(p.id, p.state, p.slide_count) for p in listed] == [
        (late, State.SCHEDULED, 3),
        (early, State.PUBLISHED, 3),
    ]
    assert listed[1].entry_id == "syarat-paspor"
    assert listed[1].approved_by == "admin.kanim"
