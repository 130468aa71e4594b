"""The console's pages and actions over HTTP (issue 19), on SQLite and PostgreSQL."""

from __future__ import annotations

import base64
import os
import re
import subprocess
import sys

from sqlalchemy.ext.asyncio import AsyncEngine

from bot.storage import Store
from bot.storage.drafts import Drafts
from knowledge.loader import load

from .helpers import ROOT, Console, field, logged, login


async def edit_form(web: Console, entry_id: str) -> dict[str, str]:
    page = await web.client.get(f"/admin/entri/{entry_id}")
    entry = load(web.faq).get(entry_id)
    assert entry is not None
    return {
        "csrf": field(page.text, "csrf"),
        "id": entry_id,
        "versi": field(page.text, "versi"),
        "short": entry.short,
        "answer": entry.answer,
        "questions": "\n".join(entry.questions),
        "aksi": "simpan",
    }


def ask(web: Console, question: str) -> str:
    env = {**os.environ, "FAQ_PATH": str(web.faq)}
    done = subprocess.run(
        [sys.executable, "-m", "bot", "ask", "--json", question],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        check=True,
    )
    return done.stdout


async def test_ringkasan_counts_by_channel_outcome_and_period(
    web: Console, engine: AsyncEngine
) -> None:
    store = Store(engine)
    await store.log_question(logged("biaya paspor", "answer", faq_id="biaya-paspor"))
    await store.log_question(logged("kucing boleh masuk", "fallback"))
    await login(web.client, "petugas")
    for days in (1, 7, 30):
        page = await web.client.get(f"/admin/?hari={days}")
        assert page.status_code == 200
        assert "Telegram" in page.text
        assert "Terjawab" in page.text
        assert "Tiket" in page.text
    assert "50%" in (await web.client.get("/admin/")).text


async def test_ringkasan_draws_the_reports_charts_of_a_week_or_a_month(
    web: Console, engine: AsyncEngine
) -> None:
    await login(web.client, "petugas")
    quiet = (await web.client.get("/admin/?hari=7")).text
    assert "<h2>Grafik</h2>" not in quiet  # nothing asked, nothing drawn
    store = Store(engine)
    await store.log_question(logged("biaya paspor", "answer", faq_id="biaya-paspor"))
    await store.log_question(logged("kucing boleh masuk", "fallback"))
    for days in (7, 30):
        page = (await web.client.get(f"/admin/?hari={days}")).text
        (daily,) = re.findall(
            r'alt="Grafik pertanyaan per hari[^"]*" src="data:image/png;base64,([^"]+)"', page
        )
        assert base64.b64decode(daily).startswith(b"\x89PNG")
    today = (await web.client.get("/admin/?hari=1")).text
    assert "<h2>Grafik</h2>" not in today  # one day is one bar: the table says it


async def test_belum_terjawab_groups_with_the_closest_entry(
    web: Console, engine: AsyncEngine
) -> None:
    store = Store(engine)
    for text in ("boleh bawa kucing", "boleh bawa kucing ke kantor", "kucing boleh ikut"):
        await store.log_question(logged(text, "fallback", near="biaya-paspor"))
    await login(web.client, "admin")
    page = (await web.client.get("/admin/belum-terjawab")).text
    assert "boleh bawa kucing" in page
    assert "3×" in page
    assert 'href="/admin/entri/biaya-paspor"' in page
    assert "/admin/entri-baru?contoh=" in page


async def test_an_edit_is_previewed_saved_audited_and_answered_by_ask(web: Console) -> None:
    await login(web.client, "admin")
    form = await edit_form(web, "biaya-paspor")
    original = web.faq.read_text(encoding="utf-8")
    form["short"] += " Bayar di bank atau kantor pos."
    preview = await web.client.post("/admin/entri/simpan", data={**form, "aksi": "pratinjau"})
    assert "Bayar di bank atau kantor pos." in preview.text
    assert "📖 Selengkapnya" in preview.text
    assert "/ 350 karakter" in preview.text
    assert web.faq.read_text(encoding="utf-8") == original  # a preview writes nothing
    form["questions"] += "\nongkos bikin buku paspor brp ya"
    saved = await web.client.post("/admin/entri/simpan", data=form)
    assert saved.status_code == 303
    text = web.faq.read_text(encoding="utf-8")
    assert "Bayar di bank atau kantor pos." in text
    assert text.count("\n") == original.count("\n") + 1  # only the new question's line
    assert original.splitlines()[:20] == text.splitlines()[:20]  # comments and layout kept
    assert '"faq_id": "biaya-paspor"' in ask(web, "ongkos bikin buku paspor brp ya")
    assert web.app.conversation.matcher.kb.version != load(ROOT / "faq.yaml").version
    audit = (await web.client.get("/admin/audit")).text
    assert "ubah-entri" in audit
    assert "Bayar di bank atau kantor pos." in audit


async def test_an_invalid_edit_is_refused_next_to_its_field(web: Console) -> None:
    await login(web.client, "admin")
    form = await edit_form(web, "biaya-paspor")
    before = web.faq.read_bytes()
    response = await web.client.post("/admin/entri/simpan", data={**form, "short": "x" * 400})
    assert response.status_code == 400
    label = response.text.index('<label for="short">')
    assert 'class="error"' in response.text[label : label + 400]
    assert web.faq.read_bytes() == before


async def test_the_second_of_two_simultaneous_saves_is_refused(web: Console) -> None:
    await login(web.client, "admin")
    first = await edit_form(web, "biaya-paspor")
    second = dict(first)
    first["answer"] += "\nCatatan pertama."
    second["answer"] += "\nCatatan kedua."
    assert (await web.client.post("/admin/entri/simpan", data=first)).status_code == 303
    refused = await web.client.post("/admin/entri/simpan", data=second)
    assert refused.status_code == 409
    assert "diubah orang lain" in refused.text
    text = web.faq.read_text(encoding="utf-8")
    assert "Catatan pertama." in text
    assert "Catatan kedua." not in text


async def test_undo_puts_the_previous_version_back(web: Console) -> None:
    await login(web.client, "admin")
    original = web.faq.read_bytes()
    form = await edit_form(web, "biaya-paspor")
    await web.client.post("/admin/entri/simpan", data={**form, "short": form["short"] + " Baru."})
    assert web.faq.read_bytes() != original
    audit = await web.client.get("/admin/audit")
    undone = await web.client.post("/admin/urungkan", data={"csrf": field(audit.text, "csrf")})
    assert "diurungkan" in undone.text
    assert web.faq.read_bytes() == original
    again = await web.client.post("/admin/urungkan", data={"csrf": field(audit.text, "csrf")})
    assert "Tidak ada perubahan" in again.text


async def test_a_draft_is_approved_into_its_entry_and_another_rejected(
    web: Console, engine: AsyncEngine
) -> None:
    drafts = Drafts(engine)
    # Not a learned ("log") draft: the learning round would withdraw it, no one chose it.
    kept = await drafts.add(
        source="cluster", questions=["bayar paspor pakai apa aja"], entry_id="biaya-paspor"
    )
    dropped = await drafts.add(source="cluster", questions=["kucing boleh masuk?"])
    await login(web.client, "admin")
    listing = await web.client.get("/admin/draf")
    assert "bayar paspor pakai apa aja" in listing.text
    assert "entri baru" in listing.text
    page = await web.client.get(f"/admin/draf/{kept.id}")
    assert "Setujui" in page.text
    assert "Biaya paspor" in page.text
    csrf = field(page.text, "csrf")
    done = await web.client.post("/admin/draf/setujui", data={"csrf": csrf, "id": str(kept.id)})
    assert done.status_code == 303
    entry = load(web.faq).get("biaya-paspor")
    assert entry is not None
    assert "bayar paspor pakai apa aja" in entry.questions
    rejected = await web.client.post(
        "/admin/draf/tolak", data={"csrf": csrf, "id": str(dropped.id), "alasan": "di luar"}
    )
    assert rejected.status_code == 303
    assert await drafts.pending() == []
    audit = (await web.client.get("/admin/audit")).text
    assert "setujui-draf" in audit
    assert "tolak-draf" in audit
    assert "di luar" in audit


async def test_a_new_entry_from_a_draft(web: Console, engine: AsyncEngine) -> None:
    questions = [f"boleh bawa kucing ke kantor {n}" for n in range(8)]
    draft = await Drafts(engine).add(source="cluster", questions=questions)
    await login(web.client, "admin")
    page = await web.client.get(f"/admin/entri-baru?draf={draft.id}")
    assert questions[0] in page.text
    form = {
        "csrf": field(page.text, "csrf"),
        "draf": str(draft.id),
        "id": "hewan-peliharaan",
        "title": "Hewan peliharaan",
        "category": "kedatangan",
        "questions": "\n".join(questions),
        "short": "Hewan peliharaan tidak boleh masuk.",
        "answer": "Hewan peliharaan tidak boleh masuk ke ruang layanan.",
    }
    bad = await web.client.post("/admin/entri-baru", data={**form, "title": "x" * 40})
    assert bad.status_code == 400
    assert load(web.faq).get("hewan-peliharaan") is None
    done = await web.client.post("/admin/entri-baru", data=form)
    assert done.status_code == 303
    assert load(web.faq).get("hewan-peliharaan") is not None
    assert await Drafts(engine).pending() == []


async def test_entries_are_searched(web: Console) -> None:
    await login(web.client, "petugas")
    page = await web.client.get("/admin/entri", params={"q": "biaya"})
    assert 'href="/admin/entri/biaya-paspor"' in page.text
    assert 'href="/admin/entri/mpaspor-unduh"' not in page.text
    assert (await web.client.get("/admin/entri/tidak-ada")).status_code == 404
