"""Failures are tried again after a doubling wait, then reported: a slide link that expired
before Meta fetched it fails its container (404), and the post is made again with new links;
a Graph API outage is retried, then the publication fails and the admins are told once."""

from __future__ import annotations

import datetime as dt

from bot.publishing.vocabulary import State
from bot.storage.publication_media import MediaStore

from .harness import Rig


async def test_an_expired_link_fails_the_container_and_new_links_follow(rig: Rig) -> None:
    publication = await rig.schedule(slides=2)
    # Links that are dead before Meta comes for them.
    await rig.worker(link_lifetime=dt.timedelta(0)).publish_due()
    assert [status for _, status in rig.graph.publishing.state.fetches] == [404, 404]
    failed = await rig.publication(publication)
    assert (failed.state, failed.attempts) == (State.SCHEDULED, 1)
    assert failed.note == "Instagram menolak gambar (ERROR); diunggah ulang."
    assert failed.due_at == rig.clock.now + rig.settings.retry_after
    rig.clock.advance(minutes=1)
    assert await rig.worker().publish_due() == 1
    statuses = [status for _, status in rig.graph.publishing.state.fetches]
    assert statuses == [404, 404, 200, 200]
    urls = [url for url, _ in rig.graph.publishing.state.fetches]
    assert len(set(urls)) == 4  # every try has links of its own
    assert len(rig.graph.publishing.publishes) == 1
    assert rig.graph.publishing.items_made == 4
    assert (await rig.publication(publication)).state is State.PUBLISHED


async def test_an_outage_is_retried_with_backoff_then_reported_once(rig: Rig) -> None:
    publication = await rig.schedule()
    rig.graph.faults.outage(status=503)
    worker = rig.worker()
    waits = []
    for _ in range(rig.settings.attempts):
        assert await worker.publish_due() == 1
        current = await rig.publication(publication)
        waits.append(current.due_at - rig.clock.now)
        rig.clock.advance(hours=1)
    failed = await rig.publication(publication)
    assert (failed.state, failed.attempts) == (State.FAILED, 3)
    assert waits[:2] == [dt.timedelta(minutes=1), dt.timedelta(minutes=2)]
    meta = (
        "Instagram menjawab: 2 An unexpected error has occurred. Please retry your request later."
    )
    assert failed.note == meta
    assert rig.alerts == [
        f"⚠️ Unggahan Instagram #{publication} (biaya-paspor) gagal diterbitkan setelah 3 "
        f"percobaan: {meta}\nTidak akan dicoba lagi; jadwalkan ulang dari konsol bila perlu."
    ]
    assert await MediaStore(rig.engine).slides(publication) == []  # not kept once failed
    rig.graph.faults.end_outage()
    rig.clock.advance(days=1)
    assert await worker.publish_due() == 0  # failed is final: never tried again by itself
    assert rig.graph.publishing.publishes == []
    assert len(rig.alerts) == 1


async def test_a_passing_error_is_absorbed_by_the_call_retries(rig: Rig) -> None:
    publication = await rig.schedule()
    rig.graph.fail_next(2, status=500)
    await rig.worker().publish_due()
    done = await rig.publication(publication)
    assert (done.state, done.attempts) == (State.PUBLISHED, 0)


async def test_an_unanswered_publish_at_the_last_try_is_reported_as_unsure(rig: Rig) -> None:
    publication = await rig.schedule()
    rig.graph.publishing.lose_answers = 1
    worker = rig.worker(attempts=1)
    await worker.publish_due()
    failed = await rig.publication(publication)
    assert failed.state is State.FAILED
    assert len(rig.graph.publishing.publishes) == 1
    [alert] = rig.alerts
    assert "periksa di aplikasi Instagram apakah sudah tampil" in alert
    rig.clock.advance(days=1)
    await worker.publish_due()
    assert len(rig.graph.publishing.publishes) == 1
