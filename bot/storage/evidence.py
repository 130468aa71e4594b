"""The logged evidence `kb suggest` and learning read (`EvidenceSource` of
`bot.suggestions.vocabulary`): "Maksud Anda…?" choices, 👍 answers, answered tickets, the
questions the bot could not answer (with their office) and the turns learning reads. Every
text read is already redacted."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.core.vocabulary import ENTRY
from bot.reporting.vocabulary import UnansweredRow
from bot.storage.errors import translate_errors
from bot.storage.report_sql import not_a_voice
from bot.storage.tables import FeedbackRow, QuestionRow, TicketMessageRow, TicketRow
from bot.suggestions.vocabulary import AnsweredTicket, ChoiceTurn, LoggedTurn

MAX_FALLBACKS = 20_000  # as the reports read them at most


class EvidenceQueries:
    """Read-only queries over the log and the tickets, all from `since` on."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def choice_turns(self, since: dt.datetime) -> list[ChoiceTurn]:
        """Clarified questions and choice presses, per user in time order."""
        clarified = (QuestionRow.action == "clarify") & (QuestionRow.normalized != "")
        chosen = (QuestionRow.action == "answer") & QuestionRow.text_redacted.startswith(
            ENTRY, autoescape=True
        )
        statement = (
            select(*_TURN_COLUMNS)
            .where(QuestionRow.created_at >= since, clarified | chosen)
            .order_by(QuestionRow.user_hash, QuestionRow.created_at, QuestionRow.id)
        )
        rows = await self._all(statement, "reading clarified questions")
        return [
            ChoiceTurn(u, at, a, t, f, tuple(c["faq_id"] for c in cs))
            for u, at, a, t, f, cs in rows
        ]

    async def helpful_answers(self, since: dt.datetime) -> list[tuple[str, str]]:
        """(question, entry id) for typed questions answered outright and given a 👍."""
        statement = (
            select(QuestionRow.text_redacted, QuestionRow.faq_id)
            .join(FeedbackRow, FeedbackRow.question_id == QuestionRow.id)
            .where(
                QuestionRow.created_at >= since,
                QuestionRow.action == "answer",
                # Button presses and menu titles log no normalised words: not typed questions.
                QuestionRow.normalized != "",
                FeedbackRow.helpful.is_(True),
                QuestionRow.faq_id.is_not(None),
            )
            .order_by(QuestionRow.id)
        )
        rows = await self._all(statement, "reading helpful answers")
        return [(text, str(faq_id)) for text, faq_id in rows]

    async def answered_tickets(self, since: dt.datetime) -> list[AnsweredTicket]:
        """Tickets first answered from `since` on, each with the officer's last answer."""
        statement = (
            select(
                TicketRow.id,
                TicketRow.question,
                TicketRow.first_reply_at,
                TicketMessageRow.text,
                TicketMessageRow.officer_name,
            )
            .join(TicketMessageRow, TicketMessageRow.ticket_id == TicketRow.id)
            .where(TicketRow.first_reply_at >= since, TicketMessageRow.author == "officer")
            .order_by(TicketRow.id, TicketMessageRow.id)
        )
        last: dict[int, AnsweredTicket] = {}
        for ticket_id, question, at, text, name in await self._all(statement, "reading tickets"):
            last[ticket_id] = AnsweredTicket(ticket_id, question, text, name, at)
        return list(last.values())

    async def fallbacks(self, since: dt.datetime) -> list[UnansweredRow]:
        """Typed questions the bot could not answer at all, newest first (as the reports),
        each with its office."""
        statement = (
            select(*_FALLBACK_COLUMNS)
            .where(
                QuestionRow.created_at >= since,
                QuestionRow.action == "fallback",
                QuestionRow.normalized != "",
                not_a_voice(),  # a complaint is no gap in the knowledge base
            )
            .order_by(QuestionRow.created_at.desc(), QuestionRow.id.desc())
            .limit(MAX_FALLBACKS)
        )
        rows = await self._all(statement, "reading unanswered questions")
        return [
            UnansweredRow(text, norm, at, _first(cands), office)
            for text, norm, at, cands, office in rows
        ]

    async def learning_turns(self, since: dt.datetime) -> list[LoggedTurn]:
        """Questions and presses that were clarified, answered or missed, with their 👍/👎,
        per user in time order."""
        statement = (
            select(*_TURN_COLUMNS, QuestionRow.normalized != "", FeedbackRow.helpful)
            .outerjoin(FeedbackRow, FeedbackRow.question_id == QuestionRow.id)
            .where(
                QuestionRow.created_at >= since,
                QuestionRow.action.in_(("clarify", "answer", "fallback")),
            )
            .order_by(QuestionRow.user_hash, QuestionRow.created_at, QuestionRow.id)
        )
        rows = await self._all(statement, "reading the log for learning")
        return [
            LoggedTurn(u, at, a, t, f, tuple(c["faq_id"] for c in cs or ()), typed, helpful)
            for u, at, a, t, f, cs, typed, helpful in rows
        ]

    async def _all(self, statement: Any, action: str) -> list[Any]:
        with translate_errors(action):
            async with self._engine.connect() as connection:
                return list((await connection.execute(statement)).all())


_TURN_COLUMNS = (
    QuestionRow.user_hash,
    QuestionRow.created_at,
    QuestionRow.action,
    QuestionRow.text_redacted,
    QuestionRow.faq_id,
    QuestionRow.candidates,
)
_FALLBACK_COLUMNS = (
    QuestionRow.text_redacted,
    QuestionRow.normalized,
    QuestionRow.created_at,
    QuestionRow.candidates,
    QuestionRow.office_id,
)


def _first(candidates: list[dict[str, Any]] | None) -> str | None:
    return str(candidates[0]["faq_id"]) if candidates else None
