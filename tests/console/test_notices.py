"""Siaran and Gangguan in the console (issue 19), on SQLite and PostgreSQL: an announcement
previewed and sent through the same service as /umumkan reaches the subscribers the real core
signed up (recording broadcasters at the channel edge, as the /umumkan tests use), with the
same refusals; the outage notice set and cleared is shown, then no longer, by the real core
conversation; every change is audited; petugas read only; sessions and CSRF as elsewhere."""

from __future__ import annotations

import asyncio
import re

import httpx
import pytest
from announce.helpers import RecordingBroadcaster
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.announcements.service import MAX_TEXT
from bot.console.vocabulary import AuditEntry
from bot.core import replies
from bot.core.vocabulary import Incoming
from bot.storage.console import ConsoleStore
from bot.storage.tables_ops import AnnouncementRow

from .helpers import NIK, PHONE, Console, field, login

TEXT = "Kuota bulan depan dibuka Senin pukul 09.00."
OUTAGE = "Server M-Paspor sedang perbaikan sampai pukul 15.00."
ACTIONS = ["/admin/siaran/pratinjau", "/admin/siaran/kirim", "/admin/siaran/batal"]
OUTAGE_ACTIONS = ["/admin/gangguan/pasang", "/admin/gangguan/cabut"]


async def subscribed(web: Console, channel: str, count: int) -> RecordingBroadcaster:
    """A recording broadcaster for `channel` and `count` chats opted in through the core."""
    broadcaster = RecordingBroadcaster()
    web.app.announcements.sender.broadcasters.register(channel, broadcaster)
    for n in range(count):
        chat = f"{channel}-{n}"
        said = await web.app.conversation.handle(Incoming(channel, chat, chat, "/langganan"))
        assert said[0].text == replies.SUBSCRIBED
    return broadcaster


async def audited(engine: AsyncEngine) -> list[AuditEntry]:
    return await ConsoleStore(engine).recent()


async def drafts_stored(engine: AsyncEngine) -> int:
    async with engine.connect() as connection:
        found = await connection.execute(select(func.count()).select_from(AnnouncementRow))
        return int(found.scalar_one())


async def preview(web: Console, text: str) -> httpx.Response:
    page = await web.client.get("/admin/siaran")
    data = {"csrf": field(page.text, "csrf"), "teks": text}
    return await web.client.post("/admin/siaran/pratinjau", data=data)


async def decide(web: Console, shown: httpx.Response, action: str) -> httpx.Response:
    """Press Kirim or Batal under a preview."""
    data = {"csrf": field(shown.text, "csrf"), "id": field(shown.text, "id")}
    return await web.client.post(f"/admin/siaran/{action}", data=data)


async def bot_says(web: Console, text: str, chat: str) -> list[str]:
    """What the real core answers on Telegram."""
    return [
        r.text for r in await web.app.conversation.handle(Incoming("telegram", chat, chat, text))
    ]


async def test_preview_then_send_reaches_every_subscriber_once_and_is_audited(
    web: Console, engine: AsyncEngine
) -> None:
    telegram = await subscribed(web, "telegram", 3)
    whatsapp = await subscribed(web, "whatsapp", 2)
    await login(web.client, "admin")
    shown = await preview(web, f"{TEXT}\r\nInfo: hubungi {PHONE}, NIK {NIK}")
    assert shown.status_code == 200
    assert "Pratinjau pengumuman #1" in shown.text
    assert "5 pelanggan</strong> (telegram 3, whatsapp 2)" in shown.text
    assert PHONE not in shown.text
    assert NIK not in shown.text  # redacted as /umumkan does
    assert shown.text.count(replies.UNSUBSCRIBE_BUTTON) == 2  # Telegram and WhatsApp
    assert re.search(r"Pesan Telegram: \d+ / 4096 karakter", shown.text)
    assert re.search(r"WhatsApp, pesan dengan tombol: \d+ / 1024 karakter", shown.text)
    assert f"/ {MAX_TEXT} karakter" in shown.text
    sent = await decide(web, shown, "kirim")
    assert sent.status_code == 303
    assert sent.headers["location"] == "/admin/siaran?dikirim=1&ke=5"
    await asyncio.wait_for(web.app.announcements.sender.settled(), 20)
    assert sorted(telegram.sent) == ["telegram-0", "telegram-1", "telegram-2"]
    assert sorted(whatsapp.sent) == ["whatsapp-0", "whatsapp-1"]
    (message,) = set(telegram.texts + whatsapp.texts)
    assert message.startswith("📢 Pengumuman\n\nKuota bulan depan dibuka Senin pukul 09.00.\nInfo")
    assert PHONE not in message
    assert NIK not in message
    page = await web.client.get(sent.headers["location"])
    assert "Pengumuman #1 sedang dikirim ke 5 pelanggan" in page.text
    assert "selesai dikirim" in page.text
    assert "Terkirim: 5" in page.text  # the sender's report, kept in the audit log
    rows = {r.action: r for r in await audited(engine)}
    assert rows["draf-pengumuman"].who == "admin"
    assert rows["draf-pengumuman"].target == "pengumuman #1"
    assert TEXT in (rows["draf-pengumuman"].after or "")
    assert (rows["kirim-pengumuman"].before, rows["kirim-pengumuman"].after) == (
        "draf",
        "dikirim ke 5 pelanggan",
    )
    assert rows["laporan-pengumuman"].who == "(bot)"
    assert "Terkirim: 5" in (rows["laporan-pengumuman"].after or "")
    again = await decide(web, shown, "kirim")  # pressed twice: nothing is sent again
    assert again.status_code == 409
    assert "Pengumuman #1 sudah dikirim." in again.text
    assert len(telegram.sent) + len(whatsapp.sent) == 5


@pytest.mark.parametrize(
    ("text", "refusal"),
    [
        ("", "Tulis dulu teks pengumumannya."),
        (" \r\n\t ", "Tulis dulu teks pengumumannya."),
        ("x" * (MAX_TEXT + 1), f"({MAX_TEXT + 1} karakter). Maksimal {MAX_TEXT} karakter."),
    ],
)
async def test_the_refusals_of_umumkan_store_nothing(
    web: Console, engine: AsyncEngine, text: str, refusal: str
) -> None:
    await login(web.client, "admin")
    refused = await preview(web, text)
    assert refused.status_code == 400
    assert refusal in refused.text
    assert "Pratinjau pengumuman" not in refused.text
    assert await drafts_stored(engine) == 0
    assert await audited(engine) == []


async def test_a_text_at_the_limit_counts_line_breaks_as_telegram_does(
    web: Console, engine: AsyncEngine
) -> None:
    await login(web.client, "admin")
    text = ("a" * 99 + "\r\n") * (MAX_TEXT // 100)  # exactly MAX_TEXT once CRLF is "\n"
    assert (await preview(web, text)).status_code == 200
    assert await drafts_stored(engine) == 1


async def test_batal_cancels_and_kirim_then_refuses(web: Console, engine: AsyncEngine) -> None:
    telegram = await subscribed(web, "telegram", 1)
    await login(web.client, "admin")
    shown = await preview(web, TEXT)
    cancelled = await decide(web, shown, "batal")
    assert cancelled.status_code == 303
    page = await web.client.get(cancelled.headers["location"])
    assert "Pengumuman #1 dibatalkan. Tidak ada yang dikirim." in page.text
    late = await decide(web, shown, "kirim")
    assert late.status_code == 409
    assert "Pengumuman #1 sudah dibatalkan." in late.text
    unknown = await web.client.post(
        "/admin/siaran/kirim", data={"csrf": field(page.text, "csrf"), "id": "99999999999999"}
    )
    assert unknown.status_code == 404
    await web.app.announcements.sender.settled()
    assert telegram.sent == []
    actions = [(r.action, r.after) for r in await audited(engine)]
    assert actions == [("batal-pengumuman", None), ("draf-pengumuman", TEXT)]


async def test_set_outage_notice_is_shown_by_the_bot_until_cleared(
    web: Console, engine: AsyncEngine
) -> None:
    assert not any("Info gangguan" in t for t in await bot_says(web, "zxqv qwrt plonk", "1"))
    await login(web.client, "admin")
    page = await web.client.get("/admin/gangguan")
    assert "Tidak ada info gangguan yang terpasang." in page.text
    csrf = field(page.text, "csrf")
    text = f"{OUTAGE}\r\nInfo lain: {PHONE}"
    done = await web.client.post("/admin/gangguan/pasang", data={"csrf": csrf, "teks": text})
    assert done.status_code == 303
    page = await web.client.get(done.headers["location"])
    assert "Info gangguan dipasang." in page.text
    assert "oleh admin" in page.text
    assert OUTAGE in page.text
    assert PHONE not in page.text
    for question, chat in (("zxqv qwrt plonk", "2"), ("aplikasi m-paspor tidak bisa dibuka", "3")):
        first = (await bot_says(web, question, chat))[0]
        assert first.startswith("⚠️ Info gangguan M-Paspor (sejak ")
        assert OUTAGE in first
        assert PHONE not in first
    assert OUTAGE not in " ".join(await bot_says(web, "berapa biaya paspor", "4"))
    done = await web.client.post("/admin/gangguan/cabut", data={"csrf": csrf})
    assert "Info gangguan dicabut." in (await web.client.get(done.headers["location"])).text
    assert not any("Info gangguan" in t for t in await bot_says(web, "zxqv qwrt plonk", "5"))
    again = await web.client.post("/admin/gangguan/cabut", data={"csrf": csrf})
    assert "pesan=tidak-ada" in again.headers["location"]
    rows = [(r.who, r.action, r.target, r.before, r.after) for r in await audited(engine)]
    pinned = rows[1][4]
    assert pinned is not None
    assert OUTAGE in pinned
    assert PHONE not in pinned
    assert rows == [
        ("admin", "cabut-gangguan", "info gangguan", pinned, None),
        ("admin", "pasang-gangguan", "info gangguan", None, pinned),
    ]


async def test_replacing_and_clearing_with_selesai_as_on_telegram(
    web: Console, engine: AsyncEngine
) -> None:
    await login(web.client, "admin")
    csrf = field((await web.client.get("/admin/gangguan")).text, "csrf")
    for text in ("Gangguan login.", OUTAGE):
        await web.client.post("/admin/gangguan/pasang", data={"csrf": csrf, "teks": text})
    page = await web.client.get("/admin/gangguan")
    assert OUTAGE in page.text
    assert "Gangguan login." not in page.text
    assert "Ganti info gangguan" in page.text
    for empty in ("", "   "):
        refused = await web.client.post(
            "/admin/gangguan/pasang", data={"csrf": csrf, "teks": empty}
        )
        assert refused.status_code == 400
        assert "Tulis dulu teks info gangguannya" in refused.text
    long = await web.client.post("/admin/gangguan/pasang", data={"csrf": csrf, "teks": "x" * 3501})
    assert long.status_code == 400
    assert "(3501 karakter). Maksimal 3500 karakter." in long.text
    done = await web.client.post("/admin/gangguan/pasang", data={"csrf": csrf, "teks": "Selesai"})
    assert "pesan=dicabut" in done.headers["location"]
    assert await web.app.outage.outage() is None
    rows = [(r.action, r.before, r.after) for r in await audited(engine)]
    assert rows == [
        ("cabut-gangguan", OUTAGE, None),
        ("pasang-gangguan", "Gangguan login.", OUTAGE),
        ("pasang-gangguan", None, "Gangguan login."),
    ]


async def test_petugas_reads_both_pages_but_every_change_is_403(
    web: Console, engine: AsyncEngine
) -> None:
    await web.app.outage.pin(OUTAGE, "admin")
    await login(web.client, "petugas")
    siaran = await web.client.get("/admin/siaran")
    assert siaran.status_code == 200
    assert "Hanya admin yang dapat mengirim pengumuman." in siaran.text
    assert "/admin/siaran/pratinjau" not in siaran.text
    gangguan = await web.client.get("/admin/gangguan")
    assert gangguan.status_code == 200
    assert OUTAGE in gangguan.text
    assert "/admin/gangguan/pasang" not in gangguan.text
    assert "/admin/gangguan/cabut" not in gangguan.text
    data = {"csrf": field(siaran.text, "csrf"), "teks": TEXT, "id": "1"}
    for path in ACTIONS + OUTAGE_ACTIONS:
        assert (await web.client.post(path, data=data)).status_code == 403, path
    assert await drafts_stored(engine) == 0
    assert (await web.app.outage.outage()) is not None
    assert await audited(engine) == []


async def test_no_session_goes_to_login_and_a_wrong_csrf_is_403(
    web: Console, engine: AsyncEngine
) -> None:
    for path in ("/admin/siaran", "/admin/gangguan"):
        found = await web.client.get(path)
        assert (found.status_code, found.headers["location"]) == (303, "/admin/login")
    for path in ACTIONS + OUTAGE_ACTIONS:
        found = await web.client.post(path, data={"teks": TEXT, "id": "1"})
        assert (found.status_code, found.headers["location"]) == (303, "/admin/login")
    await login(web.client, "admin")
    for path in ACTIONS + OUTAGE_ACTIONS:
        found = await web.client.post(path, data={"csrf": "falsch", "teks": TEXT, "id": "1"})
        assert found.status_code == 403, path
    assert await drafts_stored(engine) == 0
    assert await web.app.outage.outage() is None
    assert await audited(engine) == []


async def test_both_pages_are_in_the_menu_with_the_security_headers(web: Console) -> None:
    await login(web.client, "admin")
    for path, title in (("/admin/siaran", "Siaran"), ("/admin/gangguan", "Gangguan")):
        page = await web.client.get(path)
        assert page.status_code == 200
        assert f'<a href="{path}" class=on>{title}</a>' in page.text
        assert page.headers["x-frame-options"] == "DENY"
        assert page.headers["cache-control"] == "no-store"
        assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
    overview = await web.client.get("/admin/")
    assert '<a href="/admin/siaran">Siaran</a>' in overview.text
    assert '<a href="/admin/gangguan">Gangguan</a>' in overview.text
