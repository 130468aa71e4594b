"""Buttons' turns, apart from the conversation's flow: a menu title, a 👍/👎 on an answer,
📖 Selengkapnya, "not listed", an entry picked from a list, and opting in or out of
announcements (also typed: /langganan, /berhenti)."""

from __future__ import annotations

import logging

from bot.core import replies
from bot.core.errors import BotError
from bot.core.subscribing import Subscribing, wants_subscription
from bot.core.turns import DETAILS, FEEDBACK, NOT_LISTED, Render, Turn, details_turn
from bot.core.vocabulary import (
    ENTRY,
    FeedbackRecord,
    Incoming,
    QuestionLog,
    Reply,
    record_id,
)
from knowledge.entries import KnowledgeBase

logger = logging.getLogger(__name__)


async def choice_turn(
    log: QuestionLog, user_hash: str, kb: KnowledgeBase, text: str, render: Render
) -> Turn | None:
    """A menu title, a feedback button, "not listed", or an entry picked from a list; `kb` is
    the whole knowledge base (a pick names any entry), `render` the office's replies."""
    if entry := render.titles().get(text.casefold()):
        return Turn("answer", entry=entry, flags=["menu"])
    if text.startswith(FEEDBACK):
        return await feedback_turn(log, user_hash, text, render)
    if text.startswith(DETAILS):
        return details_turn(kb, text)
    if text.startswith(NOT_LISTED):
        reply = replies.fallback_text(render.kb, lead=replies.NOT_LISTED)
        return Turn("fallback", flags=["not_listed"], replies=[render.with_help(reply)])
    if text.startswith(ENTRY) and (entry := kb.get(text.removeprefix(ENTRY))):
        return Turn("answer", entry=entry, flags=["choice"])
    return None


async def subscription_turn(
    subscriptions: Subscribing | None, message: Incoming, text: str, render: Render
) -> Turn | None:
    """/langganan and /berhenti, and the same as keywords or buttons; an opt-in is for the
    news of the chat's office."""
    wanted = wants_subscription(text)
    if subscriptions is None or wanted is None:
        return None
    try:
        answers = await subscriptions.change(
            message.channel, message.chat_id, subscribe=wanted, office_id=render.office_id
        )
    except BotError:
        logger.exception("subscription not changed")
        return Turn("notice", flags=["db_down"], replies=[Reply(replies.TRY_AGAIN)])
    flag = "subscribe" if wanted else "unsubscribe"
    return Turn("menu", flags=[flag], replies=answers)


async def feedback_turn(log: QuestionLog, user_hash: str, text: str, render: Render) -> Turn:
    """A 👍/👎 button ("#fb:<question id>:<1 or 0>") of the user who asked."""
    question, _, vote = text.removeprefix(FEEDBACK).partition(":")
    turn = Turn("feedback")
    stored = False
    question_id = record_id(question)
    if question_id is not None and vote in {"0", "1"}:
        # The store only takes a verdict from the user who asked (forged data is refused).
        record = FeedbackRecord(question_id, vote == "1", user_hash)
        try:
            stored = await log.add_feedback(record)
        except BotError:
            logger.exception("feedback for question %s not stored", question)
    if not stored:
        turn.replies.append(Reply(replies.FEEDBACK_UNKNOWN))
    elif vote == "1":
        turn.replies.append(Reply(replies.THANKS_FEEDBACK))
    else:
        sorry = f"{replies.SORRY_FEEDBACK}\n\n{replies.footer(render.kb)}"
        turn.replies.append(render.with_help(sorry))
    return turn
