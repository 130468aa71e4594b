"""The knowledge-base review queue (`faq_drafts`); the logged evidence `kb suggest` reads is
in `bot.storage.evidence`.

Drafts are proposals a person reviews before anything reaches faq.yaml; nothing here
changes the knowledge base. Every text read or stored is already redacted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, cast

from sqlalchemy import ColumnElement, exists, insert, literal, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.storage.base import StoreBase
from bot.storage.errors import translate_errors
from bot.storage.tables import TicketMessageRow, TicketRow
from bot.storage.tables_ops import FaqDraftRow
from bot.suggestions.vocabulary import (
    DraftAdded,
    DraftSource,
    DraftStatus,
    FaqDraft,
)


class Drafts(StoreBase):
    """The review queue over an engine the caller owns (it is never disposed here); the
    `DraftReview` of `bot.suggestions.vocabulary`."""

    async def add(
        self,
        *,
        source: DraftSource,
        questions: Sequence[str],
        answer: str | None = None,
        entry_id: str | None = None,
        ticket_id: int | None = None,
        created_by: str | None = None,
        office_id: str | None = None,
    ) -> FaqDraft:
        """Queue a pending draft (of one office's applicants, or national)."""
        values = _new(
            self._now(),
            source=source,
            questions=list(questions),
            answer=answer,
            entry_id=entry_id,
            ticket_id=ticket_id,
            created_by=created_by,
            office_id=office_id,
        )
        with translate_errors("adding a draft"):
            async with self._sessions.begin() as session:
                statement = insert(FaqDraftRow).values(values).returning(FaqDraftRow)
                return _draft((await session.scalars(statement)).one())

    async def add_from_ticket(self, ticket_id: int, *, created_by: str) -> DraftAdded | None:
        """Queue the ticket's question with the officer's last answer, of the ticket's office,
        unless a pending draft for it exists already; None if the ticket is missing or has no
        officer answer."""
        with translate_errors("reading a ticket for a draft"):
            async with self._engine.connect() as connection:
                found = await _question_and_answer(connection, ticket_id)
        if found is None:
            return None
        question, answer, office = found
        values = _new(
            self._now(),
            source="ticket",
            questions=[question],
            answer=answer,
            ticket_id=ticket_id,
            created_by=created_by,
            office_id=office,
        )
        with translate_errors("adding a ticket's draft"):
            async with self._engine.begin() as connection:
                return await _insert_once(connection, ticket_id, values)

    async def pending(self) -> list[FaqDraft]:
        """Drafts waiting for review, oldest first."""
        statement = (
            select(FaqDraftRow).where(FaqDraftRow.status == "pending").order_by(FaqDraftRow.id)
        )
        with translate_errors("reading pending drafts"):
            async with self._sessions() as session:
                return [_draft(row) for row in await session.scalars(statement)]

    async def from_source(self, source: DraftSource) -> list[FaqDraft]:
        """Every draft from `source`, whatever its status, oldest first."""
        statement = (
            select(FaqDraftRow).where(FaqDraftRow.source == source).order_by(FaqDraftRow.id)
        )
        with translate_errors("reading drafts"):
            async with self._sessions() as session:
                return [_draft(row) for row in await session.scalars(statement)]

    async def decide(self, draft_id: int, status: DraftStatus) -> FaqDraft | None:
        """Record a reviewer's decision on a pending draft; None if there is no such draft
        or it was decided already (a decision is final)."""
        statement = (
            update(FaqDraftRow)
            .where(FaqDraftRow.id == draft_id, FaqDraftRow.status == "pending")
            .values(status=status)
            .returning(FaqDraftRow)
            .execution_options(synchronize_session=False)
        )
        with translate_errors("updating a draft"):
            async with self._sessions.begin() as session:
                row = (await session.scalars(statement)).one_or_none()
                return _draft(row) if row is not None else None


async def _question_and_answer(
    connection: AsyncConnection, ticket_id: int
) -> tuple[str, str, str | None] | None:
    asked = select(TicketRow.question, TicketRow.office_id).where(TicketRow.id == ticket_id)
    question, office = (await connection.execute(asked)).first() or (None, None)
    answer = await connection.scalar(
        select(TicketMessageRow.text)
        .where(TicketMessageRow.ticket_id == ticket_id, TicketMessageRow.author == "officer")
        .order_by(TicketMessageRow.id.desc())
        .limit(1)
    )
    if question is None or answer is None:
        return None
    return question, answer, office


async def _insert_once(
    connection: AsyncConnection, ticket_id: int, values: dict[str, Any]
) -> DraftAdded:
    if connection.dialect.name == "postgresql":
        # Two presses at once (two workers): the second waits for this row lock, then its
        # NOT EXISTS sees the first one's draft. SQLite needs no lock: a write statement takes
        # the database's write lock before it reads, and a read first would instead make the
        # second writer fail on its stale snapshot.
        await connection.execute(
            select(TicketRow.id).where(TicketRow.id == ticket_id).with_for_update()
        )
    columns = FaqDraftRow.__table__.c
    source = select(*(literal(value, columns[name].type) for name, value in values.items()))
    unless = ~exists().where(_pending_for(ticket_id))
    statement = insert(FaqDraftRow).from_select(list(values), source.where(unless))
    row = (await connection.execute(statement.returning(*columns))).first()
    if row is not None:
        return DraftAdded(_draft(row), created=True)
    earlier = select(FaqDraftRow.__table__).where(_pending_for(ticket_id)).limit(1)
    return DraftAdded(_draft((await connection.execute(earlier)).one()), created=False)


def _new(now: dt.datetime, **fields: Any) -> dict[str, Any]:
    """Column values of a new pending draft (insertion order is the column order used)."""
    empty = dict.fromkeys(("ticket_id", "entry_id", "answer", "created_by", "office_id"))
    return {"created_at": now, "status": "pending", **empty, **fields}


def _pending_for(ticket_id: int) -> ColumnElement[bool]:
    return (FaqDraftRow.ticket_id == ticket_id) & (FaqDraftRow.status == "pending")


def _draft(row: Any) -> FaqDraft:
    """A draft from an ORM row or a Core row (same attribute names)."""
    return FaqDraft(
        id=row.id,
        created_at=row.created_at,
        # The CHECK constraints on the columns keep these casts honest.
        source=cast(DraftSource, row.source),
        ticket_id=row.ticket_id,
        entry_id=row.entry_id,
        questions=tuple(row.questions),
        answer=row.answer,
        status=cast(DraftStatus, row.status),
        created_by=row.created_by,
        office_id=row.office_id,
    )
