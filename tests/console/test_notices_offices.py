"""Siaran per office (issue 21), on SQLite and PostgreSQL: an account of every office picks
every office or one; an account of one office (`admin_accounts.office_id`) announces to its
office only, and neither sees nor decides another office's announcements. Subscribers opt in
through the real core; their office is set with the store's own `move`."""

from __future__ import annotations

import asyncio

import httpx
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.announcements.vocabulary import Announcement
from bot.storage.announcements import AnnouncementStore
from bot.storage.tables_console import AdminAccountRow

from .helpers import Console, add_account, field, login
from .test_notices import decide, drafts_stored, subscribed

TEXT = "Kuota bulan depan dibuka Senin pukul 09.00."
OFFICE_OF = {0: "kalianda", 1: "kalianda", 2: "kotabumi", 3: "kotabumi", 4: None}
SELECT = '<select id=kantor name=kantor><option value="" selected>Semua kantor</option>'


async def offices_set(web: Console, engine: AsyncEngine) -> list[str]:
    """Telegram subscribers of Kalianda (0, 1), Kotabumi (2, 3) and of no office (4)."""
    broadcaster = await subscribed(web, "telegram", len(OFFICE_OF))
    store = AnnouncementStore(engine)
    for n, office in OFFICE_OF.items():
        await store.move("telegram", f"telegram-{n}", office)
    return broadcaster.sent


async def kotabumi_account(engine: AsyncEngine) -> None:
    """The account `kotabumi`, acting for Kotabumi only."""
    await add_account(engine, "kotabumi")
    async with engine.begin() as connection:
        await connection.execute(
            update(AdminAccountRow)
            .where(AdminAccountRow.name == "kotabumi")
            .values(office_id="kotabumi")
        )


async def preview(web: Console, text: str, **form: str) -> httpx.Response:
    page = await web.client.get("/admin/siaran")
    return await web.client.post(
        "/admin/siaran/pratinjau", data={"csrf": field(page.text, "csrf"), "teks": text, **form}
    )


async def status(web: Console, shown: httpx.Response) -> str:
    found = await web.app.announcements.get(int(field(shown.text, "id")))
    assert isinstance(found, Announcement)
    return found.status


def reached(sent: list[str]) -> list[int]:
    return sorted(int(chat.rsplit("-", 1)[1]) for chat in sent)


async def test_an_account_of_every_office_picks_one_office_or_all(
    web: Console, engine: AsyncEngine
) -> None:
    sent = await offices_set(web, engine)
    await login(web.client, "admin")
    page = await web.client.get("/admin/siaran")
    assert SELECT in page.text
    assert '<option value="kotabumi">Kantor Imigrasi Kotabumi</option>' in page.text
    shown = await preview(web, TEXT, kantor="kotabumi")
    assert "Untuk pelanggan <strong>Kantor Imigrasi Kotabumi</strong>." in shown.text
    assert "2 pelanggan</strong> (telegram 2)" in shown.text
    assert '<option value="kotabumi" selected>' in shown.text  # kept for another preview
    assert (await decide(web, shown, "kirim")).headers["location"].endswith("ke=2")
    await asyncio.wait_for(web.app.announcements.sender.settled(), 20)
    assert reached(sent) == [2, 3]
    everyone = await preview(web, "Untuk semua.")
    assert "Untuk pelanggan <strong>semua kantor</strong>." in everyone.text
    assert "5 pelanggan</strong> (telegram 5)" in everyone.text
    listed = await web.client.get("/admin/siaran")
    assert "oleh admin · untuk Kantor Imigrasi Kotabumi" in listed.text
    unknown = await preview(web, TEXT, kantor="metro")
    assert unknown.status_code == 400
    assert "Kantor itu tidak dikenal" in unknown.text


async def test_an_office_account_announces_to_its_office_only(
    web: Console, engine: AsyncEngine
) -> None:
    await kotabumi_account(engine)
    sent = await offices_set(web, engine)
    await login(web.client, "kotabumi")
    page = await web.client.get("/admin/siaran")
    assert "<select" not in page.text
    assert "Untuk pelanggan info Kantor Imigrasi Kotabumi" in page.text
    forged = await preview(web, TEXT, kantor="kalianda")
    assert forged.status_code == 403
    assert "hanya dapat mengirim pengumuman ke pelanggan Kantor Imigrasi Kotabumi" in forged.text
    assert await drafts_stored(engine) == 0
    shown = await preview(web, TEXT)
    assert "Untuk pelanggan <strong>Kantor Imigrasi Kotabumi</strong>." in shown.text
    assert "2 pelanggan</strong> (telegram 2)" in shown.text
    assert (await decide(web, shown, "kirim")).status_code == 303
    await asyncio.wait_for(web.app.announcements.sender.settled(), 20)
    assert reached(sent) == [2, 3]


async def test_an_office_account_neither_sees_nor_decides_another_office(
    web: Console, engine: AsyncEngine
) -> None:
    sent = await offices_set(web, engine)
    await kotabumi_account(engine)
    await login(web.client, "admin")
    kalianda = await preview(web, "Khusus Kalianda.", kantor="kalianda")
    everyone = await preview(web, "Untuk semua kantor.")
    done = await preview(web, "Sudah terkirim ke Kalianda.", kantor="kalianda")
    await decide(web, done, "kirim")
    await asyncio.wait_for(web.app.announcements.sender.settled(), 20)
    await login(web.client, "kotabumi")
    for shown in (kalianda, everyone):
        for action in ("kirim", "batal"):
            page = await web.client.get("/admin/siaran")
            data = {"csrf": field(page.text, "csrf"), "id": field(shown.text, "id")}
            refused = await web.client.post(f"/admin/siaran/{action}", data=data)
            assert refused.status_code == 404
            assert "Pengumuman itu tidak ditemukan." in refused.text
        assert await status(web, shown) == "draft"
    listed = await web.client.get("/admin/siaran")
    assert "Sudah terkirim ke Kalianda." not in listed.text
    assert "Belum ada pengumuman yang dikirim dari konsol." in listed.text
    assert reached(sent) == [0, 1]


async def test_an_office_account_reads_gangguan_but_cannot_pin_or_clear_it(
    web: Console, engine: AsyncEngine
) -> None:
    """The outage notice is national, as `/gangguan` on Telegram: refused with the reason."""
    await login(web.client, "admin")
    csrf = field((await web.client.get("/admin/gangguan")).text, "csrf")
    pinned = "Server M-Paspor sedang diperbaiki."
    await web.client.post("/admin/gangguan/pasang", data={"csrf": csrf, "teks": pinned})
    await kotabumi_account(engine)
    await login(web.client, "kotabumi")
    page = await web.client.get("/admin/gangguan")
    assert page.status_code == 200
    assert pinned in page.text
    assert "hanya admin semua kantor" in page.text
    assert "<textarea" not in page.text
    assert "Cabut info gangguan" not in page.text
    csrf = field(page.text, "csrf")
    for action, data in (
        ("pasang", {"csrf": csrf, "teks": "Lain"}),
        ("pasang", {"csrf": csrf, "teks": "selesai"}),
        ("cabut", {"csrf": csrf}),
    ):
        refused = await web.client.post(f"/admin/gangguan/{action}", data=data)
        assert refused.status_code == 403, action
        assert "hanya admin semua kantor" in refused.text
    still = (await web.client.get("/admin/gangguan")).text
    assert "<div class=bubble>" in still
    assert pinned in still
