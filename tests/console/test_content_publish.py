"""Konten with publishing on (issue 20): `serve`'s console with Instagram on the strict fake
Graph API of tests/publishing, whose slides' route is the console's public address. An admin
edits a word and approves a post in the console; the publishing worker (the rig's, on its
clock) publishes it once, the fake fetching exactly the JPEGs the console drew from the edited
words (read back by OCR); the list then shows it published with its link and reach. Also the
checks on the date and time, the entry's validity, scheduling, cancelling and approving
again, and a `serve` with Instagram but no public address, which publishes nothing and says
why."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from fakes.instagram_api import FakeInstagram
from instagram.harness import instagram_env
from sqlalchemy.ext.asyncio import AsyncEngine
from support.browser import require

from bot.content.brand import brand_for
from bot.content.render import render_post
from bot.publishing.vocabulary import State
from bot.runtime.app import running
from bot.storage.console import ConsoleStore
from knowledge.loader import load

from .content_helpers import (
    KONTEN,
    REVIEW,
    TESSERACT,
    Published,
    draft,
    images,
    make_kit,
    ocr,
    post_form,
    publishing_console,
    publishing_rig,
    seed_week,
    words_form,
)
from .helpers import Console, add_account, settings_for

NEW_HEADING = "Tarif resmi paspor terbaru"


@pytest.fixture(autouse=True)
def tesseract() -> None:
    """The end-to-end test reads the published slide back (skipped without tesseract unless
    CI or REQUIRE_BROWSER, as tests/content's OCR tests)."""
    require(Path(TESSERACT).exists(), "tesseract-ocr is not installed")


@pytest.fixture
async def published(engine: AsyncEngine) -> AsyncIterator[Published]:
    async with publishing_rig(engine) as rig:
        yield rig


@pytest.fixture
async def web(
    db_url: str, engine: AsyncEngine, tmp_path: Path, published: Published
) -> AsyncIterator[Console]:
    """The console of a `serve` that publishes, with the week's questions and an admin."""
    await add_account(engine, "admin")
    await seed_week(engine)
    async with publishing_console(db_url, tmp_path, published) as found:
        yield found


def _at(days: int, hour: str = "09:00") -> dict[str, str]:
    day = dt.datetime.now(dt.UTC).date() + dt.timedelta(days=days)
    return {"tanggal": day.isoformat(), "jam": hour}


async def test_approved_in_the_console_published_once_with_the_console_drawn_jpegs(
    web: Console, engine: AsyncEngine, published: Published, tmp_path: Path
) -> None:
    rig = published.rig
    await make_kit(web)
    page = (await web.client.get(KONTEN)).text
    assert "Penerbitan ke Instagram aktif" in page
    first = images((await web.client.get(REVIEW)).text)
    post = await draft(engine)
    edit = words_form(post.texts, slide_2_judul=NEW_HEADING)
    assert (await post_form(web, f"{KONTEN}/simpan", post, edit)).status_code == 303
    shown = images((await web.client.get(REVIEW)).text)
    assert shown[1] != first[1]
    edited = await draft(engine)
    approved = await post_form(web, f"{KONTEN}/setujui", edited, _at(2))
    assert approved.headers["location"] == f"{REVIEW}?pesan=dijadwalkan"
    review = (await web.client.get(approved.headers["location"])).text
    assert "#1: <strong>Terjadwal</strong>" in review
    assert "Simpan dan gambar ulang" not in review  # approved words are not edited

    assert await rig.worker().publish_due() == 0  # not before its time
    rig.clock.advance(days=3)
    assert await rig.worker().publish_due() == 1
    assert await rig.worker().publish_due() == 0
    [media] = rig.graph.publishing.publishes
    assert rig.graph.publishing.state.repeated_publishes == 0
    kb = load(web.faq)
    drawn = render_post(edited.texts, brand_for(kb))  # the console draws the same way
    assert published.served == list(drawn.slides)
    assert media.caption == edited.texts.caption
    items = [c for c in rig.graph.publishing.state.containers.values() if not c.carousel]
    assert [item.alt_text for item in items] == list(drawn.alt)

    assert "terbaru" in ocr(published.served[1], tmp_path)

    rig.graph.publishing.set_insights(media.id, reach=340, saved=21, shares=9, comments=4)
    rig.clock.advance(hours=7)
    assert await rig.reader().read_due() == 1
    listing = (await web.client.get(KONTEN)).text
    assert "<strong>Terbit</strong>" in listing
    assert f'href="{media.permalink}"' in listing
    assert ">340<" in listing
    assert "disimpan 21 · dibagikan 9 · komentar 4" in listing
    actions = [row.action for row in await ConsoleStore(engine).recent()]
    assert actions == ["setujui-konten", "ubah-konten", "buat-konten"]


async def test_the_date_and_time_must_be_valid_and_to_come(
    web: Console, engine: AsyncEngine
) -> None:
    await make_kit(web)
    post = await draft(engine)
    for fields, message in (
        (_at(-1), "Waktu terbit harus nanti"),
        ({"tanggal": "8-12-2026", "jam": "09:00"}, "Tanggal tidak valid"),
        ({"tanggal": _at(2)["tanggal"], "jam": "9 pagi"}, "Jam tidak valid"),
    ):
        refused = await post_form(web, f"{KONTEN}/setujui", post, fields)
        assert refused.status_code == 400
        assert message in refused.text
        assert f'value="{fields["tanggal"]}"' in refused.text  # as typed
    assert list(await web.app.publications.publications()) == []


async def test_an_entry_no_longer_valid_on_the_day_is_refused(
    web: Console, engine: AsyncEngine
) -> None:
    await make_kit(web)
    post = await draft(engine)
    entry = load(web.faq).get(post.entry_id)
    assert entry is not None
    assert entry.valid_until is not None
    late = entry.valid_until + dt.timedelta(days=5)
    refused = await post_form(
        web, f"{KONTEN}/setujui", post, {"tanggal": late.isoformat(), "jam": "10:00"}
    )
    assert refused.status_code == 409
    assert f"hanya berlaku sampai {entry.valid_until.isoformat()}" in refused.text
    assert list(await web.app.publications.publications()) == []


async def test_a_scheduled_post_is_locked_cancelled_and_approved_again(
    web: Console, engine: AsyncEngine, published: Published
) -> None:
    await make_kit(web)
    post = await draft(engine)
    assert (await post_form(web, f"{KONTEN}/setujui", post, _at(2))).status_code == 303
    scheduled = await draft(engine)
    twice = await post_form(web, f"{KONTEN}/setujui", scheduled, _at(3))
    assert twice.status_code == 409
    assert "sudah dijadwalkan (#1)" in twice.text
    stale = await post_form(web, f"{KONTEN}/setujui", post, _at(3))  # an older page's form
    assert stale.status_code == 409
    locked = await post_form(web, f"{KONTEN}/simpan", scheduled, words_form(post.texts))
    assert locked.status_code == 409
    assert "batalkan dulu" in locked.text

    listing = (await web.client.get(KONTEN)).text
    assert "<strong>Terjadwal</strong>" in listing
    cancelled = await post_form(web, f"{KONTEN}/batal", scheduled, {"id": "1"})
    assert cancelled.headers["location"] == f"{KONTEN}?pesan=dibatalkan"
    listing = (await web.client.get(cancelled.headers["location"])).text
    assert "Unggahan dibatalkan; tidak akan terbit." in listing
    assert "<strong>Dibatalkan</strong>" in listing
    again = await post_form(web, f"{KONTEN}/batal", scheduled, {"id": "1"})
    assert again.status_code == 409
    assert "tidak bisa dibatalkan lagi: dibatalkan" in again.text

    approved = await post_form(web, f"{KONTEN}/setujui", await draft(engine), _at(4))
    assert approved.status_code == 303
    states = [p.state for p in await web.app.publications.publications()]
    assert sorted(states) == [State.CANCELLED, State.SCHEDULED]
    rows = [(r.action, r.target) for r in await ConsoleStore(engine).recent()]
    assert rows[:3] == [
        ("setujui-konten", "unggahan #2"),
        ("batal-unggahan", "unggahan #1"),
        ("setujui-konten", "unggahan #1"),
    ]
    published.rig.clock.advance(days=5)
    assert await published.rig.worker().publish_due() == 1
    assert len(published.rig.graph.publishing.publishes) == 1


async def test_without_a_public_address_the_page_says_so_and_approves_nothing(
    db_url: str, engine: AsyncEngine, tmp_path: Path
) -> None:
    """Instagram configured, PUBLIC_BASE_URL not: `serve` has no publisher, and the page
    names the missing setting."""
    await add_account(engine, "admin")
    await seed_week(engine)
    async with FakeInstagram() as graph:
        settings = settings_for(db_url, tmp_path, **instagram_env(graph))
        async with running(settings, "serve") as app:
            assert app.publisher is None
            assert app.asgi is not None
            transport = httpx.ASGITransport(app=app.asgi, client=("10.0.0.1", 1234))
            async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
                web = Console(app, settings, client)
                await make_kit(web)
                review = (await client.get(REVIEW)).text
                assert "PUBLIC_BASE_URL belum diatur" in review
                assert "Setujui dan jadwalkan" not in review
                refused = await post_form(web, f"{KONTEN}/setujui", await draft(engine), _at(2))
                assert refused.status_code == 409
            assert list(await app.publications.publications()) == []
