"""Ticket rows read back as the core's records (`Ticket`, `TicketMessage`)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, cast

from bot.core.vocabulary import Author, Candidate, Ticket, TicketMessage, TicketStatus
from bot.storage.tables import TicketMessageRow, TicketRow


def ticket_from_row(row: TicketRow) -> Ticket:
    return Ticket(
        id=row.id,
        channel=row.channel,
        chat_id=row.chat_id,
        user_hash=row.user_hash,
        # The CHECK constraint on the column keeps these casts honest.
        status=cast(TicketStatus, row.status),
        question=row.question,
        guesses=candidates_from_json(row.guesses),
        created_at=row.created_at,
        owner_id=row.owner_id,
        owner_name=row.owner_name,
        claimed_at=row.claimed_at,
        first_reply_at=row.first_reply_at,
        closed_at=row.closed_at,
        last_reminded_at=row.last_reminded_at,
        office_id=row.office_id,
    )


def candidates_from_json(values: Iterable[dict[str, Any]]) -> tuple[Candidate, ...]:
    return tuple(Candidate(v["faq_id"], float(v["score"])) for v in values)


def message_from_row(row: TicketMessageRow) -> TicketMessage:
    return TicketMessage(
        ticket_id=row.ticket_id,
        author=cast(Author, row.author),
        text=row.text,
        created_at=row.created_at,
        officer_name=row.officer_name,
    )
