"""Tickets for the officers: the `Store`'s part serving the ticket roles of `bot.core.vocabulary`.

Every state change is one conditional UPDATE whose WHERE clause states what must still be
true (nobody owns it, it is not closed, ...). The database checks that condition and writes
the row as one step, so of several racing workers only one finds it true; RETURNING tells
each caller whether it was that one, and hands back the row as written.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ColumnElement, Select, case, func, insert, literal, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.dml import ReturningUpdate

from bot.core.vocabulary import Author, Candidate, Claim, Ticket, TicketMessage, TicketStatus
from bot.storage.base import StoreBase
from bot.storage.columns import UTCDateTime
from bot.storage.errors import translate_errors
from bot.storage.tables import TicketMessageRow, TicketPostRow, TicketRow
from bot.storage.ticket_rows import message_from_row, ticket_from_row

ACTIVE: tuple[TicketStatus, ...] = ("open", "claimed", "answered")


class TicketStoreMixin(StoreBase):
    """Ticket storage over the shared engine; `bot.storage.Store` inherits it."""

    async def open_ticket(
        self,
        *,
        channel: str,
        chat_id: str,
        user_hash: str,
        question: str,
        guesses: tuple[Candidate, ...],
        context: tuple[str, ...],
        office_id: str | None = None,
    ) -> Ticket:
        """Create a ticket (status open) for the office's officers (None: the default group);
        the question also starts the ticket's thread."""
        now = self._now()
        values = {
            "office_id": office_id,
            "channel": channel,
            "chat_id": chat_id,
            "user_hash": user_hash,
            "status": "open",
            "question": question,
            "guesses": [{"faq_id": g.faq_id, "score": g.score} for g in guesses],
            "context": list(context),
            "created_at": now,
        }
        with translate_errors("opening a ticket"):
            async with self._sessions.begin() as session:
                row = (
                    await session.scalars(insert(TicketRow).values(values).returning(TicketRow))
                ).one()
                await _append(session, row.id, "applicant", question, None, now)
                return ticket_from_row(row)

    async def active_ticket(self, channel: str, chat_id: str) -> Ticket | None:
        """The chat's newest ticket that is not closed yet, if any."""
        statement = (
            select(TicketRow)
            .where(
                TicketRow.channel == channel,
                TicketRow.chat_id == chat_id,
                # IN, not != 'closed', so the (channel, chat_id, status) index covers it.
                TicketRow.status.in_(ACTIVE),
            )
            .order_by(TicketRow.created_at.desc(), TicketRow.id.desc())
            .limit(1)
        )
        with translate_errors("finding the active ticket"):
            async with self._sessions() as session:
                row = await session.scalar(statement)
                return ticket_from_row(row) if row is not None else None

    async def get_ticket(self, ticket_id: int) -> Ticket | None:
        """One ticket by number."""
        with translate_errors("reading a ticket"):
            async with self._sessions() as session:
                row = await session.get(TicketRow, ticket_id)
                return ticket_from_row(row) if row is not None else None

    async def open_tickets(self) -> list[Ticket]:
        """Tickets not closed yet, oldest first."""
        statement = (
            select(TicketRow)
            .where(TicketRow.status.in_(ACTIVE))
            .order_by(TicketRow.created_at, TicketRow.id)
        )
        with translate_errors("listing open tickets"):
            async with self._sessions() as session:
                return [ticket_from_row(row) for row in await session.scalars(statement)]

    async def add_ticket_message(
        self, ticket_id: int, author: Author, text: str, *, officer_name: str | None = None
    ) -> None:
        """Append a message to the thread; an unknown ticket raises `StorageError`."""
        with translate_errors("adding a ticket message"):
            async with self._sessions.begin() as session:
                await _append(session, ticket_id, author, text, officer_name, self._now())

    async def ticket_messages(self, ticket_id: int, *, limit: int = 20) -> list[TicketMessage]:
        """The last `limit` messages of the thread, oldest first."""
        if limit <= 0:
            return []  # SQLite reads a negative LIMIT as "no limit", PostgreSQL refuses it
        statement = (
            select(TicketMessageRow)
            .where(TicketMessageRow.ticket_id == ticket_id)
            .order_by(TicketMessageRow.id.desc())
            .limit(limit)
        )
        with translate_errors("reading ticket messages"):
            async with self._sessions() as session:
                newest_first = [message_from_row(row) for row in await session.scalars(statement)]
        return newest_first[::-1]

    async def claim_ticket(self, ticket_id: int, officer_id: str, officer_name: str) -> Claim:
        """Make the officer the owner if nobody owns it and it is not closed."""
        statement = _update(
            TicketRow.id == ticket_id,
            TicketRow.owner_id.is_(None),
            TicketRow.status != "closed",
        ).values(
            owner_id=officer_id,
            owner_name=officer_name,
            claimed_at=self._now(),
            # A reply may come before anyone presses "Ambil"; it stays answered then.
            status=case((TicketRow.status == "answered", "answered"), else_="claimed"),
        )
        with translate_errors("claiming a ticket"):
            async with self._sessions.begin() as session:
                won = (await session.scalars(statement)).one_or_none()
                if won is not None:
                    return Claim(ticket_from_row(won), won=True)
                # Lost, closed or missing: read what is there now. A loser's UPDATE ran after
                # the winner committed (PostgreSQL made it wait for the row lock, SQLite
                # serialises writers), so this read sees the winner.
                current = await session.get(TicketRow, ticket_id)
                return Claim(ticket_from_row(current) if current is not None else None, won=False)

    async def last_officer_reply(self, ticket_id: int) -> dt.datetime | None:
        """When an officer last wrote in the thread (None: never)."""
        statement = select(func.max(TicketMessageRow.created_at)).where(
            TicketMessageRow.ticket_id == ticket_id, TicketMessageRow.author == "officer"
        )
        with translate_errors("reading a ticket's last officer reply"):
            async with self._sessions() as session:
                return await session.scalar(statement)

    async def record_officer_reply(
        self, ticket_id: int, officer_id: str, officer_name: str, text: str
    ) -> Ticket | None:
        """Store an officer's answer: status answered, first reply time kept, owner set if
        none; None if the ticket does not exist or is closed."""
        replied_at = self._now()
        now = _at(replied_at)
        # SET expressions all see the row as it was, so `unowned` is the old owner_id.
        unowned = TicketRow.owner_id.is_(None)
        statement = _update(TicketRow.id == ticket_id, TicketRow.status != "closed").values(
            status="answered",
            first_reply_at=func.coalesce(TicketRow.first_reply_at, now),
            owner_id=case((unowned, officer_id), else_=TicketRow.owner_id),
            owner_name=case((unowned, officer_name), else_=TicketRow.owner_name),
            claimed_at=case((unowned, now), else_=TicketRow.claimed_at),
        )
        with translate_errors("recording an officer's reply"):
            async with self._sessions.begin() as session:
                row = (await session.scalars(statement)).one_or_none()
                if row is None:
                    return None
                await _append(session, ticket_id, "officer", text, officer_name, replied_at)
                return ticket_from_row(row)

    async def close_ticket(self, ticket_id: int) -> Ticket | None:
        """Close it; None if it does not exist or was already closed."""
        statement = _update(TicketRow.id == ticket_id, TicketRow.status != "closed").values(
            status="closed", closed_at=self._now()
        )
        with translate_errors("closing a ticket"):
            async with self._sessions.begin() as session:
                row = (await session.scalars(statement)).one_or_none()
                return ticket_from_row(row) if row is not None else None

    async def move_ticket(
        self, ticket_id: int, *, to_office: str, from_office: str | None
    ) -> Ticket | None:
        """Hand the ticket from `from_office` to `to_office`, open again with no owner; None
        when it is closed, missing, or no longer `from_office`'s (another officer moved it)."""
        still_there = TicketRow.office_id.is_not_distinct_from(from_office)  # NULL matches NULL
        statement = _update(TicketRow.id == ticket_id, TicketRow.status != "closed", still_there)
        statement = statement.values(
            office_id=to_office,
            status="open",
            owner_id=None,
            owner_name=None,
            claimed_at=None,
            # The post in the new group announces it: reminders count from there.
            last_reminded_at=self._now(),
        )
        with translate_errors("moving a ticket"):
            async with self._sessions.begin() as session:
                row = (await session.scalars(statement)).one_or_none()
                return ticket_from_row(row) if row is not None else None

    async def due_reminders(
        self, *, now: dt.datetime, unclaimed_for: dt.timedelta, limit: int | None = None
    ) -> list[Ticket]:
        """Atomically take the open, unclaimed tickets older than `unclaimed_for` whose last
        reminder (or creation) is older than that too, stamping `last_reminded_at = now`: the
        `limit` oldest if given (the others stay due for the next round).

        Oldest first. `unclaimed_for` must be positive: with zero, a ticket just stamped
        would still match, and a second worker could take it again.
        """
        if unclaimed_for <= dt.timedelta(0):
            raise ValueError("unclaimed_for must be positive")
        due = _due_for_reminder(cutoff=now - unclaimed_for).limit(limit)
        statement = _update(TicketRow.id.in_(due)).values(last_reminded_at=now)
        with translate_errors("taking due reminders"):
            async with self._sessions.begin() as session:
                rows = list(await session.scalars(statement))
        return sorted((ticket_from_row(row) for row in rows), key=lambda t: (t.created_at, t.id))

    async def link_post(self, ticket_id: int, channel: str, chat_id: str, message_id: str) -> None:
        """Remember that a staff-chat message shows this ticket; linking it again is a no-op
        (the first ticket linked to a message keeps it)."""
        statement = (
            self._insert(TicketPostRow)
            .values(ticket_id=ticket_id, channel=channel, chat_id=chat_id, message_id=message_id)
            .on_conflict_do_nothing(index_elements=["channel", "chat_id", "message_id"])
        )
        with translate_errors("linking a staff post"):
            async with self._sessions.begin() as session:
                await session.execute(statement)

    async def ticket_for_post(self, channel: str, chat_id: str, message_id: str) -> int | None:
        """The ticket a staff-chat message shows, for replies to it."""
        with translate_errors("finding a staff post"):
            async with self._sessions() as session:
                row = await session.get(TicketPostRow, (channel, chat_id, message_id))
                return row.ticket_id if row is not None else None

    async def ticket_context(self, ticket_id: int) -> tuple[str, ...] | None:
        """The earlier messages stored with the ticket (not part of the `Ticket` type)."""
        statement = select(TicketRow.context).where(TicketRow.id == ticket_id)
        with translate_errors("reading a ticket's context"):
            async with self._sessions() as session:
                context = await session.scalar(statement)
        return tuple(context) if context is not None else None


def _update(*conditions: ColumnElement[bool]) -> ReturningUpdate[TicketRow]:
    """An UPDATE of the tickets matching `conditions`, returning them as they are after it."""
    return (
        update(TicketRow)
        .where(*conditions)
        .returning(TicketRow)
        # The session is fresh for each call, so there are no loaded objects to refresh.
        .execution_options(synchronize_session=False)
    )


def _due_for_reminder(cutoff: dt.datetime) -> Select[int]:
    """Ids of open, unowned tickets created and last reminded (if ever) by `cutoff`."""
    return (
        select(TicketRow.id)
        .where(
            TicketRow.status == "open",
            TicketRow.owner_id.is_(None),
            TicketRow.created_at <= cutoff,
            or_(TicketRow.last_reminded_at.is_(None), TicketRow.last_reminded_at <= cutoff),
        )
        .order_by(TicketRow.created_at, TicketRow.id)
        # PostgreSQL: a worker skips rows another worker is stamping instead of queueing
        # behind it, and rows stamped and committed meanwhile fail the recheck of this WHERE.
        # SQLite has no row locks (writers are serialised); SQLAlchemy renders nothing there.
        .with_for_update(skip_locked=True)
    )


def _at(moment: dt.datetime) -> ColumnElement[dt.datetime]:
    # Inside COALESCE and CASE a bare datetime would be bound as a plain DateTime and skip
    # the UTC normalisation; on SQLite that would store another zone's wall-clock digits.
    return literal(moment, UTCDateTime())


async def _append(
    session: AsyncSession,
    ticket_id: int,
    author: Author,
    text: str,
    officer_name: str | None,
    created_at: dt.datetime,
) -> None:
    row = {"ticket_id": ticket_id, "author": author, "text": text, "created_at": created_at}
    await session.execute(insert(TicketMessageRow).values(officer_name=officer_name, **row))
