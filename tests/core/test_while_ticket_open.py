"""While a ticket is open (issue 17), through the real conversation, escalation and store on
SQLite and PostgreSQL: a question the bot answers confidently is answered and added to the
ticket; anything else goes to the ticket; once an officer has claimed or answered it, every
message goes to the ticket until it is closed or the officer has been idle long enough; a
chat no officer can answer gets the office's contacts instead of a ticket. The staff chat
and the applicant's channel are recording fakes (the transport edges)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine
from support.rows import recent_questions

from bot.core import replies
from bot.core.conversation import Conversation
from bot.core.escalation import AGENT, Escalation
from bot.core.hours import OfficeHours
from bot.core.vocabulary import TO_OFFICER, Incoming, Reply, Ticket
from bot.storage import Store
from knowledge.entries import KnowledgeBase
from knowledge.matcher import Matcher

from .test_short_first import filled

WEDNESDAY_10_WIB = dt.datetime(2026, 11, 25, 3, 0, tzinfo=dt.UTC)
IDLE = dt.timedelta(hours=24)
UNCLEAR = "apakah paspor bisa dipakai untuk menyeberang ke pulau kecil"
FEE = "biayanya berapa?"
FEE_ANSWER = "Rp350.000"


class Clock:
    def __init__(self) -> None:
        self.now = WEDNESDAY_10_WIB

    def __call__(self) -> dt.datetime:
        return self.now


class StaffChat:
    def __init__(self) -> None:
        self.posted: list[int] = []
        self.notes: list[str] = []

    async def post_ticket(self, ticket: Ticket, context: Sequence[str]) -> bool:
        self.posted.append(ticket.id)
        return True

    async def post_note(self, ticket: Ticket, text: str) -> None:
        self.notes.append(text)


class Applicant:
    def __init__(self) -> None:
        self.got: list[Reply] = []

    async def deliver(self, channel: str, chat_id: str, sent: Sequence[Reply]) -> None:
        self.got.extend(sent)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def store(engine: AsyncEngine, clock: Clock) -> Store:
    return Store(engine, clock=clock)


@pytest.fixture
def staff() -> StaffChat:
    return StaffChat()


def escalation_for(
    store: Store, staff: StaffChat, clock: Clock, *, idle: dt.timedelta = IDLE
) -> Escalation:
    return Escalation(
        store,
        staff,
        Applicant(),
        history=store,
        hours=OfficeHours.parse("mon-fri 08:00-16:00"),
        applicant_hours="Senin-Jumat",
        remind_after=dt.timedelta(minutes=30),
        officer_idle=idle,
        unstaffed=frozenset({"terminal"}),
        clock=clock,
    )


@pytest.fixture
def escalation(store: Store, staff: StaffChat, clock: Clock) -> Escalation:
    return escalation_for(store, staff, clock)


@pytest.fixture
def core(matcher: Matcher, store: Store, escalation: Escalation) -> Conversation:
    return Conversation(matcher, store, salt="s", escalation=escalation)


def says(text: str, channel: str = "wa") -> Incoming:
    return Incoming(channel, "42", "42", text)


async def ticket_opened(core: Conversation, escalation: Escalation) -> Ticket:
    """The applicant asks something the bot cannot answer, then asks for a person."""
    await core.handle(says(UNCLEAR))
    await core.handle(says(AGENT))
    ticket = await escalation.active(says(""))
    assert ticket is not None
    return ticket


async def test_a_confident_answer_is_given_and_added_to_the_open_ticket(
    core: Conversation, escalation: Escalation, staff: StaffChat, store: Store
) -> None:
    ticket = await ticket_opened(core, escalation)
    [answer] = await core.handle(says(FEE))
    assert FEE_ANSWER in answer.text
    assert f"#{ticket.id}" not in answer.text  # an answer, not "added to your ticket"
    assert staff.notes == [
        replies.NOTE_BOT_ANSWERED.format(number=ticket.id, title="Biaya paspor", text=FEE)
    ]
    thread = await store.ticket_messages(ticket.id)
    assert [(m.author, m.text) for m in thread][1:] == [
        ("applicant", FEE),
        ("bot", replies.BOT_ANSWERED.format(title="Biaya paspor")),
    ]
    logged = (await recent_questions(store))[0]
    assert (logged.action, logged.faq_id) == ("answer", "biaya-paspor")
    assert logged.flags == (f"ticket:{ticket.id}",)
    assert await escalation.active(says("")) == ticket  # still open for the officers


@pytest.mark.parametrize(
    "text",
    [
        "oh iya saya dari kalianda",  # no question of its own
        "terima kasih",  # small talk answers nothing
        "kemarin saya sudah coba tapi tetap bingung",  # unclear
    ],
)
async def test_anything_else_still_goes_to_the_ticket(
    core: Conversation, escalation: Escalation, staff: StaffChat, store: Store, text: str
) -> None:
    ticket = await ticket_opened(core, escalation)
    [reply] = await core.handle(says(text))
    assert reply.text == replies.TICKET_APPENDED.format(number=ticket.id)
    assert staff.notes == [replies.NOTE_APPLICANT.format(number=ticket.id, text=text)]
    logged = (await recent_questions(store))[0]
    assert (logged.action, logged.flags) == (TO_OFFICER, (f"ticket:{ticket.id}",))


async def test_a_claimed_ticket_belongs_to_the_officer_until_closed(
    core: Conversation, escalation: Escalation, staff: StaffChat
) -> None:
    ticket = await ticket_opened(core, escalation)
    assert (await escalation.claim(ticket.id, "7", "Rina")).won
    [reply] = await core.handle(says(FEE))
    assert reply.text == replies.TICKET_APPENDED.format(number=ticket.id)
    assert staff.notes == [replies.NOTE_APPLICANT.format(number=ticket.id, text=FEE)]
    await escalation.close(ticket.id)
    [answer] = await core.handle(says(FEE))
    assert FEE_ANSWER in answer.text
    assert len(staff.notes) == 1  # a closed ticket hears nothing more


async def test_an_officers_answer_makes_the_ticket_theirs_too(
    core: Conversation, escalation: Escalation
) -> None:
    ticket = await ticket_opened(core, escalation)
    await escalation.answer(ticket.id, "8", "Budi", "Berapa umur anak Anda?")
    # "umur 5 tahun" alone would be read as a question about validity: here it is a reply.
    [reply] = await core.handle(says("anak saya umur 5 tahun"))
    assert reply.text == replies.TICKET_APPENDED.format(number=ticket.id)


async def test_the_officer_holds_the_conversation_until_idle_after_their_last_answer(
    core: Conversation, escalation: Escalation, clock: Clock, store: Store
) -> None:
    ticket = await ticket_opened(core, escalation)
    assert (await escalation.claim(ticket.id, "7", "Rina")).won
    clock.now += dt.timedelta(hours=20)
    await escalation.answer(ticket.id, "7", "Rina", "Sedang kami cek.")
    clock.now += IDLE - dt.timedelta(minutes=1)  # 44 h after the claim, 24 h after the answer
    [reply] = await core.handle(says(FEE))
    assert reply.text == replies.TICKET_APPENDED.format(number=ticket.id)
    clock.now += dt.timedelta(minutes=1)
    [answer] = await core.handle(says(FEE))
    assert FEE_ANSWER in answer.text
    # Idle, not closed: unclear messages still reach the officer's ticket.
    [appended] = await core.handle(says("oh iya saya dari kalianda"))
    assert appended.text == replies.TICKET_APPENDED.format(number=ticket.id)
    authors = [m.author for m in await store.ticket_messages(ticket.id)]
    assert authors == ["applicant", "officer", "applicant", "applicant", "bot", "applicant"]


async def test_a_claim_without_an_answer_goes_idle_from_the_claim(
    core: Conversation, escalation: Escalation, clock: Clock
) -> None:
    ticket = await ticket_opened(core, escalation)
    assert (await escalation.claim(ticket.id, "7", "Rina")).won
    clock.now += IDLE
    [answer] = await core.handle(says(FEE))
    assert FEE_ANSWER in answer.text


async def test_the_idle_time_is_the_escalations_setting(
    matcher: Matcher, store: Store, staff: StaffChat, clock: Clock
) -> None:
    escalation = escalation_for(store, staff, clock, idle=dt.timedelta(hours=1))
    core = Conversation(matcher, store, salt="s", escalation=escalation)
    ticket = await ticket_opened(core, escalation)
    claimed = (await escalation.claim(ticket.id, "7", "Rina")).ticket
    assert claimed is not None
    assert await escalation.with_officer(claimed)
    clock.now += dt.timedelta(hours=1)
    assert not await escalation.with_officer(claimed)


async def test_commands_and_buttons_with_a_ticket_open_are_not_forwarded(
    core: Conversation, escalation: Escalation, staff: StaffChat
) -> None:
    ticket = await ticket_opened(core, escalation)
    assert (await escalation.claim(ticket.id, "7", "Rina")).won
    [menu] = await core.handle(says("/menu"))
    assert menu.keyboard
    await core.handle(says("#faq:biaya-paspor"))
    assert staff.notes == []


@pytest.mark.parametrize("request_text", [AGENT, "saya mau tanya petugas"])
async def test_a_chat_no_officer_reads_gets_the_offices_contacts_not_a_ticket(
    core: Conversation, staff: StaffChat, store: Store, matcher: Matcher, request_text: str
) -> None:
    await core.handle(says(UNCLEAR, channel="terminal"))
    [reply] = await core.handle(says(request_text, channel="terminal"))
    assert reply.text.startswith(replies.NO_OFFICERS)
    assert_only_published_contacts(reply.text, matcher.kb)
    assert staff.posted == []
    assert await store.active_ticket("terminal", "42") is None
    logged = (await recent_questions(store))[0]
    assert (logged.action, logged.flags) == ("fallback", ("no_officers",))
    # Every later question is answered as usual.
    [answer] = await core.handle(says(FEE, channel="terminal"))
    assert FEE_ANSWER in answer.text


async def test_the_office_contacts_shown_are_the_knowledge_bases_own(
    store: Store, staff: StaffChat, clock: Clock, tmp_path: Path
) -> None:
    kb = filled(tmp_path)
    core = Conversation(
        Matcher(kb), store, salt="s", escalation=escalation_for(store, staff, clock)
    )
    [reply] = await core.handle(says("mau tanya petugas", channel="terminal"))
    for value in (kb.office.phone, kb.office.whatsapp, kb.office.email, kb.office.address):
        assert value
        assert value in reply.text
    assert_only_published_contacts(reply.text, kb)


def assert_only_published_contacts(text: str, kb: KnowledgeBase) -> None:
    """Every contact in the reply comes from the knowledge base; unverified ones say so."""
    office = kb.office
    if not (office.phone or office.whatsapp or office.email):
        assert "belum kami verifikasi" in text
        assert kb.national_contact in text
    digits = [
        word for word in text.replace(",", " ").split() if sum(c.isdigit() for c in word) > 5
    ]
    fields = (office.address, office.hours, office.phone, office.whatsapp, office.email)
    published = " ".join((*fields, kb.national_contact))
    assert all(word in published for word in digits), digits
