"""Tickets per office in the core, on a real database: a new ticket takes the applicant's
office, and a handover moves it, tells the old and the new office and the applicant once."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.core.escalation import Escalation
from bot.core.handover import Handover, find_office, office_name
from bot.core.hours import OfficeHours
from bot.core.ticket_step import Asker, ticket_step
from bot.core.turns import Turn
from bot.core.vocabulary import Incoming, Reply, Ticket
from bot.storage import Store
from knowledge.matcher import Matcher
from knowledge.office_file import load_offices
from knowledge.offices import OfficeDirectory

ROOT = Path(__file__).resolve().parents[2]


class Groups:
    """Records each post and note with the office the ticket was in when it was sent."""

    def __init__(self) -> None:
        self.posts: list[tuple[int, str | None]] = []
        self.notes: list[tuple[str | None, str]] = []

    async def post_ticket(self, ticket: Ticket, context: Sequence[str]) -> bool:
        self.posts.append((ticket.id, ticket.office_id))
        return True

    async def post_note(self, ticket: Ticket, text: str) -> None:
        self.notes.append((ticket.office_id, text))


class Applicant:
    def __init__(self) -> None:
        self.got: list[tuple[str, Reply]] = []

    async def deliver(self, channel: str, chat_id: str, replies: Sequence[Reply]) -> None:
        self.got.extend((chat_id, reply) for reply in replies)


@pytest.fixture(scope="module")
def offices() -> OfficeDirectory:
    return load_offices(ROOT / "offices.yaml")


@pytest.fixture
def groups() -> Groups:
    return Groups()


@pytest.fixture
def applicant() -> Applicant:
    return Applicant()


@pytest.fixture
def escalation(engine: AsyncEngine, groups: Groups, applicant: Applicant) -> Escalation:
    store = Store(engine)
    return Escalation(
        store,
        groups,
        applicant,
        history=store,
        hours=OfficeHours.parse("mon-sun 00:00-23:59"),
        applicant_hours="",
        remind_after=dt.timedelta(minutes=30),
    )


@dataclass(frozen=True)
class Desk:
    """The escalation and the handover over one database, with what they told whom."""

    escalation: Escalation
    handover: Handover
    groups: Groups
    applicant: Applicant


@pytest.fixture
def desk(
    engine: AsyncEngine,
    escalation: Escalation,
    groups: Groups,
    applicant: Applicant,
    offices: OfficeDirectory,
) -> Desk:
    handover = Handover(escalation, Store(engine), groups, applicant, offices=offices)
    return Desk(escalation, handover, groups, applicant)


@pytest.mark.parametrize(
    ("typed", "office_id"),
    [
        ("kotabumi", "kotabumi"),
        ("KOTABUMI", "kotabumi"),
        ("bandar-lampung", "bandar-lampung"),
        ("bandar  lampung", "bandar-lampung"),
        ("Kantor Imigrasi Kalianda", "kalianda"),
        ("Kantor Imigrasi Kelas II Non TPI Kotabumi", "kotabumi"),
    ],
)
def test_an_office_is_found_by_id_or_name(
    offices: OfficeDirectory, typed: str, office_id: str
) -> None:
    found = find_office(offices, typed)
    assert found is not None
    assert found.id == office_id


@pytest.mark.parametrize("typed", ["metro", "", "kantor imigrasi", "kota"])
def test_an_unknown_office_is_none(offices: OfficeDirectory, typed: str) -> None:
    assert find_office(offices, typed) is None
    assert find_office(None, "kotabumi") is None


def test_office_names(offices: OfficeDirectory) -> None:
    assert office_name(offices, "kotabumi") == "Kantor Imigrasi Kotabumi"
    assert office_name(offices, "nowhere") == "nowhere"
    assert office_name(offices, None) == "grup petugas utama"


async def test_a_new_ticket_takes_the_applicants_office(
    escalation: Escalation, groups: Groups, matcher_asker: Asker
) -> None:
    message = Incoming("telegram", "77", "77", "mau tanya petugas")
    turn = await ticket_step(escalation, message, message.text, matcher_asker)
    assert turn is not None
    ticket = await escalation.active(message)
    assert ticket is not None
    assert ticket.office_id == "kotabumi"
    assert groups.posts == [(ticket.id, "kotabumi")]


@pytest.fixture
def matcher_asker(matcher: Matcher) -> Asker:
    """An applicant of Kotabumi's office (the conversation fills the office in)."""
    return Asker("h" * 64, matcher.kb, unread, lambda _: (), office_id="kotabumi")


def unread(text: str) -> Turn:
    raise AssertionError(f"a request for a person is not read as a question: {text}")


async def opened(escalation: Escalation, office_id: str | None) -> Ticket:
    message = Incoming("telegram", "77", "77", "#agent")
    ticket, _ = await escalation.open(message, "h" * 64, lambda _: (), office_id=office_id)
    return ticket


async def test_a_handover_tells_both_offices_and_the_applicant(
    desk: Desk, offices: OfficeDirectory
) -> None:
    ticket = await opened(desk.escalation, "kotabumi")
    kalianda = offices.get("kalianda")
    assert kalianda is not None

    moved = await desk.handover.move(ticket, kalianda, "Rina\u202e")

    assert moved is not None
    assert moved.office_id == "kalianda"
    assert desk.groups.posts == [(ticket.id, "kotabumi"), (ticket.id, "kalianda")]
    (away, into) = desk.groups.notes
    assert away == (
        "kotabumi",
        f"➡ Tiket #{ticket.id} dipindah ke Kantor Imigrasi Kalianda oleh Rina.",
    )
    assert into[0] == "kalianda"
    assert into[1].startswith(
        f"⬅ Tiket #{ticket.id} dipindah dari Kantor Imigrasi Kotabumi oleh Rina."
    )
    assert "• Pemohon: " in into[1]
    assert desk.applicant.got == [
        (
            "77",
            Reply(
                f"Pertanyaan Anda (tiket #{ticket.id}) kami teruskan ke Kantor Imigrasi "
                "Kalianda. Petugas di sana akan membalas di chat ini."
            ),
        )
    ]


async def test_racing_handovers_tell_everyone_once(desk: Desk, offices: OfficeDirectory) -> None:
    ticket = await opened(desk.escalation, None)
    targets = [offices.get("kalianda"), offices.get("kotabumi")]
    results = await asyncio.gather(
        *(
            desk.handover.move(ticket, office, f"Petugas {n}")
            for n, office in enumerate(targets)
            if office
        )
    )
    winners = [r for r in results if r is not None]
    assert len(winners) == 1
    assert len(desk.groups.posts) == 2  # the ticket when opened, and in its new office
    assert len(desk.applicant.got) == 1
