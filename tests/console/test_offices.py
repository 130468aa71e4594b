"""The console per office (issue 21): an account of kotabumi sees and acts on kotabumi's
questions, complaints and drafts only (another office's by id is 404 and nothing changes),
reads national drafts and faq.yaml without changing them; an account of every office sees
all, filters by office and compares offices; `admin add --office`."""

from __future__ import annotations

import asyncio
import dataclasses
import re
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.storage import Store
from bot.storage.console import ConsoleStore
from bot.storage.drafts import Drafts
from bot.storage.tables import ComplaintRow
from bot.storage.tables_console import AdminAccountRow

from .helpers import PASSWORD, ROOT, Console, field, logged, login, settings_for
from .office_helpers import seed_offices, voice_id


@pytest.fixture
async def seeded(web: Console, engine: AsyncEngine) -> Console:
    await seed_offices(engine)
    return web


async def test_an_office_account_lists_only_its_office(seeded: Console) -> None:
    await login(seeded.client, "kotabumi")
    for path in ("/admin/belum-terjawab", "/admin/suara", "/admin/draf"):
        # The filter in the URL cannot widen an office account's view.
        text = (await seeded.client.get(f"{path}?kantor=kalianda")).text
        assert "lampura" in text or "draf kotabumi" in text, path
        assert "lamsel" not in text, path
        assert "draf kalianda" not in text, path
    drafts = (await seeded.client.get("/admin/draf")).text
    assert "draf nasional" in drafts  # national drafts are read by every office
    assert (await seeded.client.get("/admin/kantor")).status_code == 200
    assert "Kantor Imigrasi Kalianda" not in (await seeded.client.get("/admin/kantor")).text


async def test_another_offices_items_by_id_are_404_and_unchanged(
    seeded: Console, engine: AsyncEngine
) -> None:
    await login(seeded.client, "kotabumi")
    pending = await Drafts(engine).pending()
    ids = {d.questions[0]: d.id for d in pending}
    assert (await seeded.client.get(f"/admin/draf/{ids['draf kalianda']}")).status_code == 404
    assert (await seeded.client.get(f"/admin/draf/{ids['draf kotabumi']}")).status_code == 200
    page = await seeded.client.get("/admin/suara")
    csrf = field(page.text, "csrf")
    other = await voice_id(engine, "pertanyaan dari lamsel")
    handled = {"csrf": csrf, "id": str(other), "catatan": "sudah"}
    assert (await seeded.client.post("/admin/suara/tangani", data=handled)).status_code == 404
    rejected = {"csrf": csrf, "id": str(ids["draf kalianda"]), "alasan": "bukan"}
    assert (await seeded.client.post("/admin/draf/tolak", data=rejected)).status_code == 404
    national = {"csrf": csrf, "id": str(ids["draf nasional"]), "alasan": "bukan"}
    assert (await seeded.client.post("/admin/draf/tolak", data=national)).status_code == 403
    assert {d.id for d in await Drafts(engine).pending()} == set(ids.values())
    async with engine.connect() as connection:
        assert (
            await connection.scalar(
                select(ComplaintRow.handled_at).where(ComplaintRow.id == other)
            )
            is None
        )
    own = await voice_id(engine, "pertanyaan dari lampura")
    mine = {"csrf": csrf, "id": str(own), "catatan": "sudah"}
    assert (await seeded.client.post("/admin/suara/tangani", data=mine)).status_code == 303
    decided = {"csrf": csrf, "id": str(ids["draf kotabumi"]), "alasan": "sudah ada"}
    assert (await seeded.client.post("/admin/draf/tolak", data=decided)).status_code == 303


async def test_an_office_account_does_not_edit_faq_yaml(seeded: Console) -> None:
    await login(seeded.client, "kotabumi")
    page = await seeded.client.get("/admin/entri/biaya-paspor")
    assert "hanya admin semua kantor" in page.text
    assert "<textarea" not in page.text
    before = seeded.faq.read_bytes()
    data = {"csrf": field(page.text, "csrf"), "id": "biaya-paspor", "answer": "x"}
    for path in (
        "/admin/entri/simpan",
        "/admin/entri-baru",
        "/admin/urungkan",
        "/admin/konten/buat",
    ):
        assert (await seeded.client.post(path, data=data)).status_code == 403, path
    assert seeded.faq.read_bytes() == before
    assert (await seeded.client.get("/admin/audit")).status_code == 403


async def test_a_changed_office_counts_at_once(seeded: Console, engine: AsyncEngine) -> None:
    await login(seeded.client, "kotabumi")
    assert "lampura" in (await seeded.client.get("/admin/belum-terjawab")).text
    async with engine.begin() as connection:
        await connection.execute(
            update(AdminAccountRow)
            .where(AdminAccountRow.name == "kotabumi")
            .values(office_id="kalianda")
        )
    text = (await seeded.client.get("/admin/belum-terjawab")).text
    assert "lamsel" in text
    assert "lampura" not in text


async def test_every_office_sees_all_filters_and_compares(seeded: Console) -> None:
    await login(seeded.client, "admin")
    everything = (await seeded.client.get("/admin/belum-terjawab")).text
    assert "lampura" in everything
    assert "lamsel" in everything
    assert "Semua kantor" in everything
    one = (await seeded.client.get("/admin/belum-terjawab?kantor=kalianda")).text
    assert "lamsel" in one
    assert "lampura" not in one
    voices = (await seeded.client.get("/admin/suara?kantor=kotabumi")).text
    assert "lampura" in voices
    assert "lamsel" not in voices
    drafts = (await seeded.client.get("/admin/draf")).text
    assert "draf kalianda" in drafts
    assert "draf kotabumi" in drafts
    compared = (await seeded.client.get("/admin/kantor")).text
    for name in ("Kantor Imigrasi Kotabumi", "Kantor Imigrasi Kalianda", "Bandar Lampung"):
        assert name in compared
    overview = (await seeded.client.get("/admin/?kantor=kotabumi")).text
    assert "Kantor Imigrasi Kotabumi" in overview


def _asked_count(page: str) -> int:
    """Ringkasan's count of questions."""
    found = re.search(r"<td>Pertanyaan</td><td[^>]*>([\d.]+)</td>", page)
    assert found is not None
    return int(found[1].replace(".", ""))


async def test_ringkasan_of_an_office_counts_only_that_office(
    seeded: Console, engine: AsyncEngine
) -> None:
    """The full Ringkasan (outcomes, channels, charts) from the queries kept to one office."""
    answered = logged("biaya paspor", "answer", faq_id="biaya-paspor")
    whatsapp = dataclasses.replace(answered, channel="whatsapp", office_id="kotabumi")
    await Store(engine).log_question(whatsapp)
    await login(seeded.client, "kotabumi")
    own = (await seeded.client.get("/admin/?hari=7&kantor=kalianda")).text
    assert _asked_count(own) == 3  # its two and the WhatsApp one; the filter is ignored
    assert "WhatsApp" in own
    assert "<h2>Grafik</h2>" in own
    assert "kantor=" not in own  # an office account's period links name no office
    await login(seeded.client, "admin")
    kalianda = (await seeded.client.get("/admin/?hari=7&kantor=kalianda")).text
    assert _asked_count(kalianda) == 2
    assert "WhatsApp" not in kalianda
    assert 'href="/admin/?hari=30&kantor=kalianda"' in kalianda
    assert _asked_count((await seeded.client.get("/admin/?hari=7")).text) == 5


def _plan(page: str) -> str:
    """The plan of topics on Konten (empty when none is shown)."""
    start = page.find("<h2>Rencana topik")
    return page[start : page.index("Konten minggu ini</h2>")] if start >= 0 else ""


async def test_konten_shows_the_plan_of_topics_of_one_office(
    seeded: Console, engine: AsyncEngine
) -> None:
    """What confuses Kotabumi's applicants, from Kotabumi's questions alone."""
    for entry, office, times in (("akun-otp", "kotabumi", 2), ("ambil-paspor", "kalianda", 1)):
        record = dataclasses.replace(logged(entry, "answer", faq_id=entry), office_id=office)
        for _ in range(times):
            await Store(engine).log_question(record)
    await login(seeded.client, "kotabumi")
    own = _plan((await seeded.client.get("/admin/konten?kantor=kalianda")).text)
    assert "Rencana topik Kantor Imigrasi Kotabumi" in own
    assert "akun-otp" in own
    assert "ambil-paspor" not in own
    await login(seeded.client, "admin")
    assert _plan((await seeded.client.get("/admin/konten")).text) == ""
    kalianda = (await seeded.client.get("/admin/konten?kantor=kalianda")).text
    assert "ambil-paspor" in _plan(kalianda)
    assert "akun-otp" not in _plan(kalianda)
    assert '<option value="kalianda" selected>' in kalianda


async def test_suara_pemohon_links_keep_the_office_filter(seeded: Console) -> None:
    await login(seeded.client, "admin")
    page = (await seeded.client.get("/admin/suara?kantor=kotabumi&hari=90")).text
    links = re.findall(r'href="/admin/suara\?([^"]*)"', page)
    assert len(links) >= 4  # the periods, the topic and "Hapus saringan"
    assert all("kantor=kotabumi" in link for link in links), links
    assert '<input type=hidden name=kantor value="kotabumi">' in page
    assert "lamsel" not in page
    await login(seeded.client, "kotabumi")
    own = (await seeded.client.get("/admin/suara?hari=90")).text
    assert "lampura" in own
    assert not any("kantor=" in link for link in re.findall(r'href="/admin/suara\?([^"]*)"', own))


def _admin_add(env: dict[str, str], name: str, office: str) -> subprocess.CompletedProcess[str]:
    """`python -m bot admin add NAME --office OFFICE`, the password on standard input."""
    command = [sys.executable, "-m", "bot", "admin", "add", name, "--password-stdin"]
    return subprocess.run(
        [*command, "--office", office],
        input=PASSWORD + "\n",
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


async def test_admin_add_with_an_office(db_url: str, engine: AsyncEngine, tmp_path: Path) -> None:
    settings_for(db_url, tmp_path)  # the copy of faq.yaml the command reads
    env = {"DATABASE_URL": db_url, "FAQ_PATH": str(tmp_path / "faq.yaml"), "PATH": "/usr/bin"}
    good = await asyncio.to_thread(_admin_add, env, "kb", "kotabumi")
    assert good.returncode == 0, good.stderr
    assert "kotabumi" in good.stdout
    bad = await asyncio.to_thread(_admin_add, env, "kb2", "metro")
    assert bad.returncode == 2
    assert "kantor metro tidak dikenal" in bad.stderr
    account = await ConsoleStore(engine).account("kb")
    assert account is not None
    assert account.office == "kotabumi"
    assert await ConsoleStore(engine).account("kb2") is None
