"""The week's kit in the database (`bot.storage.content_drafts`), on SQLite and PostgreSQL: a
new kit replaces the old with a higher id, the words come back as kept, and of two saves or
approvals made from the same version only the first holds."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.ext.asyncio import AsyncEngine

from bot.console.vocabulary import NewKit
from bot.content.vocabulary import PostText, Skipped, Slide
from bot.storage.content_drafts import ContentDraftStore

WORDS = PostText(
    "biaya-paspor",
    "Biaya paspor",
    (
        Slide("cover", "Biaya paspor", ("Berapa biaya membuat paspor?",)),
        Slide("step", "Biaya resmi", ("Paspor biasa 5 tahun: Rp350.000",), 1),
        Slide("end", "Masih ada pertanyaan?", ("Tanya lewat DM atau komentar ya 🙏",)),
    ),
    Slide("cover", "Biaya paspor", ("Jawabannya ada di postingan terbaru kami.",)),
    "Berapa biaya membuat paspor?\n\n#Paspor",
)
DAY = dt.date(2026, 12, 7)


def kit(by: str = "admin") -> NewKit:
    skipped = (Skipped(None, "Topik antrean belum ada entrinya di FAQ."),)
    return NewKit(by, DAY, DAY + dt.timedelta(days=1), ((WORDS, "3 pertanyaan."),), skipped)


async def test_a_kit_comes_back_as_kept_and_a_new_one_replaces_it(engine: AsyncEngine) -> None:
    store = ContentDraftStore(engine)
    assert await store.latest_kit() is None
    first = await store.keep_kit(kit())
    found = await store.latest_kit()
    assert found is not None
    assert (found.id, found.made_by, found.last_day, found.planned) == (
        first,
        "admin",
        DAY,
        DAY + dt.timedelta(days=1),
    )
    [post] = found.posts
    assert (post.texts, post.reason, post.revision, post.publication_id) == (
        WORDS,
        "3 pertanyaan.",
        1,
        None,
    )
    assert found.skipped == (Skipped(None, "Topik antrean belum ada entrinya di FAQ."),)
    second = await store.keep_kit(kit("budi"))
    assert second > first  # a page of the old kit names nothing of the new one
    assert await store.draft_post(first, 0) is None
    latest = await store.latest_kit()
    assert latest is not None
    assert (latest.id, latest.made_by) == (second, "budi")


async def test_of_two_saves_from_one_version_the_first_holds(engine: AsyncEngine) -> None:
    store = ContentDraftStore(engine)
    kit_id = await store.keep_kit(kit())
    mine = PostText(WORDS.entry_id, WORDS.title, WORDS.slides, WORDS.story, "Keterangan baru")
    theirs = PostText(WORDS.entry_id, WORDS.title, WORDS.slides, WORDS.story, "Lain lagi")
    assert await store.save_words(kit_id, 0, mine, revision=1, by="admin")
    assert not await store.save_words(kit_id, 0, theirs, revision=1, by="budi")
    kept = await store.draft_post(kit_id, 0)
    assert kept is not None
    assert (kept.texts.caption, kept.revision, kept.edited_by) == ("Keterangan baru", 2, "admin")
    assert kept.edited_at is not None


async def test_an_approval_holds_only_on_the_version_and_publication_it_saw(
    engine: AsyncEngine,
) -> None:
    store = ContentDraftStore(engine)
    kit_id = await store.keep_kit(kit())
    assert await store.approved(kit_id, 0, revision=1, publication=7, replaces=None)
    assert not await store.approved(kit_id, 0, revision=1, publication=8, replaces=None)
    assert not await store.approved(kit_id, 0, revision=2, publication=8, replaces=None)
    assert await store.approved(kit_id, 0, revision=2, publication=8, replaces=7)
    kept = await store.draft_post(kit_id, 0)
    assert kept is not None
    assert (kept.publication_id, kept.revision) == (8, 3)
    assert not await store.save_words(kit_id, 0, WORDS, revision=2, by="admin")
