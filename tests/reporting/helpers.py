"""A small, fully known question log for the report tests, and helpers to read the output.

Three local days (1-3 November 2026, Asia/Jakarta) with questions on two channels, feedback,
paraphrased unanswered questions, and tickets. Raw personal data sits only in columns the
report must never show (user hashes, `normalized`, the KB version, ticket chat ids, ticket
context and officers' messages); the redacted texts carry placeholders such as [NIK].
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncEngine

from bot.core.vocabulary import Candidate, FeedbackRecord, QuestionRecord
from bot.reporting.collect import collect
from bot.reporting.figures import Day, OfficeReport, Tickets
from bot.reporting.period import Period
from bot.storage import Store
from bot.storage.report_queries import ReportQueries
from knowledge.loader import load
from knowledge.matcher import Matcher

ROOT = Path(__file__).resolve().parents[2]
ZONE = ZoneInfo("Asia/Jakarta")
FIRST = dt.date(2026, 11, 1)
LAST = dt.date(2026, 11, 3)
# "Now" for the report: the morning after the period.
NOW = dt.datetime(2026, 11, 4, 10, 0, tzinfo=ZONE).astimezone(dt.UTC)

RAW_NIK = "3201234567890123"
RAW_PHONE = "081234567890"
RAW_EMAIL = "budi.raw@example.com"
RAW_USER = "feedc0de" * 8
RAW_VALUES = (RAW_NIK, RAW_PHONE, RAW_EMAIL, RAW_USER)
REDACTED_NIK_TEXT = "nik saya [NIK] tidak terdaftar"

OTP = ("kode otp tidak masuk", "OTP ga masuk2 kak", "kode OTP nggak masuk ke hp")
OTP_MORE = "otp belum masuk juga min"
QUEUE = ("antrean penuh terus", "kuota antrian selalu penuh", "antrian penuh trs kak")
PET = "bisa bawa kucing ke kantor imigrasi"


def local(day: int, hour: int, minute: int = 0, second: int = 0) -> dt.datetime:
    """A local time on day `day` of the period (0 = 1 November), in UTC."""
    moment = dt.datetime.combine(FIRST + dt.timedelta(days=day), dt.time(hour, minute, second))
    return moment.replace(tzinfo=ZONE).astimezone(dt.UTC)


class Clock:
    """A "now" the test moves by hand, for the times the store stamps itself."""

    def __init__(self, start: dt.datetime = NOW) -> None:
        self.now = start

    def __call__(self) -> dt.datetime:
        return self.now


@functools.cache
def matcher() -> Matcher:
    """The real knowledge base's matcher, to normalise questions as the bot logs them."""
    return Matcher(load(ROOT / "faq.yaml"))


def asked(
    text: str,
    at: dt.datetime,
    *,
    channel: str = "telegram",
    action: str = "answer",
    faq_id: str | None = None,
    top: str | None = None,
    normalized: str | None = None,
) -> QuestionRecord:
    """A logged question; unanswered ones carry `top` as the matcher's first candidate."""
    first = faq_id or top
    return QuestionRecord(
        channel=channel,
        user_hash=RAW_USER,
        text_redacted=text,
        normalized=matcher().rank(text).normalized if normalized is None else normalized,
        action=action,
        faq_id=faq_id if action in {"answer", "details"} else None,
        score=0.8 if action == "answer" else 0.3,
        candidates=(Candidate(first, 0.5),) if first else (),
        latency_ms=1.0,
        kb_version=f"kb-{RAW_NIK}",
        created_at=at,
    )


def questions() -> list[QuestionRecord]:
    """The period's questions, plus one just before and one just after it."""
    fee, child = "berapa biaya paspor", "syarat paspor anak"
    return [
        asked(fee, local(0, 0), faq_id="biaya-paspor"),  # the first instant is inside
        *(asked(fee, local(0, 8, m), faq_id="biaya-paspor") for m in (0, 10, 20)),
        *(asked(child, local(0, 9, m), channel="whatsapp", faq_id="syarat-anak") for m in (0, 5)),
        asked(QUEUE[0], local(0, 10), action="clarify", top="kuota-jadwal"),
        asked(OTP[0], local(0, 11), action="fallback", top="akun-otp"),
        asked(fee, local(1, 8), faq_id="biaya-paspor"),
        *(
            asked(text, local(1, 9, 10 * n), channel="whatsapp", action="fallback", top="akun-otp")
            for n, text in enumerate((OTP[1], OTP[2], OTP_MORE))
        ),
        asked(QUEUE[1], local(1, 13), action="fallback", top="kuota-jadwal"),
        asked(QUEUE[2], local(1, 14), action="clarify", top="kuota-jadwal"),
        asked(PET, local(1, 15), action="fallback", top="di-kantor"),
        asked(
            REDACTED_NIK_TEXT,
            local(1, 16),
            action="fallback",
            top="data-tidak-valid",
            normalized=f"nik saya {RAW_NIK} tidak terdaftar",
        ),
        asked("Menu", local(1, 17), action="menu"),  # not a question
        # 📖 Selengkapnya: three taps under the fee's short answer, one under the child's.
        *(tapped("biaya-paspor", local(0, 8, m + 1)) for m in (0, 10, 20)),
        tapped("syarat-anak", local(0, 9, 1)),
        asked(fee, local(-1, 23, 59, 59), faq_id="biaya-paspor"),  # the day before
        asked(fee, local(3, 0), faq_id="biaya-paspor"),  # the day after
        tapped("biaya-paspor", local(3, 0, 1)),  # the day after
    ]


def tapped(faq_id: str, at: dt.datetime) -> QuestionRecord:
    """A tap on 📖 Selengkapnya under `faq_id`'s short answer, logged as the core logs it."""
    return asked(f"#more:{faq_id}:1", at, action="details", faq_id=faq_id, normalized="")


# What `questions()` holds inside the period, per (day, channel): answered, clarified, fallback.
DAYS = {
    (FIRST, "telegram"): (4, 1, 1),
    (FIRST, "whatsapp"): (2, 0, 0),
    (FIRST + dt.timedelta(days=1), "telegram"): (1, 1, 3),
    (FIRST + dt.timedelta(days=1), "whatsapp"): (0, 0, 3),
}


@dataclass(frozen=True, slots=True)
class Seeded:
    """Ids the tests refer to."""

    question_ids: list[int]
    ticket_ids: list[int]


async def seed(store: Store, clock: Clock) -> Seeded:
    """Log the questions, the feedback and the tickets (the store's clock is `clock`)."""
    asked = questions()
    ids = await store.log_questions(asked)
    # Only the applicant who asked can judge an answer.
    for n, helpful in enumerate((True, False, False, True, True)):
        record = FeedbackRecord(ids[n], helpful, asked[n].user_hash, local(1, 20))
        assert await store.add_feedback(record)
    return Seeded(ids, await _tickets(store, clock))


async def _tickets(store: Store, clock: Clock) -> list[int]:
    """Six tickets; see the module's tests for what each one is for."""
    made = [
        await _ticket(store, clock, local(0, 9), claim=(10, "Rina"), reply=(20, "Rina")),
        await _ticket(store, clock, local(0, 10), reply=(40, "Budi")),
        await _ticket(store, clock, local(1, 9), claim=(5, "Rina"), reply=(60, "Budi")),
        await _ticket(store, clock, local(1, 11)),  # never taken
        await _ticket(store, clock, local(1, 12), close_after=5),  # closed untaken
        await _ticket(store, clock, local(-1, 12), reply=(1, "Rina")),  # before the period
    ]
    clock.now = NOW
    return made


async def _ticket(
    store: Store,
    clock: Clock,
    opened: dt.datetime,
    *,
    claim: tuple[float, str] | None = None,
    reply: tuple[float, str] | None = None,
    close_after: float | None = None,
) -> int:
    clock.now = opened
    ticket = await store.open_ticket(
        channel="telegram",
        chat_id=RAW_PHONE,
        user_hash=RAW_USER,
        question="pertanyaan [TELEPON]",
        guesses=(),
        context=(f"email saya {RAW_EMAIL}",),
    )
    if claim is not None:
        clock.now = opened + dt.timedelta(minutes=claim[0])
        assert (await store.claim_ticket(ticket.id, claim[1], claim[1])).won
    if reply is not None:
        clock.now = opened + dt.timedelta(minutes=reply[0])
        text = f"hubungi {RAW_PHONE}"
        assert await store.record_officer_reply(ticket.id, reply[1], reply[1], text)
    if close_after is not None:
        clock.now = opened + dt.timedelta(minutes=close_after)
        assert await store.close_ticket(ticket.id)
    return ticket.id


def read_csv(path: Path) -> list[dict[str, str]]:
    """A report CSV as dicts (the files start with a byte-order mark for Excel)."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


# A quiet month: November 2026 with questions on the 15th only (a Sunday).
QUIET_MONTH = (dt.date(2026, 11, 1), dt.date(2026, 11, 30))
BUSY_DAY = dt.date(2026, 11, 15)


async def quiet_month(store: Store) -> None:
    """Log the busy day's questions (answered, clarified, fallback) and two votes."""
    at = (BUSY_DAY - FIRST).days
    fee = "berapa biaya paspor"
    ids = await store.log_questions(
        [
            *(asked(fee, local(at, 9, m), faq_id="biaya-paspor") for m in (0, 10, 20)),
            asked(QUEUE[0], local(at, 10), action="clarify", top="kuota-jadwal"),
            asked(OTP[0], local(at, 11), channel="whatsapp", action="fallback", top="akun-otp"),
        ]
    )
    for question_id, helpful in zip(ids, (True, False), strict=False):
        assert await store.add_feedback(
            FeedbackRecord(question_id, helpful, RAW_USER, local(at, 12))
        )


async def month_report(engine: AsyncEngine) -> OfficeReport:
    """The report of `QUIET_MONTH`, made the morning after."""
    return await collect(
        ReportQueries(engine),
        Period(*QUIET_MONTH, ZONE),
        titles={"biaya-paspor": "Biaya paspor"},
        now=dt.datetime(2026, 12, 1, 3, tzinfo=dt.UTC),
        remind_after=dt.timedelta(minutes=30),
    )


def empty_report(first: dt.date, last: dt.date, days: tuple[Day, ...] = ()) -> OfficeReport:
    """A report with nothing in it but `days` (no entries, groups or tickets)."""
    return OfficeReport(
        period=Period(first, last, ZONE),
        generated_at=NOW,
        days=days,
        entries=(),
        clusters=(),
        unanswered_total=0,
        unanswered_capped=False,
        tickets=Tickets(0, 0, None, None, 0, 0, ()),
        plan=(),
    )
