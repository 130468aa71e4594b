"""`kb suggest` per office (issue 21), on SQLite and PostgreSQL: a group of unanswered
questions all asked at one office drafts an entry of that office, and the learning round
queues it as that office's draft; a group asked at several offices stays national."""

from __future__ import annotations

import dataclasses
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncEngine

from bot.storage import Store
from bot.storage.drafts import Drafts
from bot.storage.evidence import EvidenceQueries
from bot.suggestions.plan import NewEntry, Planner
from bot.suggestions.proposer import propose
from knowledge.matcher import Matcher
from knowledge.policy import Thresholds

from .helpers import NOW, record
from .test_sources import ATM, PETS, proposal_for

# PETS asked at Kotabumi only; ATM at Kotabumi and Kalianda.
ASKED = [(text, "kotabumi") for text in PETS] + [
    (text, office) for text, office in zip(ATM, ("kotabumi", "kalianda") * 2, strict=True)
]


async def _log(store: Store) -> None:
    for user, (text, office) in enumerate(ASKED):
        logged = record(text, "fallback", user=f"p{user}")
        await store.log_question(dataclasses.replace(logged, office_id=office))


def _pets_and_atm(entries: tuple[NewEntry, ...]) -> tuple[NewEntry, NewEntry]:
    atm, pets = sorted(entries, key=lambda entry: "hewan" in entry.questions[0])
    return pets, atm


async def test_a_group_asked_at_one_office_is_that_offices(
    engine: AsyncEngine, store: Store, matcher: Matcher
) -> None:
    await _log(store)
    pets, atm = _pets_and_atm((await proposal_for(engine, matcher)).entries)
    assert pets.office_id == "kotabumi"
    assert atm.office_id is None
    assert atm.notes[0].startswith("4 pertanyaan tidak terjawab")


async def test_the_learning_round_queues_it_as_the_offices_draft(
    engine: AsyncEngine, store: Store, matcher: Matcher
) -> None:
    await _log(store)
    drafts = Drafts(engine)
    # A pending draft of Kalianda worded as the Kotabumi group: merged, they are national.
    await drafts.add(source="ticket", questions=[PETS[0]], office_id="kalianda")
    merged = await proposal_for(engine, matcher)
    assert _pets_and_atm(merged.entries)[0].office_id is None
    (pending,) = await drafts.pending()
    await drafts.decide(pending.id, "rejected")
    planner = Planner(matcher, thresholds=Thresholds(), zone=ZoneInfo("Asia/Jakarta"))
    added = await propose(EvidenceQueries(engine), drafts, planner, now=NOW)
    offices = {d.questions[0] in PETS: d.office_id for d in added if d.entry_id is None}
    assert offices == {True: "kotabumi", False: None}
    stored = {d.id: d.office_id for d in await drafts.pending()}
    assert stored == {d.id: d.office_id for d in added}
