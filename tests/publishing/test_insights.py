"""Insights: read every few hours for the first days after a post went out, the latest kept,
and offered to the report per post (entry, published at, permalink, reach, saves, shares,
comments)."""

from __future__ import annotations

import datetime as dt

from bot.publishing.vocabulary import PostReach

from .harness import Rig


async def published(rig: Rig, **shape: str) -> tuple[int, str]:
    publication = await rig.schedule(**shape)
    await rig.worker().publish_due()
    media_id = (await rig.publication(publication)).media_id
    assert media_id is not None
    return publication, media_id


async def reach(rig: Rig) -> list[PostReach]:
    day = dt.timedelta(days=1)
    return list(
        await rig.desk.published_posts(since=rig.clock.now - 30 * day, until=rig.clock.now + day)
    )


async def test_insights_are_read_when_due_and_offered_to_the_report(rig: Rig) -> None:
    publication, media_id = await published(rig)
    published_at = rig.clock.now
    [fresh] = await reach(rig)
    assert (fresh.reach, fresh.read_at) == (None, None)  # not read yet
    worker = rig.worker()
    await worker.round()
    assert (await reach(rig))[0].read_at is None  # not due before INSIGHTS_EVERY_HOURS
    rig.graph.publishing.set_insights(media_id, reach=340, saved=21, shares=9, comments=4)
    rig.clock.advance(hours=6)
    await worker.round()
    [read] = await reach(rig)
    permalink = rig.graph.publishing.publishes[0].permalink
    assert read == PostReach(
        publication_id=publication,
        entry_id="biaya-paspor",
        media_id=media_id,
        published_at=published_at,
        permalink=permalink,
        reach=340,
        saves=21,
        shares=9,
        comments=4,
        read_at=rig.clock.now,
    )


async def test_insights_are_refreshed_for_the_first_days_then_left(rig: Rig) -> None:
    _, media_id = await published(rig)
    worker = rig.worker()
    for day in range(1, 9):
        rig.graph.publishing.set_insights(media_id, reach=100 * day)
        rig.clock.advance(days=1)
        await worker.round()
    [last] = await reach(rig)
    assert last.reach == 700  # read on day 7 for the last time; day 8 was not read
    assert last.read_at is not None


async def test_one_worker_reads_each_post(rig: Rig) -> None:
    await published(rig)
    rig.clock.advance(hours=7)
    assert await rig.reader().read_due() == 1
    assert await rig.reader().read_due() == 0


async def test_a_refused_reading_waits_for_the_next_one(rig: Rig) -> None:
    _, media_id = await published(rig)
    rig.graph.publishing.set_insights(media_id, reach=50)
    rig.clock.advance(hours=6)
    rig.graph.faults.outage(status=500)
    await rig.worker().round()
    assert (await reach(rig))[0].read_at is None
    rig.graph.faults.end_outage()
    rig.clock.advance(hours=6)
    await rig.worker().round()
    assert (await reach(rig))[0].reach == 50


async def test_only_posts_published_in_the_period_are_reported(rig: Rig) -> None:
    await published(rig, entry="biaya-paspor")
    await rig.schedule(entry="syarat-paspor", when=rig.clock.now + dt.timedelta(days=2))
    cancelled = await rig.schedule(entry="paspor-anak")
    await rig.desk.cancel(cancelled, by="admin.kanim")
    rig.clock.advance(days=3)
    await published(rig, entry="paspor-hilang", caption="Paspor hilang? #paspor")
    entries = [post.entry_id for post in await reach(rig)]
    assert entries == ["biaya-paspor", "syarat-paspor", "paspor-hilang"]
    since, until = rig.clock.now - dt.timedelta(days=1), rig.clock.now
    recent = await rig.desk.published_posts(since=since, until=until)
    assert recent == []  # `until` is not included
    until = rig.clock.now + dt.timedelta(seconds=1)
    recent = await rig.desk.published_posts(since=since, until=until)
    assert [post.entry_id for post in recent] == ["syarat-paspor", "paspor-hilang"]
