"""Suara pemohon in the console (issue 19), on SQLite and PostgreSQL: counts by topic and week
as the report has them, filters by topic, week and handling (each count table counting what
the other filters leave), redacted messages, and an admin marking one handled (audited, back to
the same filters)."""

from __future__ import annotations

import asyncio
import datetime as dt
import re
from pathlib import Path
from urllib.parse import parse_qsl
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine
from support.browser import chrome, scrolls_sideways, shots_folder, whole_page

from bot.console.voice_filter import choose
from bot.core.vocabulary import ComplaintRecord
from bot.storage import Store
from bot.storage.console_voices import VoiceStore
from bot.storage.tables import ComplaintRow

from .helpers import NIK, PHONE, Console, field, logged, login

ZONE = ZoneInfo("Asia/Jakarta")  # the office's zone in the test settings


def counts(page: str, label: str) -> list[str]:
    """Keluhan, saran and belum ditangani of the count row named `label`."""
    for row in re.findall(r"<tr>(.*?)</tr>", page):
        cells = [re.sub(r"<[^>]+>", "", cell) for cell in re.findall(r"<td[^>]*>(.*?)</td>", row)]
        if cells and cells[0] == label:
            return cells[1:]
    raise AssertionError(f"no row {label}")


def listed(page: str) -> list[str]:
    """The texts of the messages listed, in order."""
    return re.findall(r"<div class=bubble>(.*?)</div>", page)


async def heard(
    engine: AsyncEngine,
    text: str,
    kind: str = "keluhan",
    topic: str = "antrean",
    *,
    days_ago: int = 0,
) -> int:
    """A complaint or suggestion of today (or `days_ago`), logged with its question; its id."""
    store = Store(engine)
    question_id = await store.log_question(logged(text, "answer", faq_id="biaya-paspor"))
    at = dt.datetime.now(dt.UTC) - dt.timedelta(days=days_ago)
    await store.add_complaint(
        ComplaintRecord(question_id, "telegram", kind, topic, "biaya-paspor", text, at)
    )
    async with engine.connect() as connection:
        found = await connection.execute(
            select(ComplaintRow.id).where(ComplaintRow.question_id == question_id)
        )
        return int(found.scalar_one())


async def test_voices_by_topic_and_week_redacted_and_read_only_for_petugas(
    web: Console, engine: AsyncEngine
) -> None:
    await heard(engine, "antre dari pagi belum dipanggil")
    await heard(engine, "tolong tambah kuota hari sabtu", kind="saran")
    await heard(engine, f"nik saya {NIK} ditolak terus")  # a redaction the log missed
    await login(web.client, "petugas")
    page = await web.client.get("/admin/suara")
    assert page.status_code == 200
    assert "Keluhan: 2 · Saran: 1 · Belum ditangani: 3" in page.text
    assert "Paling banyak dikeluhkan: Antrean dan kuota (2)" in page.text
    assert counts(page.text, "Antrean dan kuota") == ["2", "1", "3"]
    assert counts(page.text, "Semua minggu") == ["2", "1", "3"]
    assert "antre dari pagi belum dipanggil" in page.text
    assert NIK not in page.text
    assert "[NIK]" in page.text
    assert "Belum ditangani." in page.text
    assert "/admin/suara/tangani" not in page.text
    for days in (7, 90):
        assert (await web.client.get(f"/admin/suara?hari={days}")).status_code == 200


async def test_an_admin_marks_one_handled_with_a_note_and_it_is_audited(
    web: Console, engine: AsyncEngine
) -> None:
    voice_id = await heard(engine, "antre dari pagi belum dipanggil")
    await login(web.client, "admin")
    filters = "hari=7&topik=antrean&status=belum"
    page = await web.client.get(f"/admin/suara?{filters}")
    assert "Tandai sudah ditangani" in page.text
    # The filters ride along in the form, so the page comes back as it was.
    assert '<input type=hidden name="topik" value="antrean">' in page.text
    note = f"Loket 3 dibuka lebih pagi; hubungi {PHONE}"
    data = {"csrf": field(page.text, "csrf"), "id": str(voice_id), "catatan": note}
    data |= {"hari": "7", "topik": "antrean", "status": "belum"}
    done = await web.client.post("/admin/suara/tangani", data=data)
    assert done.status_code == 303
    assert done.headers["location"] == f"/admin/suara?{filters}&pesan=ditangani"
    page = await web.client.get(done.headers["location"])
    assert "Tersimpan sebagai sudah ditangani." in page.text
    assert listed(page.text) == []  # handled now: "belum ditangani" leaves it out
    assert counts(page.text, "Antrean dan kuota") == ["1", "0", "0"]
    page = await web.client.get("/admin/suara?hari=7&status=sudah")
    assert "oleh admin: Loket 3 dibuka lebih pagi" in page.text
    assert PHONE not in page.text
    assert "Ubah catatan" in page.text
    async with engine.connect() as connection:
        row = (
            await connection.execute(
                select(ComplaintRow.handled_by, ComplaintRow.note, ComplaintRow.handled_at)
            )
        ).one()
    assert row.handled_by == "admin"
    assert row.handled_at is not None
    assert PHONE not in row.note  # stored redacted
    audit = (await web.client.get("/admin/audit")).text
    assert "tangani-suara" in audit
    assert f"suara #{voice_id}" in audit


async def test_an_empty_note_or_an_unknown_message_changes_nothing(
    web: Console, engine: AsyncEngine
) -> None:
    voice_id = await heard(engine, "antre dari pagi belum dipanggil")
    await login(web.client, "admin")
    page = await web.client.get("/admin/suara")
    data = {"csrf": field(page.text, "csrf"), "id": str(voice_id), "catatan": "  "}
    refused = await web.client.post("/admin/suara/tangani", data=data)
    assert refused.status_code == 400
    assert "Tulis singkat apa yang dilakukan kantor" in refused.text
    data |= {"id": str(voice_id + 99), "catatan": "sudah"}
    assert (await web.client.post("/admin/suara/tangani", data=data)).status_code == 404
    async with engine.connect() as connection:
        assert (await connection.execute(select(ComplaintRow.handled_at))).scalar_one() is None
    assert "tangani-suara" not in (await web.client.get("/admin/audit")).text


async def test_filters_by_topic_week_and_handling_with_counts_for_each(
    web: Console, engine: AsyncEngine
) -> None:
    await heard(engine, "antre dari pagi belum dipanggil")
    app_id = await heard(engine, "aplikasinya error terus", topic="aplikasi")
    await heard(engine, "tolong tambah kuota sabtu", kind="saran", days_ago=10)
    assert await VoiceStore(engine).handle_voice(app_id, "admin", "dilaporkan ke pusat")
    await login(web.client, "petugas")
    this_week = choose({}, now=dt.datetime.now(dt.UTC), zone=ZONE).weeks[-1]
    week = f"minggu={this_week.first.isoformat()}"

    async def shown(query: str) -> str:
        page = await web.client.get(f"/admin/suara?{query}")
        assert page.status_code == 200
        return page.text

    everything = await shown("")
    assert listed(everything) == [
        *(
            "aplikasinya error terus",
            "antre dari pagi belum dipanggil",
            "tolong tambah kuota sabtu",
        )
    ]
    assert "3 pesan; teks sudah disamarkan." in everything
    page = await shown("topik=antrean")
    assert listed(page) == ["antre dari pagi belum dipanggil", "tolong tambah kuota sabtu"]
    assert "2 pesan (Antrean dan kuota)" in page
    assert counts(page, "Semua minggu") == ["1", "1", "2"]  # the weeks count the topic only
    assert counts(page, "Semua topik") == ["2", "1", "2"]  # the topics are all counted
    assert '<option value="antrean" selected>' in page
    page = await shown("status=belum")
    assert listed(page) == ["antre dari pagi belum dipanggil", "tolong tambah kuota sabtu"]
    assert listed(await shown("status=sudah")) == ["aplikasinya error terus"]
    page = await shown(week)
    assert listed(page) == ["aplikasinya error terus", "antre dari pagi belum dipanggil"]
    assert counts(page, "Aplikasi M-Paspor") == ["1", "0", "0"]
    assert counts(page, "Antrean dan kuota") == ["1", "0", "1"]  # this week's only
    page = await shown(f"topik=antrean&{week}&status=belum")
    assert listed(page) == ["antre dari pagi belum dipanggil"]
    page = await shown(f"topik=aplikasi&{week}&status=belum")
    assert listed(page) == []
    assert "Tidak ada pesan (Aplikasi M-Paspor, minggu" in page


async def test_filters_the_page_does_not_understand_are_left_out(
    web: Console, engine: AsyncEngine
) -> None:
    await heard(engine, "antre dari pagi belum dipanggil")
    await login(web.client, "petugas")
    query = "hari=5&topik=%3Cscript%3E&minggu=1999-01-01&status=semua"
    page = await web.client.get(f"/admin/suara?{query}")
    assert page.status_code == 200
    assert "<script>" not in page.text
    assert "<strong>30 hari</strong>" in page.text
    assert listed(page.text) == ["antre dari pagi belum dipanggil"]


def test_a_choice_reads_back_from_its_own_query_string() -> None:
    now = dt.datetime(2026, 11, 30, 5, tzinfo=dt.UTC)  # a Monday in Jakarta
    choice = choose({"hari": "30", "topik": "antrean", "status": "sudah"}, now=now, zone=ZONE)
    assert [w.first for w in choice.weeks][:2] == [dt.date(2026, 11, 1), dt.date(2026, 11, 2)]
    picked = choice.but(week=1)
    assert picked.query() == "hari=30&topik=antrean&minggu=2026-11-02&status=sudah"
    assert choose(dict(parse_qsl(picked.query())), now=now, zone=ZONE) == picked
    chosen = picked.voice_filter()
    assert (chosen.since, chosen.until) == (
        dt.datetime(2026, 11, 1, 17, tzinfo=dt.UTC),  # Monday 2 November, 00:00 WIB
        dt.datetime(2026, 11, 8, 17, tzinfo=dt.UTC),
    )
    assert (chosen.topic, chosen.handled) == ("antrean", True)
    assert choose({}, now=now, zone=ZONE).query() == "hari=30"


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
async def test_the_filtered_page_on_a_laptop_and_a_phone(
    web: Console, engine: AsyncEngine, tmp_path: Path
) -> None:
    """The page as a browser draws it (inline CSS: the saved HTML looks as served)."""
    for n, topic in enumerate(("antrean", "antrean", "aplikasi", "fasilitas", "petugas")):
        await heard(engine, f"keluhan nomor {n}: 👎 lama sekali", topic=topic, days_ago=3 * n)
    await login(web.client, "admin")
    page = await web.client.get("/admin/suara?hari=30&topik=antrean&status=belum")
    saved = tmp_path / "suara.html"
    await asyncio.to_thread(saved.write_text, page.text, encoding="utf-8")
    shots = shots_folder(tmp_path / "layar")
    await asyncio.to_thread(draw, saved, shots)
    print(f"screenshots: {shots}")


def draw(saved: Path, shots: Path) -> None:
    with chrome(width=1280, height=800) as browser:
        browser.get(saved.as_uri())
        for width, name in ((1280, "laptop"), (390, "ponsel")):
            whole_page(browser, width, shots / f"suara-saringan-{name}.png")
            assert not scrolls_sideways(browser)
