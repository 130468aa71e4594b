"""`kb suggest`'s proposals in the console's review queue (issue 19), on SQLite and PostgreSQL:
a group of unanswered questions becomes a pending new-entry draft when Draf FAQ is opened,
once; a rejected one is never queued again, however often it is asked."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncEngine

from bot.storage import Store
from bot.storage.drafts import Drafts

from .helpers import NIK, Console, field, logged, login

WORDINGS = ("boleh bawa kucing ke ruang tunggu ga", "boleh bawa kucing ke ruang tunggu gak")


async def ask_unanswered(store: Store, times: int = 1) -> None:
    for _ in range(times):
        for text in (*WORDINGS, WORDINGS[0], f"{WORDINGS[0]} nik {NIK}"):
            await store.log_question(logged(text, "fallback", near="di-kantor"))


async def test_a_group_of_unanswered_questions_is_queued_once(
    web: Console, engine: AsyncEngine
) -> None:
    await ask_unanswered(Store(engine))
    await login(web.client, "admin")
    page = (await web.client.get("/admin/draf")).text
    assert "1 usulan baru dari pertanyaan di log" in page
    (draft,) = await Drafts(engine).pending()
    assert (draft.source, draft.entry_id) == ("cluster", None)
    assert WORDINGS[0] in draft.questions
    assert draft.created_by is not None
    assert draft.created_by.startswith("usulan dari log: 4 pertanyaan tidak terjawab")
    assert NIK not in page
    assert NIK not in " ".join(draft.questions)
    again = (await web.client.get("/admin/draf")).text
    assert "usulan baru dari pertanyaan di log" not in again
    assert [d.id for d in await Drafts(engine).pending()] == [draft.id]
    shown = (await web.client.get(f"/admin/draf/{draft.id}")).text
    assert "usulan dari log: 4 pertanyaan tidak terjawab" in shown  # where it came from


async def test_a_rejected_group_is_not_queued_again(web: Console, engine: AsyncEngine) -> None:
    store = Store(engine)
    await ask_unanswered(store)
    await login(web.client, "admin")
    page = (await web.client.get("/admin/draf")).text
    (draft,) = await Drafts(engine).pending()
    rejected = await web.client.post(
        "/admin/draf/tolak",
        data={"csrf": field(page, "csrf"), "id": str(draft.id), "alasan": "bukan layanan kami"},
    )
    assert rejected.status_code == 303
    await ask_unanswered(store, times=3)
    await web.client.get("/admin/draf")
    assert await Drafts(engine).pending() == []
