"""Data of three offices for the console's office tests: the account `kotabumi` (an admin of
Kotabumi only), an unanswered question and a complaint asked at Kotabumi ("lampura") and at
Kalianda ("lamsel"), and a draft of each office and a national one."""

from __future__ import annotations

import dataclasses

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.core.vocabulary import ComplaintRecord
from bot.storage import Store
from bot.storage.console import ConsoleStore
from bot.storage.drafts import Drafts
from bot.storage.tables import ComplaintRow

from .helpers import CHEAP, PASSWORD, logged

LAMPURA, LAMSEL = "pertanyaan dari lampura", "pertanyaan dari lamsel"


async def office_account(engine: AsyncEngine, name: str, office: str) -> None:
    """An admin account of `office` only."""
    assert await ConsoleStore(engine).add_account(
        name, "admin", CHEAP.hash(PASSWORD), office=office
    )


async def asked_at(engine: AsyncEngine, text: str, office: str) -> int:
    """An unanswered question and a complaint (in a question of its own) asked at `office`."""
    record = dataclasses.replace(logged(text, "fallback", near="biaya-paspor"), office_id=office)
    await Store(engine).log_question(record)
    question = await Store(engine).log_question(dataclasses.replace(record, text_redacted="x"))
    await Store(engine).add_complaint(
        ComplaintRecord(question, "telegram", "keluhan", "antrian", None, f"keluhan {text}")
    )
    return question


async def seed_offices(engine: AsyncEngine) -> None:
    """The account `kotabumi`, each office's question and complaint, and the drafts."""
    await office_account(engine, "kotabumi", "kotabumi")
    await asked_at(engine, LAMPURA, "kotabumi")
    await asked_at(engine, LAMSEL, "kalianda")
    drafts = Drafts(engine)
    await drafts.add(source="cluster", questions=["draf kotabumi"], office_id="kotabumi")
    await drafts.add(source="cluster", questions=["draf kalianda"], office_id="kalianda")
    await drafts.add(source="cluster", questions=["draf nasional"])


async def voice_id(engine: AsyncEngine, text: str) -> int:
    """The id of the complaint `asked_at` made from `text`."""
    async with engine.connect() as connection:
        found = await connection.scalar(
            select(ComplaintRow.id).where(ComplaintRow.text_redacted == f"keluhan {text}")
        )
    assert found is not None
    return int(found)
