"""What a message does to the applicant's ticket: ask for a person, close it, or reach it.

While a ticket is open and no officer holds the conversation, a question the bot answers with
confidence is answered and also added to the ticket (the officers see what the applicant was
told); anything else (an unclear message, a reply to the officer, "terima kasih") goes to the
ticket. Once an officer has claimed or answered it, every message goes to the ticket until it
is closed or the officer has been idle for the escalation's idle time. A chat no officer can
answer (the terminal chat) is told how to reach the office instead of getting a ticket.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass

from bot.core import replies
from bot.core.errors import BotError
from bot.core.escalation import DONE, Escalation, is_agent_request
from bot.core.turns import MENU, Turn
from bot.core.vocabulary import (
    TO_OFFICER,
    Button,
    Candidate,
    Incoming,
    Reply,
    Ticket,
    record_id,
)
from knowledge.entries import KnowledgeBase
from knowledge.policy import CHAT

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Asker:
    """What the ticket step needs of the conversation for one message."""

    user_hash: str
    kb: KnowledgeBase
    question: Callable[[str], Turn]  # the knowledge base's reading of a message
    guess: Callable[[str], tuple[Candidate, ...]]  # the best entries, for a new ticket
    office_id: str | None = None  # the applicant's office: its officers get a new ticket
    # The chat's open ticket when already read with the message's other reads (a snapshot).
    known: bool = False
    active: Ticket | None = None


async def ticket_step(
    escalation: Escalation, message: Incoming, text: str, asker: Asker
) -> Turn | None:
    """The ticket's turn for this message, or None when the message is no ticket's business.

    Tickets need the database: without it, a request for a person is asked to come back
    shortly and anything else is answered from the knowledge base."""
    try:
        return await _ticket_turn(escalation, message, text, asker)
    except BotError:
        logger.exception("ticket step failed")
        if not (is_agent_request(text) or text.startswith(DONE)):
            return None
        return Turn("ticket", flags=["db_down"], replies=[Reply(replies.TRY_AGAIN)])


async def _ticket_turn(
    escalation: Escalation, message: Incoming, text: str, asker: Asker
) -> Turn | None:
    if not escalation.staffed(message.channel):
        return no_officers(asker.kb) if is_agent_request(text) else None
    if text.startswith(DONE) and text.removeprefix(DONE).isdigit():
        return await _done(escalation, message, text.removeprefix(DONE))
    if is_agent_request(text):
        ticket, answers = await escalation.open(
            message, asker.user_hash, asker.guess, office_id=asker.office_id
        )
        return Turn(TO_OFFICER, flags=[f"ticket:{ticket.id}"], replies=answers)
    active = asker.active if asker.known else await escalation.active(message)
    if active is None or text.startswith(("#", "/")):
        return None
    if not await escalation.with_officer(active):
        answered = await _answered_meanwhile(escalation, active, text, asker)
        if answered is not None:
            return answered
    answers = await escalation.append(active, text)
    return Turn(TO_OFFICER, flags=[f"ticket:{active.id}"], replies=answers)


async def _answered_meanwhile(
    escalation: Escalation, ticket: Ticket, text: str, asker: Asker
) -> Turn | None:
    """A question the bot answers on its own (not small talk, not an expired entry), added
    to the ticket as answered; None for anything the officers should answer."""
    turn = asker.question(text)
    entry = turn.entry
    if turn.action != "answer" or entry is None or entry.category == CHAT:
        return None
    if entry.expired(dt.date.today()):
        return None
    await escalation.append_answered(ticket, text, entry.title)
    turn.flags.append(f"ticket:{ticket.id}")
    return turn


async def _done(escalation: Escalation, message: Incoming, number: str) -> Turn:
    """The applicant's "✅ Sudah terjawab": closes their own open ticket only."""
    ticket = await escalation.active(message)
    closed = None
    if ticket is not None and ticket.id == record_id(number):
        closed = await escalation.close(ticket.id, by_applicant=True)
    reply = (
        replies.TICKET_CLOSED_BY_YOU.format(number=number) if closed else replies.FEEDBACK_UNKNOWN
    )
    return Turn("ticket", flags=["ticket_done"], replies=[Reply(reply)])


def no_officers(kb: KnowledgeBase) -> Turn:
    """A request for a person where none can answer: the office's contacts, as the knowledge
    base publishes them (an honest note where they are not verified), and the menu."""
    contact = replies.fill(replies.CONTACT, kb)
    text = f"{replies.NO_OFFICERS}\n\n{contact}\n\n{replies.footer(kb)}"
    menu = Button(replies.MENU_BUTTON, MENU)
    return Turn("fallback", flags=["no_officers"], replies=[Reply(text, buttons=(menu,))])
