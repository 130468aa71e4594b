"""The ticket lifecycle on a real database, beside tests/test_escalation.py: the ticket carries
the last question and the few before it, refused posts are retried on schedule (the admins
told both ways), answers and closings go to the right side ("#done:N" closes only the
applicant's own ticket), reminders only in office hours. The staff chat and the applicant's
channel are fakes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine
from support.rows import recent_questions

from bot.core import replies
from bot.core.conversation import Conversation
from bot.core.escalation import DONE, REMINDERS_PER_ROUND, RETRY_FIRST, Escalation
from bot.core.hours import OfficeHours
from bot.core.vocabulary import TO_OFFICER, Button, Incoming, Reply, Ticket
from bot.storage import Store
from bot.storage.post_retries import PostRetries
from knowledge.matcher import Matcher

WEDNESDAY_10_WIB = dt.datetime(2026, 11, 25, 3, 0, tzinfo=dt.UTC)
NIK = "3201234567890123"


class Clock:
    def __init__(self) -> None:
        self.now = WEDNESDAY_10_WIB

    def __call__(self) -> dt.datetime:
        return self.now


class StaffChat:
    """Takes posts while `up`; records posts and notes."""

    def __init__(self) -> None:
        self.up = True
        self.posted: list[int] = []
        self.contexts: list[tuple[str, ...]] = []
        self.notes: list[str] = []

    async def post_ticket(self, ticket: Ticket, context: Sequence[str]) -> bool:
        if self.up:
            self.posted.append(ticket.id)
            self.contexts.append(tuple(context))
        return self.up

    async def post_note(self, ticket: Ticket, text: str) -> None:
        self.notes.append(text)


class Applicant:
    def __init__(self) -> None:
        self.got: list[tuple[str, str, Reply]] = []

    async def deliver(self, channel: str, chat_id: str, sent: Sequence[Reply]) -> None:
        self.got.extend((channel, chat_id, reply) for reply in sent)


class Admins:
    def __init__(self) -> None:
        self.told: list[str] = []
        self.down = False

    async def __call__(self, text: str) -> None:
        if self.down:
            raise ConnectionError("staff chat down too")
        self.told.append(text)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def store(engine: AsyncEngine, clock: Clock) -> Store:
    return Store(engine, clock=clock)


@pytest.fixture
def staff() -> StaffChat:
    return StaffChat()


@pytest.fixture
def applicant() -> Applicant:
    return Applicant()


@pytest.fixture
def admins() -> Admins:
    return Admins()


@pytest.fixture
def retries(engine: AsyncEngine, clock: Clock) -> PostRetries:
    return PostRetries(engine, clock=clock)


@pytest.fixture
def escalation(
    store: Store,
    staff: StaffChat,
    applicant: Applicant,
    admins: Admins,
    clock: Clock,
    retries: PostRetries,
) -> Escalation:
    return Escalation(
        store,
        staff,
        applicant,
        history=store,
        hours=OfficeHours.parse("mon-fri 08:00-16:00"),
        applicant_hours="Senin-Jumat",
        remind_after=dt.timedelta(minutes=30),
        retries=retries,
        alert=admins,
        clock=clock,
    )


@pytest.fixture
def core(matcher: Matcher, store: Store, escalation: Escalation) -> Conversation:
    return Conversation(matcher, store, salt="s", escalation=escalation)


def says(text: str, chat: str = "42") -> Incoming:
    return Incoming("wa", chat, chat, text)


async def opened(escalation: Escalation, chat: str = "42") -> tuple[Ticket, str]:
    ticket, [reply] = await escalation.open(Incoming("wa", chat, chat, "#agent"), "h", _no_guess)
    return ticket, reply.text


def _no_guess(question: str) -> tuple[()]:
    return ()


async def test_a_refused_post_is_retried_from_30_seconds_on_and_the_admins_told(
    escalation: Escalation, staff: StaffChat, admins: Admins, clock: Clock
) -> None:
    staff.up = False
    ticket, lead = await opened(escalation)
    assert lead.startswith(replies.TICKET_NOT_POSTED.format(number=ticket.id, hours="Senin-Jumat"))
    assert admins.told == [replies.ADMIN_POST_FAILED.format(number=ticket.id)]
    first_retry = clock.now + RETRY_FIRST
    staff.up = True
    assert await escalation.repost(first_retry - dt.timedelta(seconds=1)) == []
    staff.up = False
    assert await escalation.repost(first_retry) == []  # still refused: booked again
    staff.up = True
    assert await escalation.repost(first_retry) == []  # not due again yet
    clock.now = first_retry + dt.timedelta(minutes=15)
    assert await escalation.repost() == [ticket.id]
    assert staff.posted == [ticket.id]
    assert admins.told[-1] == replies.ADMIN_POST_RECOVERED.format(number=ticket.id)
    assert await escalation.repost(clock.now + dt.timedelta(hours=1)) == []


async def test_an_unposted_ticket_is_said_so_when_asked_again(
    escalation: Escalation, staff: StaffChat
) -> None:
    staff.up = False
    ticket, _ = await opened(escalation)
    _, again = await opened(escalation)
    assert again == replies.TICKET_ALREADY_NOT_POSTED.format(number=ticket.id)
    staff.up = True
    await escalation.repost(WEDNESDAY_10_WIB + dt.timedelta(hours=1))
    _, posted = await opened(escalation)
    assert posted == replies.TICKET_ALREADY.format(number=ticket.id)


async def test_a_closed_tickets_post_is_not_retried_and_the_next_one_is(
    escalation: Escalation, staff: StaffChat, admins: Admins, retries: PostRetries
) -> None:
    staff.up = False
    closed, _ = await opened(escalation, chat="1")
    still_open, _ = await opened(escalation, chat="2")
    await escalation.close(closed.id)
    staff.up = True
    assert await escalation.repost(WEDNESDAY_10_WIB + dt.timedelta(hours=1)) == [still_open.id]
    assert staff.posted == [still_open.id]
    assert await retries.pending() == []
    assert len(admins.told) == 3  # two failures, one recovery


async def test_a_retried_post_carries_the_applicants_earlier_questions(
    core: Conversation, escalation: Escalation, staff: StaffChat, matcher: Matcher
) -> None:
    staff.up = False
    await core.handle(says("berapa biaya paspor 10 tahun"))
    await core.handle(says("syarat paspor anak apa saja"))
    ticket = await requested(core, escalation)
    assert ticket.question == "syarat paspor anak apa saja"
    assert 0 < len(ticket.guesses) <= 3
    assert all(matcher.kb.get(guess.faq_id) for guess in ticket.guesses)
    staff.up = True
    assert await escalation.repost(WEDNESDAY_10_WIB + dt.timedelta(hours=1)) == [ticket.id]
    assert staff.contexts == [("berapa biaya paspor 10 tahun",)]


async def test_a_bare_number_is_a_message_to_the_ticket_not_a_closing(
    core: Conversation, escalation: Escalation
) -> None:
    ticket = await requested(core, escalation)
    [reply] = await core.handle(says(str(ticket.id)))
    assert reply.text == replies.TICKET_APPENDED.format(number=ticket.id)
    assert await escalation.active(says("")) is not None


async def test_admins_that_cannot_be_told_do_not_stop_the_ticket(
    escalation: Escalation, staff: StaffChat, admins: Admins
) -> None:
    staff.up, admins.down = False, True
    ticket, lead = await opened(escalation)
    assert f"#{ticket.id}" in lead


async def test_the_officers_answer_goes_out_as_written_and_is_kept_redacted(
    escalation: Escalation, applicant: Applicant, store: Store
) -> None:
    ticket, _ = await opened(escalation)
    answered = await escalation.answer(ticket.id, "7", "Budi", f"NIK {NIK} sudah kami cek")
    assert answered is not None
    assert answered.id == ticket.id
    [(channel, chat, reply)] = applicant.got
    assert (channel, chat) == ("wa", "42")
    assert reply.text == replies.OFFICER_ANSWER.format(
        number=ticket.id, text=f"NIK {NIK} sudah kami cek"
    )
    assert reply.buttons == (Button(replies.TICKET_DONE_BUTTON, f"{DONE}{ticket.id}"),)
    [*_, kept] = await store.ticket_messages(ticket.id)
    assert (kept.author, kept.officer_name) == ("officer", "Budi")
    assert NIK not in kept.text


async def test_an_answer_to_no_ticket_goes_nowhere(
    escalation: Escalation, applicant: Applicant
) -> None:
    assert await escalation.answer(999, "7", "Budi", "halo") is None
    assert await escalation.close(999) is None
    assert applicant.got == []


async def test_closing_tells_the_other_side(
    escalation: Escalation, applicant: Applicant, staff: StaffChat
) -> None:
    by_officer, _ = await opened(escalation, chat="1")
    by_applicant, _ = await opened(escalation, chat="2")
    assert (await escalation.close(by_officer.id)) is not None
    assert [(channel, chat, r.text) for channel, chat, r in applicant.got] == [
        ("wa", "1", replies.TICKET_CLOSED.format(number=by_officer.id))
    ]
    closed = await escalation.close(by_applicant.id, by_applicant=True)
    assert closed is not None
    assert closed.status == "closed"
    assert staff.notes == [replies.NOTE_CLOSED_BY_APPLICANT.format(number=by_applicant.id)]
    assert len(applicant.got) == 1


async def test_a_message_added_to_a_ticket_reaches_the_officers(
    escalation: Escalation, staff: StaffChat, store: Store
) -> None:
    ticket, _ = await opened(escalation)
    [reply] = await escalation.append(ticket, "nomor antrean saya 12")
    assert reply.text == replies.TICKET_APPENDED.format(number=ticket.id)
    assert staff.notes == [
        replies.NOTE_APPLICANT.format(number=ticket.id, text="nomor antrean saya 12")
    ]
    [*_, kept] = await store.ticket_messages(ticket.id)
    assert (kept.author, kept.text) == ("applicant", "nomor antrean saya 12")


async def test_reminders_name_the_wait_in_office_hours_only(
    escalation: Escalation, staff: StaffChat, clock: Clock
) -> None:
    ticket, _ = await opened(escalation)
    clock.now += dt.timedelta(minutes=29)
    assert await escalation.remind() == []
    clock.now += dt.timedelta(minutes=16)
    [due] = await escalation.remind()
    assert due.id == ticket.id
    assert staff.notes == [replies.NOTE_REMINDER.format(number=ticket.id, minutes=45)]
    clock.now = WEDNESDAY_10_WIB + dt.timedelta(hours=8)  # 18:00 WIB
    assert await escalation.remind() == []


async def test_a_backlog_of_reminders_is_spread_over_rounds_oldest_first(
    escalation: Escalation, staff: StaffChat, clock: Clock
) -> None:
    """Twelve tickets left overnight fall due at once: a round posts the five oldest, so the
    officers' group (20 posts a minute on Telegram) keeps room for new tickets."""
    tickets = []
    for n in range(12):
        tickets.append((await opened(escalation, chat=f"c{n}"))[0])
        clock.now += dt.timedelta(seconds=1)
    clock.now += dt.timedelta(minutes=45)
    rounds = [[t.id for t in await escalation.remind()] for _ in range(3)]
    ids = [t.id for t in tickets]
    assert rounds == [ids[:5], ids[5:10], ids[10:]]
    assert REMINDERS_PER_ROUND == 5
    assert len(staff.notes) == 12
    assert await escalation.remind() == []  # each reminded once in this period


async def test_the_officer_who_claims_owns_the_ticket(escalation: Escalation) -> None:
    ticket, _ = await opened(escalation)
    claim = await escalation.claim(ticket.id, "7", "Budi")
    assert claim.won
    assert claim.ticket is not None
    assert (claim.ticket.owner_id, claim.ticket.owner_name) == ("7", "Budi")
    assert not (await escalation.claim(ticket.id, "8", "Sari")).won


async def requested(core: Conversation, escalation: Escalation) -> Ticket:
    """The ticket the applicant's "#agent" opened."""
    await core.handle(says("#agent"))
    ticket = await escalation.active(says(""))
    assert ticket is not None
    return ticket


QUESTIONS = [f"pertanyaan nomor {n} tentang paspor" for n in range(1, 6)]


async def test_the_ticket_takes_the_questions_among_the_last_eight_messages(
    core: Conversation, escalation: Escalation, staff: StaffChat
) -> None:
    for text in [*QUESTIONS, "#menu", "/start", "#menu", "/bantuan"]:
        await core.handle(says(text))
    [lead] = await core.handle(says("#agent"))
    ticket = await escalation.active(says(""))
    assert ticket is not None
    assert ticket.question == QUESTIONS[-1]
    assert staff.contexts == [tuple(QUESTIONS[1:4])]  # four commands pushed out the first
    assert lead.text == replies.TICKET_OPENED.format(number=ticket.id, hours="Senin-Jumat")


async def test_without_a_question_the_ticket_asks_for_one(
    core: Conversation, escalation: Escalation, staff: StaffChat
) -> None:
    [lead] = await core.handle(says("#agent"))
    ticket = await escalation.active(says(""))
    assert ticket is not None
    assert (ticket.question, ticket.guesses) == (replies.TICKET_NO_QUESTION, ())
    opened = replies.TICKET_OPENED.format(number=ticket.id, hours="Senin-Jumat")
    assert lead.text == f"{opened}\n\n{replies.TICKET_ASK_QUESTION}"
    assert staff.contexts == [()]


async def test_done_closes_the_applicants_own_ticket(
    core: Conversation, escalation: Escalation, staff: StaffChat, store: Store
) -> None:
    ticket = await requested(core, escalation)
    [reply] = await core.handle(says(f"#done:{ticket.id}"))
    assert reply.text == replies.TICKET_CLOSED_BY_YOU.format(number=ticket.id)
    assert await escalation.active(says("")) is None
    assert staff.notes == [replies.NOTE_CLOSED_BY_APPLICANT.format(number=ticket.id)]
    logged = (await recent_questions(store))[0]
    assert (logged.action, logged.text_redacted) == ("ticket", f"#done:{ticket.id}")
    assert logged.flags == ("ticket_done",)


async def test_done_with_another_number_closes_nothing(
    core: Conversation, escalation: Escalation
) -> None:
    ticket = await requested(core, escalation)
    [reply] = await core.handle(says(f"#done:{ticket.id + 1}"))
    assert reply.text == replies.FEEDBACK_UNKNOWN
    assert await escalation.active(says("")) is not None


async def test_ticket_turns_are_logged_with_their_ticket(
    core: Conversation, escalation: Escalation, staff: StaffChat, store: Store
) -> None:
    ticket = await requested(core, escalation)
    await core.handle(says("nomor antrean saya 12"))
    opened, added = reversed((await recent_questions(store))[:2])
    # Both went to the officers: the report counts them in a share of their own.
    assert (opened.action, opened.flags) == (TO_OFFICER, (f"ticket:{ticket.id}",))
    assert (added.action, added.flags) == (TO_OFFICER, (f"ticket:{ticket.id}",))
    await core.handle(says("#menu"))
    await core.handle(says("/start"))
    assert len(staff.notes) == 1, "commands are not messages to the officers"


async def test_the_ticket_keeps_the_same_earlier_questions_the_officers_were_shown(
    core: Conversation, escalation: Escalation, staff: StaffChat, store: Store
) -> None:
    for text in QUESTIONS[:3]:
        await core.handle(says(text))
    ticket = await requested(core, escalation)
    assert staff.contexts == [tuple(QUESTIONS[:2])]
    assert await store.ticket_context(ticket.id) == tuple(QUESTIONS[:2])  # kept for reposts
    assert ticket.question == QUESTIONS[2]


async def test_the_officer_who_answers_an_unclaimed_ticket_becomes_its_owner(
    escalation: Escalation, store: Store
) -> None:
    ticket, _ = await opened(escalation)
    answered = await escalation.answer(ticket.id, "7", "Budi", "sudah kami cek")
    assert answered is not None
    assert (answered.owner_id, answered.owner_name) == ("7", "Budi")


async def test_with_a_ticket_open_a_button_is_answered_not_passed_to_the_officers(
    core: Conversation, escalation: Escalation, staff: StaffChat, matcher: Matcher
) -> None:
    await requested(core, escalation)
    entry = matcher.kb.entries[0]
    [reply, *_] = await core.handle(says(f"#faq:{entry.id}"))
    assert reply.text.startswith(entry.short)  # the short answer first, as for anyone
    assert staff.notes == []
