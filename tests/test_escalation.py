"""Tickets end to end through the core on a real database; the staff chat and the applicant's
channel are recording fakes (the transport edges)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine
from support.rows import count_questions, recent_questions

from bot.core.conversation import Conversation
from bot.core.escalation import AGENT, Escalation
from bot.core.hours import OfficeHours
from bot.core.replies import FLOOD, HOURS_UNKNOWN, TICKET_ASK_QUESTION, TICKET_NO_QUESTION
from bot.core.turns import FLOOD_LOG_CHARS, Options
from bot.core.vocabulary import Incoming, Reply, Ticket
from bot.storage import Store
from knowledge.loader import load
from knowledge.matcher import Matcher

ROOT = Path(__file__).resolve().parents[1]
WEDNESDAY_10_WIB = dt.datetime(2026, 11, 25, 3, 0, tzinfo=dt.UTC)


class RecordingOfficers:
    def __init__(self) -> None:
        self.tickets: list[Ticket] = []
        self.notes: list[tuple[int, str]] = []

    async def post_ticket(self, ticket: Ticket, context: Sequence[str]) -> bool:
        self.tickets.append(ticket)
        return True

    async def post_note(self, ticket: Ticket, text: str) -> None:
        self.notes.append((ticket.id, text))


class RecordingApplicants:
    def __init__(self) -> None:
        self.delivered: list[tuple[str, str, Reply]] = []

    async def deliver(self, channel: str, chat_id: str, replies: Sequence[Reply]) -> None:
        self.delivered.extend((channel, chat_id, r) for r in replies)


class Clock:
    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher(load(ROOT / "faq.yaml"))


@pytest.fixture
def clock() -> Clock:
    return Clock(WEDNESDAY_10_WIB)


@pytest.fixture
def store(engine: AsyncEngine, clock: Clock) -> Store:
    """The store on the same clock as escalation, so ticket ages are under test control."""
    return Store(engine, clock=clock)


@pytest.fixture
def officers() -> RecordingOfficers:
    return RecordingOfficers()


@pytest.fixture
def applicants() -> RecordingApplicants:
    return RecordingApplicants()


@pytest.fixture
def escalation(
    store: Store, officers: RecordingOfficers, applicants: RecordingApplicants, clock: Clock
) -> Escalation:
    return Escalation(
        store,
        officers,
        applicants,
        history=store,
        hours=OfficeHours.parse("mon-fri 08:00-16:00"),
        applicant_hours=HOURS_UNKNOWN,
        remind_after=dt.timedelta(minutes=30),
        clock=clock,
    )


@pytest.fixture
def core(matcher: Matcher, store: Store, escalation: Escalation) -> Conversation:
    return Conversation(
        matcher, store, salt="s", options=Options(flood_per_minute=6), escalation=escalation
    )


def says(text: str, chat: str = "42") -> Incoming:
    return Incoming("test", chat, chat, text)


async def test_fallback_offers_a_person(core: Conversation) -> None:
    replies = await core.handle(says("cuaca besok cerah tidak ya"))
    assert AGENT in [b.data for b in replies[0].buttons]


async def test_ticket_round_trip(
    core: Conversation,
    escalation: Escalation,
    officers: RecordingOfficers,
    applicants: RecordingApplicants,
    store: Store,
) -> None:
    await core.handle(says("apakah paspor bisa dipakai untuk menyeberang ke pulau kecil"))
    opened = await core.handle(says(AGENT))
    (ticket,) = officers.tickets
    assert f"#{ticket.id}" in opened[0].text
    assert ticket.question == "apakah paspor bisa dipakai untuk menyeberang ke pulau kecil"
    more = await core.handle(says("oh iya saya dari kalianda"))
    assert f"#{ticket.id}" in more[0].text
    assert officers.notes[-1][0] == ticket.id
    assert (await escalation.claim(ticket.id, "7", "Bu Rina")).won
    answered = await escalation.answer(ticket.id, "7", "Bu Rina", "Bisa, bawa paspor asli ya.")
    assert answered is not None
    (channel, chat, reply) = applicants.delivered[-1]
    assert (channel, chat) == ("test", "42")
    assert "Bisa, bawa paspor asli ya." in reply.text
    await escalation.close(ticket.id)
    assert "ditutup" in applicants.delivered[-1][2].text
    after = await core.handle(says("terima kasih"))
    assert "#" not in after[0].text  # no ticket any more: an ordinary answer
    thread = await store.ticket_messages(ticket.id)
    assert [m.author for m in thread] == ["applicant", "applicant", "officer"]


async def test_typed_request_without_question_asks_for_it(
    core: Conversation, officers: RecordingOfficers
) -> None:
    replies = await core.handle(says("saya mau tanya petugas"))
    assert TICKET_ASK_QUESTION in replies[0].text
    assert officers.tickets[0].question == TICKET_NO_QUESTION


async def test_second_request_joins_the_open_ticket(
    core: Conversation, officers: RecordingOfficers
) -> None:
    await core.handle(says("pertanyaan aneh sekali"))
    await core.handle(says(AGENT))
    again = await core.handle(says(AGENT))
    assert len(officers.tickets) == 1
    assert f"#{officers.tickets[0].id}" in again[0].text


async def test_applicant_can_close_after_an_answer(
    core: Conversation,
    escalation: Escalation,
    officers: RecordingOfficers,
    applicants: RecordingApplicants,
) -> None:
    await core.handle(says(AGENT))
    ticket = officers.tickets[0]
    await escalation.answer(ticket.id, "7", "Pak Joko", "Silakan datang hari Senin.")
    done = applicants.delivered[-1][2].buttons[0].data
    replies = await core.handle(says(done))
    assert "ditutup" in replies[0].text
    assert "ditutup oleh pemohon" in officers.notes[-1][1]
    assert await escalation.active(says("x")) is None


async def test_reminders_only_in_office_hours_and_once_per_period(
    core: Conversation,
    escalation: Escalation,
    officers: RecordingOfficers,
    clock: Clock,
) -> None:
    await core.handle(says(AGENT))
    assert await escalation.remind() == []
    clock.now += dt.timedelta(minutes=31)
    assert len(await escalation.remind()) == 1
    assert await escalation.remind() == []
    clock.now += dt.timedelta(hours=14)  # 00:30 WIB: outside office hours
    assert await escalation.remind() == []


async def test_an_unknown_command_with_a_ticket_open_is_not_forwarded(
    core: Conversation, officers: RecordingOfficers, store: Store
) -> None:
    await core.handle(says("apakah paspor bisa dipakai untuk menyeberang ke pulau kecil"))
    await core.handle(says(AGENT))
    (ticket,) = officers.tickets
    replies = await core.handle(says("/lacak 3201234567890001"))
    assert officers.notes == []
    assert f"#{ticket.id}" not in replies[0].text
    assert [m.author for m in await store.ticket_messages(ticket.id)] == ["applicant"]


async def test_flood_guard_warns_once_then_stays_quiet(core: Conversation, store: Store) -> None:
    answers = [await core.handle(says(f"biaya paspor {n}")) for n in range(8)]
    flood = [r for r in answers if r and r[0].text == FLOOD]
    assert len(flood) == 1
    assert answers[-1] == []
    assert await count_questions(store) == 8  # every message is still logged


async def test_a_flooded_message_is_logged_as_its_redacted_beginning_only(
    core: Conversation, store: Store
) -> None:
    for n in range(6):
        await core.handle(says(f"biaya paspor {n}"))
    # A NIK cut in half at the end of what is read, then one far beyond it.
    nik_at_cut = "x " * 90 + "NIK saya 3201 2345 6789 0123"
    nik_far = "tolong " * 600 + "NIK 3201234567890123"
    await core.handle(says(nik_at_cut))
    # Quiet after the one notice: personal data in a flooded message gets no warning either.
    assert await core.handle(says("NIK saya 3201234567890123")) == []
    await core.handle(says(nik_far))
    far, _, at_cut = await recent_questions(store, limit=3)
    assert "flood" in at_cut.flags
    assert "flood" in far.flags
    assert at_cut.text_redacted.rstrip(".…").endswith("NIK saya")
    # Only the beginning was scanned: the far NIK was never read, so never flagged.
    assert len(far.text_redacted) <= FLOOD_LOG_CHARS + 1
    assert not [flag for flag in far.flags if flag.startswith("pii")]
    assert (far.normalized, at_cut.normalized) == ("", "")  # not matched either
    for record in (far, at_cut):
        assert not any(group in record.text_redacted for group in ("3201", "2345", "0123"))
