"""Konten (issue 20) with no channel configured, so nothing can be published: the week's kit
made on request (the choice `content --week` makes), each post's review page with its images,
caption, alt texts and words, saving edited words (drawn again, kept for every worker, refused
beside the field over a limit), stale forms, the audit log, petugas, and approval refused
while publishing is off."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from PIL import Image
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.content.settings import POSTS, Week
from bot.content.week import week_choice
from bot.runtime.app.feature_settings import content_settings
from bot.storage.console import ConsoleStore
from knowledge.loader import load

from .content_helpers import (
    KONTEN,
    REVIEW,
    draft,
    images,
    make_kit,
    post_form,
    seed_week,
    words_form,
)
from .helpers import Console, console, field, login

LONG = " ".join(["kata"] * 40)


async def test_before_any_kit_the_page_says_so_and_why_nothing_is_published(
    web: Console,
) -> None:
    await login(web.client, "admin")
    page = (await web.client.get(KONTEN)).text
    assert '<a href="/admin/konten" class=on>Konten</a>' in page  # in the menu, lit
    assert "Belum ada konten minggu ini." in page
    assert "Penerbitan ke Instagram tidak aktif" in page
    assert "saluran Instagram belum diatur" in page
    assert "Buat konten minggu ini</button>" in page
    assert "Belum ada unggahan yang disetujui." in page


async def test_the_kit_is_the_choice_of_content_week_with_its_reasons_and_is_audited(
    web: Console, engine: AsyncEngine
) -> None:
    await seed_week(engine)
    made = await make_kit(web)
    assert (made.status_code, made.headers["location"]) == (303, f"{KONTEN}?pesan=dibuat")
    page = (await web.client.get(made.headers["location"])).text
    assert "Konten minggu ini dibuat." in page
    settings = content_settings(web.settings)
    today = dt.datetime.now(settings.zone).date()
    week = Week(today, today + dt.timedelta(days=1), POSTS)
    choice = await week_choice(web.app.reports, load(web.faq), settings, week)
    assert [t.entry_id for t in choice.topics] == ["biaya-paspor", "ambil-paspor"]
    for number, topic in enumerate(choice.topics, start=1):
        assert f'href="{KONTEN}/1/{number}"' in page
        assert topic.reason in page
    assert "Belum disetujui" in page
    assert "Buat ulang konten minggu ini" in page
    [row] = await ConsoleStore(engine).recent()
    assert (row.who, row.action, row.target) == ("admin", "buat-konten", "konten #1")
    assert row.after is not None
    assert "Biaya paspor (biaya-paspor)" in row.after


async def test_the_review_page_shows_the_slides_story_caption_alt_texts_and_the_words(
    web: Console, engine: AsyncEngine
) -> None:
    await seed_week(engine)
    await make_kit(web)
    response = await web.client.get(REVIEW)
    assert response.status_code == 200
    page = response.text
    post = await draft(engine)
    shown = images(page)
    assert len(shown) == len(post.texts.slides) + 1  # the slides and the story
    sizes = [Image.open(io.BytesIO(image)).size for image in shown]
    assert sizes[:-1] == [(540, 675)] * len(post.texts.slides)  # 1080×1350, halved
    assert sizes[-1] == (540, 960)  # 1080×1920
    assert "Tinjau: Biaya paspor" in page
    assert "Tanya lewat DM atau komentar ya 🙏" in page  # the caption, as the office wrote it
    assert "Slide 1 dari 6 (judul), Kantor Imigrasi" in page  # its alt text
    assert 'name="slide-2-judul" value="Biaya resmi paspor (sejak 17 Desember 2024)"' in page
    assert 'name="caption"' in page
    assert "Simpan dan gambar ulang</button>" in page


async def test_saved_words_are_drawn_again_kept_for_every_worker_and_audited(
    web: Console, engine: AsyncEngine, db_url: str, tmp_path: Path
) -> None:
    await seed_week(engine)
    await make_kit(web)
    before = images((await web.client.get(REVIEW)).text)
    post = await draft(engine)
    fields = words_form(post.texts, slide_2_judul="Tarif resmi paspor terbaru")
    saved = await post_form(web, f"{KONTEN}/simpan", post, fields)
    assert (saved.status_code, saved.headers["location"]) == (303, f"{REVIEW}?pesan=disimpan")
    page = (await web.client.get(saved.headers["location"])).text
    assert "Tersimpan; gambar dibuat ulang" in page
    after = images(page)
    assert after[1] != before[1]  # slide 2 is drawn again
    assert after[2:] == before[2:]
    assert after[0] == before[0]
    kept = await draft(engine)
    assert kept.texts.slides[1].heading == "Tarif resmi paspor terbaru"
    assert (kept.revision, kept.edited_by) == (post.revision + 1, "admin")
    # Another worker (another app on the same database) shows the same words and images.
    async with console(db_url, tmp_path) as other:
        await login(other.client, "admin")
        again = (await other.client.get(REVIEW)).text
        assert 'value="Tarif resmi paspor terbaru"' in again
        assert images(again) == after
    row = (await ConsoleStore(engine).recent())[0]
    assert (row.action, row.target) == ("ubah-konten", "konten biaya-paspor")
    assert row.before is not None
    assert "Slide 2 (langkah 1): Biaya resmi paspor" in row.before
    assert row.after is not None
    assert "Slide 2 (langkah 1): Tarif resmi paspor terbaru" in row.after


async def test_words_over_a_limit_are_refused_beside_their_field_and_nothing_is_kept(
    web: Console, engine: AsyncEngine
) -> None:
    await seed_week(engine)
    await make_kit(web)
    post = await draft(engine)
    fields = words_form(post.texts, slide_3_baris=LONG, caption="x" * 2201)
    refused = await post_form(web, f"{KONTEN}/simpan", post, fields)
    assert refused.status_code == 400
    page = refused.text
    slide = page[page.index("<legend>Slide 3") : page.index("<legend>Slide 4")]
    assert "Slide 3: 40 kata, paling banyak 35." in slide
    assert f"value={LONG!r}" not in slide
    assert LONG in slide
    caption = page[page.index('<label for="caption">') :]
    assert "Caption 2201 karakter, paling banyak 2200." in caption
    assert "Gambar ini masih dari kata-kata yang tersimpan." in page
    assert await draft(engine) == post
    assert [r.action for r in await ConsoleStore(engine).recent()] == ["buat-konten"]


async def test_words_that_do_not_fit_a_slide_are_refused_by_the_drawing(
    web: Console, engine: AsyncEngine
) -> None:
    await seed_week(engine)
    await make_kit(web)
    post = await draft(engine)
    wide = " ".join(["Pertanggungjawabannya"] * 30)  # 30 words: within the limit, too wide
    refused = await post_form(
        web, f"{KONTEN}/simpan", post, words_form(post.texts, slide_4_baris=wide)
    )
    assert refused.status_code == 400
    slide = refused.text[
        refused.text.index("<legend>Slide 4") : refused.text.index("<legend>Slide 5")
    ]
    assert "Slide 4: teks terlalu panjang untuk satu slide" in slide
    assert await draft(engine) == post


async def test_a_form_of_an_older_version_is_refused(web: Console, engine: AsyncEngine) -> None:
    await seed_week(engine)
    await make_kit(web)
    post = await draft(engine)
    first = words_form(post.texts, slide_2_judul="Tarif resmi paspor")
    assert (await post_form(web, f"{KONTEN}/simpan", post, first)).status_code == 303
    second = words_form(post.texts, slide_2_judul="Biaya paspor terkini")
    stale = await post_form(web, f"{KONTEN}/simpan", post, second)  # the old revision
    assert stale.status_code == 409
    assert "diubah admin lain" in stale.text
    assert 'value="Biaya paspor terkini"' in stale.text  # what was typed is not lost
    assert (await draft(engine)).texts.slides[1].heading == "Tarif resmi paspor"


async def test_unchanged_words_save_nothing(web: Console, engine: AsyncEngine) -> None:
    await seed_week(engine)
    await make_kit(web)
    post = await draft(engine)
    same = await post_form(web, f"{KONTEN}/simpan", post, words_form(post.texts))
    assert same.headers["location"] == f"{REVIEW}?pesan=sama"
    assert await draft(engine) == post


async def test_approval_is_refused_while_publishing_is_off(
    web: Console, engine: AsyncEngine
) -> None:
    await seed_week(engine)
    await make_kit(web)
    page = (await web.client.get(REVIEW)).text
    assert "Setujui dan jadwalkan" not in page
    assert "Penerbitan ke Instagram tidak aktif" in page
    post = await draft(engine)
    tomorrow = (dt.date.today() + dt.timedelta(days=2)).isoformat()
    refused = await post_form(
        web, f"{KONTEN}/setujui", post, {"tanggal": tomorrow, "jam": "09:00"}
    )
    assert refused.status_code == 409
    assert "Penerbitan ke Instagram tidak aktif: unggahan belum bisa dijadwalkan." in refused.text
    assert list(await web.app.publications.publications()) == []


async def test_a_petugas_sees_the_kit_and_the_posts_without_any_form(
    web: Console, engine: AsyncEngine
) -> None:
    await seed_week(engine)
    await make_kit(web)
    await login(web.client, "petugas")
    listing = (await web.client.get(KONTEN)).text
    assert "Biaya paspor" in listing
    assert "Hanya admin yang dapat membuat" in listing
    assert "/admin/konten/buat" not in listing
    review = (await web.client.get(REVIEW)).text
    assert len(images(review)) == 7
    assert "Hanya admin yang dapat mengubah kata-kata." in review
    assert "<textarea" not in review
    assert "/admin/konten/simpan" not in review


async def test_a_post_that_is_not_there_is_404(web: Console, engine: AsyncEngine) -> None:
    await login(web.client, "admin")
    for path in (REVIEW, f"{KONTEN}/1/0", f"{KONTEN}/99999999999/1", f"{KONTEN}/1/{'9' * 50}"):
        response = await web.client.get(path)
        assert response.status_code == 404, path
        assert "tidak ada lagi" in response.text
    page = (await web.client.get(KONTEN)).text
    gone = await web.client.post(
        f"{KONTEN}/simpan", data={"csrf": field(page, "csrf"), "kit": "1", "pos": "1"}
    )
    assert gone.status_code == 404
    cancel = await web.client.post(
        f"{KONTEN}/batal", data={"csrf": field(page, "csrf"), "id": "9" * 5000}
    )
    assert cancel.status_code == 404


async def test_making_the_kit_again_replaces_it(web: Console, engine: AsyncEngine) -> None:
    await seed_week(engine)
    await make_kit(web)
    page = (await web.client.get(KONTEN)).text
    again = await web.client.post(f"{KONTEN}/buat", data={"csrf": field(page, "csrf")})
    assert again.status_code == 303
    assert (await web.client.get(REVIEW)).status_code == 404
    assert (await web.client.get(f"{KONTEN}/2/1")).status_code == 200
    assert [r.target for r in await ConsoleStore(engine).recent()] == ["konten #2", "konten #1"]


async def test_a_week_without_questions_makes_a_kit_that_says_why_it_is_empty(
    web: Console, engine: AsyncEngine
) -> None:
    await make_kit(web)
    page = (await web.client.get(KONTEN)).text
    assert "Tidak ada unggahan dibuat" in page
    assert "Tinjau" not in page
