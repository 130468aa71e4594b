"""An entry's use and review in the console (issue 19), on SQLite and PostgreSQL: 👍/👎 and
recent questions (redacted), "tandai sudah ditinjau", `valid_until`, a Belum terjawab group's
wordings added to an entry, and a group made a new entry that `ask` then uses; every write
checked as `kb check` does and audited."""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import unquote

from sqlalchemy.ext.asyncio import AsyncEngine

from bot.console import faq_text
from bot.core.vocabulary import FeedbackRecord
from bot.storage import Store
from knowledge.loader import load

from .helpers import NIK, Console, field, logged, login
from .test_drafts import asked

WIB = dt.timezone(dt.timedelta(hours=7))


async def review_form(web: Console, entry_id: str) -> dict[str, str]:
    page = await web.client.get(f"/admin/entri/{entry_id}")
    return {"csrf": field(page.text, "csrf"), "id": entry_id, "versi": field(page.text, "versi")}


async def test_an_entry_shows_its_votes_and_recent_questions_redacted(
    web: Console, engine: AsyncEngine
) -> None:
    store = Store(engine)
    for text, helpful in (("biaya paspor berapa", True), ("harga paspor elektronik", False)):
        question_id = await store.log_question(logged(text, "answer", faq_id="biaya-paspor"))
        await store.add_feedback(FeedbackRecord(question_id, helpful, "u" * 16))
    await store.log_question(logged(f"biaya paspor nik {NIK}", "answer", faq_id="biaya-paspor"))
    await store.log_question(logged("cara daftar", "answer", faq_id="akun-daftar"))
    await login(web.client, "petugas")
    page = (await web.client.get("/admin/entri/biaya-paspor")).text
    assert "Dijawab dengan entri ini" in page
    assert "1 / 1" in page  # 👍 / 👎
    assert "harga paspor elektronik" in page
    assert "cara daftar" not in page
    assert NIK not in page
    assert "[NIK]" in page
    assert "Berlaku sampai: 2027-03-31" in page
    assert "/admin/entri/tinjau" not in page  # petugas: no forms


async def test_marking_reviewed_changes_only_that_line_and_is_audited(web: Console) -> None:
    await login(web.client, "admin")
    before = web.faq.read_text(encoding="utf-8")
    data = await review_form(web, "mpaspor-manfaat")
    done = await web.client.post("/admin/entri/tinjau", data=data)
    assert done.status_code == 303
    assert "Ditandai sudah ditinjau" in (await web.client.get(done.headers["location"])).text
    after = web.faq.read_text(encoding="utf-8")
    changed = [
        (a, b) for a, b in zip(before.splitlines(), after.splitlines(), strict=True) if a != b
    ]
    today = dt.datetime.now(WIB).date()
    was = [line for line, _ in changed]
    assert len(changed) == 1
    assert was[0].startswith("    reviewed: 20")
    assert changed[0][1] == f"    reviewed: {today.isoformat()}"
    entry = load(web.faq).get("mpaspor-manfaat")
    assert entry is not None
    assert entry.reviewed == today
    assert "tinjau-entri" in (await web.client.get("/admin/audit")).text
    stale = await web.client.post("/admin/entri/tinjau", data=data)  # the old version
    assert stale.status_code == 409
    assert "diubah orang lain" in stale.text


async def test_valid_until_is_set_checked_and_cleared(web: Console) -> None:
    await login(web.client, "admin")
    data = await review_form(web, "mpaspor-manfaat")
    refused = await web.client.post(
        "/admin/entri/berlaku", data={**data, "valid_until": "2027-06-30"}
    )
    assert refused.status_code == 400
    assert "wajib diisi bila ada" in refused.text  # reviewed_by and checked are needed too
    assert load(web.faq).get("mpaspor-manfaat").valid_until is None  # type: ignore[union-attr]
    extra = {"valid_until": "2027-06-30", "reviewed_by": "Budi", "checked": "PP 45/2024"}
    assert (
        await web.client.post("/admin/entri/berlaku", data={**data, **extra})
    ).status_code == 303
    entry = load(web.faq).get("mpaspor-manfaat")
    assert entry is not None
    assert entry.valid_until == dt.date(2027, 6, 30)
    assert entry.reviewed_by == "Budi"
    assert entry.checked == "PP 45/2024"
    assert "valid_until: 2027-06-30\n" in web.faq.read_text(encoding="utf-8")

    fees = await review_form(web, "biaya-paspor")
    cleared = await web.client.post("/admin/entri/berlaku", data={**fees, "valid_until": ""})
    assert cleared.status_code == 400  # an answer naming Rp amounts must keep its date
    assert "tanpa" in cleared.text
    assert "valid_until" in cleared.text
    assert "ubah-berlaku" in (await web.client.get("/admin/audit")).text


async def test_a_groups_wordings_are_added_to_an_entry(web: Console, engine: AsyncEngine) -> None:
    store = Store(engine)
    wordings = ("ongkos bikin paspor", "ongkos bikin paspor baru", f"ongkos paspor nik {NIK}")
    for text in wordings:
        await store.log_question(logged(text, "fallback", near="biaya-paspor"))
    await login(web.client, "admin")
    page = (await web.client.get("/admin/belum-terjawab")).text
    assert "/admin/belum-terjawab/tambahkan" in page
    assert 'value="biaya-paspor"' in page  # the closest entry is offered
    before = web.faq.read_text(encoding="utf-8")
    data = {"csrf": field(page, "csrf"), "entri": "nope", "contoh": "\n".join(wordings)}
    missing = await web.client.post("/admin/belum-terjawab/tambahkan", data=data)
    assert missing.status_code == 400
    assert "tidak ada" in missing.text
    assert web.faq.read_text(encoding="utf-8") == before
    done = await web.client.post(
        "/admin/belum-terjawab/tambahkan", data={**data, "entri": "biaya-paspor"}
    )
    assert done.status_code == 303
    assert done.headers["location"] == "/admin/entri/biaya-paspor?pesan=ditambahkan"
    text = web.faq.read_text(encoding="utf-8")
    assert NIK not in text
    added = faq_text.questions(text, "biaya-paspor")
    assert {"ongkos bikin paspor", "ongkos bikin paspor baru"} <= set(added)
    assert "ongkos paspor nik [NIK]" in added
    entry = load(web.faq).get("biaya-paspor")
    assert entry is not None
    assert "ongkos bikin paspor" in entry.questions
    assert "tambah-pertanyaan" in (await web.client.get("/admin/audit")).text


async def new_entry_from_a_group(web: Console, engine: AsyncEngine) -> str:
    """Belum terjawab's "start a new entry" link of a group (one wording carries a NIK),
    followed: the new-entry form."""
    store = Store(engine)
    wordings = ("bisa titip paspor ke ojol ga", "bisa titip paspor ke ojol gak")
    for text in (*wordings, wordings[0], f"{wordings[0]} nik {NIK}"):
        await store.log_question(logged(text, "fallback", near="ambil-paspor"))
    await login(web.client, "admin")
    missing = (await web.client.get("/admin/belum-terjawab")).text
    link = re.search(r'href="(/admin/entri-baru\?[^"]+)"', missing)
    assert link is not None
    return (await web.client.get(unquote(link[1].replace("&amp;", "&")))).text


async def test_a_group_of_unanswered_questions_becomes_an_entry_that_ask_uses(
    web: Console, engine: AsyncEngine
) -> None:
    page = await new_entry_from_a_group(web, engine)
    assert NIK not in page
    assert 'value="bisa-titip-paspor-ke-ojol"' in page  # an id to start from
    textarea = re.search(r'name="questions" rows="\d+">([^<]*)<', page)
    assert textarea is not None
    assert "bisa titip paspor ke ojol ga nik [NIK]" in textarea[1].splitlines()
    new = {
        "csrf": field(page, "csrf"),
        "id": "titip-ojol",
        "title": "Titip ke ojek daring",
        "category": "selesai",
        "questions": textarea[1] + "\npaspor boleh diambil kurir online?",
        "short": "Paspor tidak bisa dititipkan ke ojek daring.",
        "answer": "Paspor tidak bisa dititipkan ke ojek daring; ambil sendiri atau dengan kuasa.",
        "related": "ambil-paspor",
    }
    assert asked(web, "bisa titip paspor ke ojol ga") != "titip-ojol"
    done = await web.client.post("/admin/entri-baru", data=new)
    assert done.headers["location"] == "/admin/entri/titip-ojol?pesan=disimpan"
    assert asked(web, "bisa titip paspor ke ojol ga") == "titip-ojol"
    assert load(web.faq).get("titip-ojol").related == ("ambil-paspor",)  # type: ignore[union-attr]
    assert NIK not in web.faq.read_text(encoding="utf-8")
    assert "entri-baru" in (await web.client.get("/admin/audit")).text
