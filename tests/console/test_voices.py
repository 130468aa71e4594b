"""Suara pemohon in the console (issue 19), on SQLite and PostgreSQL: counts by topic and week
as the report has them, redacted messages, and an admin marking one handled (audited)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.core.vocabulary import ComplaintRecord
from bot.storage import Store
from bot.storage.tables import ComplaintRow

from .helpers import NIK, PHONE, Console, field, logged, login


async def heard(
    engine: AsyncEngine, text: str, kind: str = "keluhan", topic: str = "antrean"
) -> int:
    """A complaint or suggestion of today, logged with its question; its id."""
    store = Store(engine)
    question_id = await store.log_question(logged(text, "answer", faq_id="biaya-paspor"))
    at = dt.datetime.now(dt.UTC)
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
    assert "Keluhan: 2 · Saran: 1" in page.text
    assert "Per topik dan minggu" in page.text
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
    page = await web.client.get("/admin/suara?hari=7")
    assert "Tandai sudah ditangani" in page.text
    note = f"Loket 3 dibuka lebih pagi; hubungi {PHONE}"
    data = {"csrf": field(page.text, "csrf"), "id": str(voice_id), "hari": "7", "catatan": note}
    done = await web.client.post("/admin/suara/tangani", data=data)
    assert done.status_code == 303
    assert done.headers["location"] == "/admin/suara?hari=7&pesan=ditangani"
    page = await web.client.get(done.headers["location"])
    assert "Tersimpan sebagai sudah ditangani." in page.text
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
