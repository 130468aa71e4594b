"""Draf FAQ in the console (issue 19), on SQLite and PostgreSQL: a draft edited beside what
produced it and approved through the checked, atomic, layout-keeping write; an invalid field
refused next to itself with nothing written; reject only with a reason, and final (not
proposed again by the queue, its learning or `kb suggest`); the wordings learned from
"Maksud Anda…?" choices in their own view; petugas read only."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.console import faq_text
from bot.core.vocabulary import ENTRY, Candidate, FeedbackRecord, QuestionRecord
from bot.storage import Store
from bot.storage.drafts import Drafts
from bot.storage.evidence import EvidenceQueries
from bot.suggestions.command import gather
from bot.suggestions.plan import Planner
from bot.suggestions.vocabulary import FaqDraft
from knowledge.loader import load
from knowledge.matcher import Matcher
from knowledge.policy import decide

from .helpers import NIK, Console, field, login

OFFERED = ("mpaspor-apa", "mpaspor-manfaat", "akun-daftar")
LEARNT = "aplikasi m paspor itu buat daftar akun ya"
REFUSED = "m paspor bisa buat bikin akun gak sih"
FORM_FIELDS = ("title", "category", "questions", "short", "answer", "related")


def asked(web: Console, question: str) -> str | None:
    """The entry `python -m bot ask` answers with (the same load, rank and decision)."""
    decision = decide(Matcher(load(web.faq)).rank(question), web.settings.thresholds)
    return decision.entry.id if decision.action == "answer" and decision.entry else None


def form_of(page: str) -> dict[str, str]:
    """The draft page's edit form as the browser would send it."""
    start = page.index("action=/admin/draf/simpan")
    form = page[start : page.index("</form>", start)]
    values = dict(re.findall(r'<input type=hidden name=(\w+) value="([^"]*)"', form))
    values |= dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', form))
    values |= dict(re.findall(r'<input type=text id="\w+" name="(\w+)" value="([^"]*)"', form))
    values |= dict(re.findall(r'<textarea id="\w+" name="(\w+)" rows="\d+">([^<]*)<', form))
    chosen = re.search(r'<option value="([^"]*)" selected>', form)
    values["category"] = chosen[1] if chosen else ""
    return {k: _unescape(v) for k, v in values.items()}


def _unescape(text: str) -> str:
    for escaped, plain in (("&quot;", '"'), ("&#x27;", "'"), ("&lt;", "<"), ("&gt;", ">")):
        text = text.replace(escaped, plain)
    return text.replace("&amp;", "&")


def turn(
    text: str, action: str, *, user: str, minutes: float, faq_id: str | None = None
) -> QuestionRecord:
    """A question or a press on a "Maksud Anda…?" choice, as the core logs it."""
    press = text.startswith(ENTRY)
    return QuestionRecord(
        channel="telegram",
        user_hash=user * 8,
        text_redacted=text,
        normalized="" if press else text.casefold(),
        action=action,
        faq_id=faq_id,
        score=0.5,
        candidates=() if press else tuple(Candidate(e, 0.5) for e in OFFERED),
        latency_ms=1.0,
        kb_version="uji",
        flags=("choice",) if press else (),
        created_at=dt.datetime.now(dt.UTC) - dt.timedelta(hours=1, minutes=-minutes),
    )


async def choose(
    store: Store, wording: str, entry_id: str, user: str, *, helpful: bool = True
) -> None:
    """Someone asks `wording`, gets "Maksud Anda…?" and taps `entry_id` (👎 if not helpful)."""
    _, press = await store.log_questions(
        [
            turn(wording, "clarify", user=user, minutes=0),
            turn(ENTRY + entry_id, "answer", user=user, minutes=1, faq_id=entry_id),
        ]
    )
    if not helpful:
        assert await store.add_feedback(FeedbackRecord(press, False, user * 8))


async def cara_bayar_draft(web: Console, engine: AsyncEngine) -> tuple[FaqDraft, str]:
    """A draft adding a wording to `cara-bayar`, and its page as an admin sees it."""
    draft = await Drafts(engine).add(
        source="cluster", questions=["bayar paspor pakai apa aja"], entry_id="cara-bayar"
    )
    await login(web.client, "admin")
    return draft, (await web.client.get(f"/admin/draf/{draft.id}")).text


async def test_a_draft_is_edited_beside_its_source_and_previewed(
    web: Console, engine: AsyncEngine
) -> None:
    _, page = await cara_bayar_draft(web, engine)
    assert "Asal: kelompok pertanyaan" in page
    assert "Mengubah entri Cara bayar" in page
    assert "Pratinjau balasan pertama" in page
    sent = form_of(page)
    assert sent["questions"].splitlines()[-1] == "bayar paspor pakai apa aja"
    before = web.faq.read_bytes()
    sent["short"] += " Simpan bukti bayarnya."
    preview = await web.client.post("/admin/draf/simpan", data={**sent, "aksi": "pratinjau"})
    assert preview.status_code == 200
    assert "Simpan bukti bayarnya." in preview.text.split("Pratinjau balasan pertama")[1]
    assert web.faq.read_bytes() == before  # a preview writes nothing


async def test_an_edited_draft_is_approved_changing_only_what_was_edited(
    web: Console, engine: AsyncEngine
) -> None:
    _, page = await cara_bayar_draft(web, engine)
    sent = form_of(page)
    before = web.faq.read_text(encoding="utf-8")
    was = load(web.faq).get("cara-bayar")
    assert was is not None
    sent["related"] += ", batal-refund"
    sent["short"] += " Simpan bukti bayarnya."
    done = await web.client.post("/admin/draf/simpan", data={**sent, "aksi": "setujui"})
    assert done.headers["location"] == "/admin/draf?pesan=disetujui"
    entry = load(web.faq).get("cara-bayar")
    assert entry is not None
    assert entry.questions == (*was.questions, "bayar paspor pakai apa aja")
    assert (entry.short, entry.related) == (sent["short"], (*was.related, "batal-refund"))
    assert (entry.answer, entry.title, entry.category) == (was.answer, was.title, was.category)
    after = web.faq.read_text(encoding="utf-8")
    assert _outside(before, "cara-bayar") == _outside(after, "cara-bayar")
    assert await Drafts(engine).pending() == []
    audit = (await web.client.get("/admin/audit")).text
    assert "ubah-entri" in audit
    assert "setujui-draf" in audit


def _outside(text: str, entry_id: str) -> str:
    """faq.yaml without one entry's lines: what an edit of that entry must leave alone."""
    return text.replace(faq_text.entry_source(text, entry_id), "")


async def test_an_invalid_field_is_refused_next_to_it_and_nothing_is_written(
    web: Console, engine: AsyncEngine
) -> None:
    draft, page = await cara_bayar_draft(web, engine)
    sent = form_of(page)
    before = web.faq.read_bytes()
    for name, value, message in (
        ("title", "x" * 40, "terlalu panjang (40 &gt; 24 karakter)"),
        ("related", "tidak-ada-entri", "id &#x27;tidak-ada-entri&#x27; tidak ada"),
    ):
        bad = {**sent, name: value, "aksi": "setujui"}
        refused = await web.client.post("/admin/draf/simpan", data=bad)
        assert refused.status_code == 400
        label = refused.text.index(f'<label for="{name}">')
        shown = refused.text[label : refused.text.index("<input", label)]
        assert f'<p class="error">{message}</p>' in shown
        assert shown.count('class="error"') == 1  # not what follows from it elsewhere
        assert f'value="{value}"' in refused.text  # what was typed stays
        assert web.faq.read_bytes() == before
    assert [d.id for d in await Drafts(engine).pending()] == [draft.id]


async def test_an_entry_changed_meanwhile_is_not_overwritten(
    web: Console, engine: AsyncEngine
) -> None:
    draft, page = await cara_bayar_draft(web, engine)
    sent = form_of(page)
    entry = (await web.client.get("/admin/entri/cara-bayar")).text
    other = {
        "csrf": field(entry, "csrf"),
        "id": "cara-bayar",
        "versi": field(entry, "versi"),
        "short": sent["short"] + " Diubah admin lain.",
        "answer": sent["answer"],
        "questions": "\n".join(sent["questions"].splitlines()[:-1]),
    }
    assert (await web.client.post("/admin/entri/simpan", data=other)).status_code == 303
    refused = await web.client.post("/admin/draf/simpan", data={**sent, "aksi": "setujui"})
    assert refused.status_code == 409
    assert "diubah orang lain" in refused.text
    assert "bayar paspor pakai apa aja" not in web.faq.read_text(encoding="utf-8")
    assert [d.id for d in await Drafts(engine).pending()] == [draft.id]


async def test_an_officers_draft_becomes_a_new_entry_that_ask_uses(
    web: Console, engine: AsyncEngine
) -> None:
    question = "boleh bawa kucing ke ruang tunggu kantor imigrasi"
    answer = "Hewan peliharaan tidak boleh dibawa masuk ke ruang layanan kantor imigrasi."
    draft = await Drafts(engine).add(
        source="ticket", questions=[question], answer=answer, created_by="Sari"
    )
    await login(web.client, "admin")
    page = (await web.client.get(f"/admin/draf/{draft.id}")).text
    assert "Dijadikan FAQ oleh Sari" in page
    assert "Jawaban petugas" in page
    assert "Menjadi entri baru" in page
    sent = form_of(page)
    assert sent["id"] == "boleh-bawa-kucing-ke-ruang"
    assert (sent["answer"], sent["short"]) == (answer, answer)
    sent |= {"id": "hewan-peliharaan", "title": "Hewan peliharaan"}
    sent["questions"] += "\nboleh bawa hewan peliharaan ke kantor imigrasi"
    assert asked(web, question) != "hewan-peliharaan"
    done = await web.client.post("/admin/draf/simpan", data={**sent, "aksi": "setujui"})
    assert done.status_code == 303
    entry = load(web.faq).get("hewan-peliharaan")
    assert entry is not None
    assert entry.answer == answer
    assert asked(web, question) == "hewan-peliharaan"
    assert await Drafts(engine).pending() == []
    assert "entri-baru" in (await web.client.get("/admin/audit")).text


async def test_a_draft_can_be_sent_to_another_entry(web: Console, engine: AsyncEngine) -> None:
    draft = await Drafts(engine).add(
        source="ticket", questions=["m paspor tuh apa ya kak"], answer="...", created_by="Sari"
    )
    await login(web.client, "admin")
    page = await web.client.get(f"/admin/draf/{draft.id}", params={"untuk": "mpaspor-apa"})
    sent = form_of(page.text)
    assert sent["untuk"] == "mpaspor-apa"
    assert "Mengubah entri" in page.text
    done = await web.client.post("/admin/draf/simpan", data={**sent, "aksi": "setujui"})
    assert done.status_code == 303
    entry = load(web.faq).get("mpaspor-apa")
    assert entry is not None
    assert entry.questions[-1] == "m paspor tuh apa ya kak"


async def test_reject_needs_a_reason_and_is_final(web: Console, engine: AsyncEngine) -> None:
    draft = await Drafts(engine).add(source="cluster", questions=["kucing boleh masuk?"])
    await login(web.client, "admin")
    page = (await web.client.get(f"/admin/draf/{draft.id}")).text
    data = {"csrf": field(page, "csrf"), "id": str(draft.id), "alasan": "  "}
    refused = await web.client.post("/admin/draf/tolak", data=data)
    assert refused.status_code == 400
    label = refused.text.index('<label for="alasan">')
    assert "Tulis alasannya" in refused.text[label : label + 300]
    assert [d.id for d in await Drafts(engine).pending()] == [draft.id]
    done = await web.client.post(
        "/admin/draf/tolak", data={**data, "alasan": f"di luar layanan, NIK {NIK}"}
    )
    assert done.headers["location"] == "/admin/draf?pesan=ditolak"
    assert await Drafts(engine).pending() == []
    audit = (await web.client.get("/admin/audit")).text
    assert "tolak-draf" in audit
    assert "di luar layanan" in audit
    assert NIK not in audit
    again = await web.client.post("/admin/draf/tolak", data={**data, "alasan": "lagi"})
    assert again.status_code == 404
    assert (await web.client.get(f"/admin/draf/{draft.id}")).status_code == 404


async def people_choose(store: Store) -> None:
    """Four people tap `akun-daftar` for LEARNT (a fifth taps it and says 👎), three tap
    `mpaspor-apa` for REFUSED: both are learned."""
    for user in ("a1", "a2", "a3", "a4"):
        await choose(store, LEARNT, "akun-daftar", user)
    await choose(store, LEARNT, "akun-daftar", "a5", helpful=False)
    for user in ("b1", "b2", "b3"):
        await choose(store, REFUSED, "mpaspor-apa", user)


async def test_learned_wordings_have_their_own_view_and_are_accepted_or_rejected(
    web: Console, engine: AsyncEngine
) -> None:
    store = Store(engine)
    await people_choose(store)
    await login(web.client, "admin")
    drafts = (await web.client.get("/admin/draf")).text
    assert "Kata-kata dipelajari (2)" in drafts
    assert LEARNT not in drafts  # not among the officers' drafts
    view = (await web.client.get("/admin/draf/dipelajari")).text
    assert LEARNT in view
    assert "Dikonfirmasi 4 pemohon · 👎 1" in view
    assert "Dikonfirmasi 3 pemohon · 👎 0" in view
    assert 'href="/admin/entri/akun-daftar"' in view
    learnt, refused = sorted(await Drafts(engine).pending(), key=lambda d: d.id)
    csrf = field(view, "csrf")
    accepted = await web.client.post(
        "/admin/draf/setujui", data={"csrf": csrf, "id": str(learnt.id)}
    )
    assert accepted.headers["location"] == "/admin/draf/dipelajari?pesan=diterima"
    assert LEARNT in faq_text.questions(web.faq.read_text(encoding="utf-8"), "akun-daftar")
    assert asked(web, LEARNT) == "akun-daftar"
    rejected = await web.client.post(
        "/admin/draf/tolak", data={"csrf": csrf, "id": str(refused.id), "alasan": "bukan ini"}
    )
    assert rejected.headers["location"] == "/admin/draf/dipelajari?pesan=ditolak"
    await _never_again(web, engine, store, refused)


async def _never_again(web: Console, engine: AsyncEngine, store: Store, refused: FaqDraft) -> None:
    """More people confirm the rejected wording: neither the queue nor `kb suggest` brings
    it back."""
    for user in ("b4", "b5", "b6"):
        await choose(store, REFUSED, "mpaspor-apa", user)
    view = (await web.client.get("/admin/draf/dipelajari")).text
    assert REFUSED not in view
    assert "Tidak ada yang menunggu" in view
    assert await Drafts(engine).pending() == []
    since = dt.datetime.now(dt.UTC) - dt.timedelta(days=1)
    evidence = await gather(EvidenceQueries(engine), Drafts(engine), since)
    assert [d.id for d in evidence.refused] == [refused.id]
    matcher = Matcher(load(web.faq))
    planner = Planner(matcher, thresholds=web.settings.thresholds, zone=dt.UTC)
    proposal = planner.plan(evidence)
    assert REFUSED not in [example.text for example in proposal.examples]
    unrefused = Planner(matcher, thresholds=web.settings.thresholds, zone=dt.UTC)
    again = unrefused.plan(dataclasses.replace(evidence, refused=()))
    assert REFUSED in [example.text for example in again.examples], "the evidence is there"


@pytest.mark.parametrize(
    "path", ["/admin/draf/simpan", "/admin/draf/setujui", "/admin/draf/tolak"]
)
async def test_a_petugas_reads_the_queue_but_decides_nothing(
    web: Console, engine: AsyncEngine, path: str
) -> None:
    draft = await Drafts(engine).add(
        source="cluster", questions=["bayar paspor pakai apa aja"], entry_id="cara-bayar"
    )
    await login(web.client, "petugas")
    for shown in ("/admin/draf", "/admin/draf/dipelajari", f"/admin/draf/{draft.id}"):
        page = await web.client.get(shown)
        assert page.status_code == 200
        assert "method=post action=/admin/draf" not in page.text
    page = (await web.client.get(f"/admin/draf/{draft.id}")).text
    assert "Hanya admin" in page
    data = {"csrf": field(page, "csrf"), "id": str(draft.id), "draf": str(draft.id)}
    before = web.faq.read_bytes()
    assert (await web.client.post(path, data={**data, "alasan": "x"})).status_code == 403
    assert web.faq.read_bytes() == before
    assert [d.id for d in await Drafts(engine).pending()] == [draft.id]
