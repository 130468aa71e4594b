"""A national month for `offices_scale`: 150 offices and millions of logged questions, loaded
into PostgreSQL with COPY (row-by-row INSERTs would take an hour at this size).

The questions are `report_load`'s realistic pool (the knowledge base's questions re-spelled
the way people type, ranked by the real matcher) drawn over a month, spread unevenly: office
n gets a share proportional to 1/n, so a few big offices and a long tail, and some questions
have no office. Around them: 📖 taps, menu presses and requests for an officer; 👍/👎 on some
answers; complaints in a few questions; a ticket for about one question in a hundred, most
answered by one of the office's officers.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from benchmarks.report_load import CHANNELS, OFFICERS, moment
from bot.core.vocabulary import QuestionRecord
from knowledge.complaint_cues import TOPICS

CHUNK = 100_000  # rows generated and copied at a time: memory stays flat at any size
NO_OFFICE = 0.05  # logged before offices were configured, or the applicant never said
FEEDBACK = 0.08  # answers that get a 👍 or 👎
COMPLAINTS = 0.003
TICKETS = 0.01
QUESTION_COLUMNS = (
    *("id", "created_at", "channel", "user_hash", "text_redacted", "normalized", "action"),
    *("faq_id", "score", "candidates", "latency_ms", "kb_version", "flags", "office_id"),
)
TICKET_COLUMNS = (
    *("id", "channel", "chat_id", "user_hash", "status", "question", "guesses", "context"),
    *("created_at", "owner_id", "owner_name", "claimed_at", "first_reply_at", "closed_at"),
    "office_id",
)
FEEDBACK_COLUMNS = ("question_id", "helpful", "user_hash", "created_at")
COMPLAINT_COLUMNS = (
    *("question_id", "created_at", "channel", "kind", "topic", "faq_id", "text_redacted"),
)
MESSAGE_COLUMNS = ("ticket_id", "author", "text", "officer_name", "created_at")
COMPLAINT_TEXTS = (
    "antrean lama sekali kak sudah 3 jam",
    "aplikasi error terus tidak bisa bayar",
    "petugas kurang ramah tolong diperbaiki",
    "sebaiknya kuota ditambah tiap hari",
    "parkir penuh, mohon disediakan tempat",
)


def offices(count: int) -> dict[str, str]:
    """`count` office ids (office-001, …) → short names, as the reporting settings take them."""
    return {f"office-{n:03d}": f"Kantor Imigrasi Kota {n:03d}" for n in range(1, count + 1)}


@dataclass
class Extras:
    """Rows that hang off the questions, gathered while they are generated."""

    feedback: list[tuple[Any, ...]] = field(default_factory=list)
    complaints: list[tuple[Any, ...]] = field(default_factory=list)
    tickets: list[tuple[Any, ...]] = field(default_factory=list)
    messages: list[tuple[Any, ...]] = field(default_factory=list)


class Month:
    """Generates a month's rows for `names`, reproducibly from `seed`."""

    def __init__(self, pool: Sequence[QuestionRecord], names: Sequence[str], seed: int) -> None:
        self.rng = random.Random(seed)
        self.templates = [_template(record) for record in _with_traffic(pool)]
        self.offices: list[str | None] = [*names, None]
        share = (1 - NO_OFFICE) / sum(1 / n for n in range(1, len(names) + 1))
        self.weights = [share / n for n in range(1, len(names) + 1)] + [NO_OFFICE]
        self.users = [f"{n:064x}" for n in range(200_000)]
        self.extras = Extras()

    def questions(self, total: int) -> Iterator[list[tuple[Any, ...]]]:
        """The question rows in chunks of CHUNK, ids 1..total; extras gathered on the way."""
        for start in range(1, total + 1, CHUNK):
            size = min(CHUNK, total + 1 - start)
            yield self._chunk(start, size)

    def _chunk(self, first_id: int, size: int) -> list[tuple[Any, ...]]:
        rng = self.rng
        templates = rng.choices(self.templates, k=size)
        offices = rng.choices(self.offices, self.weights, k=size)
        channels = rng.choices([n for n, _ in CHANNELS], [w for _, w in CHANNELS], k=size)
        rows = []
        for n in range(size):
            user, at = self.users[rng.randrange(len(self.users))], moment(rng)
            row = (first_id + n, at, channels[n], user, *templates[n], offices[n])
            rows.append(row)
            self._extras(row)
        return rows

    def _extras(self, row: tuple[Any, ...]) -> None:
        question_id, at, channel, user, _, _, action, faq_id = row[:8]
        office, roll = row[-1], self.rng.random()
        if action == "answer" and roll < FEEDBACK:
            helpful = self.rng.random() >= 0.15
            self.extras.feedback.append((question_id, helpful, user, at + dt.timedelta(minutes=1)))
        elif roll > 1 - COMPLAINTS:
            kind = "keluhan" if self.rng.random() < 0.75 else "saran"
            topic = self.rng.choice(list(TOPICS))
            said = self.rng.choice(COMPLAINT_TEXTS)
            self.extras.complaints.append((question_id, at, channel, kind, topic, faq_id, said))
        elif FEEDBACK < roll < FEEDBACK + TICKETS:
            self._ticket(len(self.extras.tickets) + 1, at, channel, user, office)

    def _ticket(
        self, ticket_id: int, at: dt.datetime, channel: str, user: str, office: Any
    ) -> None:
        rng, extras = self.rng, self.extras
        asked = "pertanyaan ke petugas"
        extras.messages.append((ticket_id, "applicant", asked, None, at))
        if rng.random() >= 0.85:
            row = (ticket_id, channel, user[:16], user, "open", asked, "[]", "[]", at)
            extras.tickets.append((*row, None, None, None, None, None, office))
            return
        officer = f"{rng.choice(OFFICERS)} {office or 'pusat'}"
        claimed = at + dt.timedelta(minutes=rng.lognormvariate(3.0, 0.8))
        replied = claimed + dt.timedelta(minutes=rng.uniform(1, 15))
        closed = replied + dt.timedelta(hours=1) if rng.random() < 0.6 else None
        status = "closed" if closed else "answered"
        row = (ticket_id, channel, user[:16], user, status, asked, "[]", "[]", at)
        extras.tickets.append((*row, officer, officer, claimed, replied, closed, office))
        extras.messages.append((ticket_id, "officer", "jawaban petugas", officer, replied))


def _with_traffic(pool: Sequence[QuestionRecord]) -> list[QuestionRecord]:
    """The pool plus the other traffic of a real log, in shares like a real month's."""
    answered = [r for r in pool if r.action == "answer" and r.faq_id]
    taps = [_as(r, "details", ["details"]) for r in answered]
    menus = [_as(r, "menu", ["menu"]) for r in answered[:50]]
    officers = [_as(r, "to_officer", ["no_officers"]) for r in answered[:30]]
    # taps about a tenth of the answers, menus and requests for an officer a few per cent.
    return [*list(pool) * 10, *taps, *menus * 6, *officers * 4]


def _as(record: QuestionRecord, action: str, flags: list[str]) -> QuestionRecord:
    return QuestionRecord(
        channel=record.channel,
        user_hash=record.user_hash,
        text_redacted=record.text_redacted if action != "details" else "",
        normalized=record.normalized if action != "details" else "",
        action=action,
        faq_id=record.faq_id,
        score=record.score,
        candidates=record.candidates if action != "details" else (),
        latency_ms=record.latency_ms,
        kb_version=record.kb_version,
        flags=tuple(flags),
    )


def _template(record: QuestionRecord) -> tuple[Any, ...]:
    """The columns a question row shares with every other asking of the same text."""
    candidates = [{"faq_id": c.faq_id, "score": c.score} for c in record.candidates]
    return (
        *(record.text_redacted, record.normalized, record.action, record.faq_id, record.score),
        *(json.dumps(candidates), record.latency_ms, record.kb_version, json.dumps(record.flags)),
    )


async def load(engine: AsyncEngine, month: Month, total: int) -> None:
    """COPY `total` questions and their extras into the (migrated, empty) database."""
    async with engine.begin() as connection:
        raw = (await connection.get_raw_connection()).driver_connection
        assert raw is not None
        for rows in month.questions(total):
            await raw.copy_records_to_table("questions", records=rows, columns=QUESTION_COLUMNS)
        extras = month.extras
        for table, columns, rows in (
            ("tickets", TICKET_COLUMNS, extras.tickets),
            ("ticket_messages", MESSAGE_COLUMNS, extras.messages),
            ("feedback", FEEDBACK_COLUMNS, extras.feedback),
            ("complaints", COMPLAINT_COLUMNS, extras.complaints),
        ):
            await raw.copy_records_to_table(table, records=rows, columns=columns)
        # Explicit ids were copied: the next INSERT must not collide with them.
        for table in ("questions", "tickets"):
            await connection.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), max(id)) FROM {table}"
                )
            )


async def vacuum_analyze(engine: AsyncEngine) -> None:
    """What autovacuum would have done over a month: statistics and the visibility map."""
    async with engine.connect() as connection:
        connection = await connection.execution_options(isolation_level="AUTOCOMMIT")
        await connection.execute(text("VACUUM ANALYZE"))
