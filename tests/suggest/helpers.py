"""Generating a question log: through the real core, or as records with chosen times."""

from __future__ import annotations

import datetime as dt
import re

from bot.core.conversation import Conversation
from bot.core.vocabulary import ENTRY, Candidate, FeedbackRecord, Incoming, QuestionRecord, Reply
from bot.storage import Store

NOW = dt.datetime.now(dt.UTC).replace(microsecond=0)


async def say(chat: Conversation, user: str, text: str) -> list[Reply]:
    """One message from a Telegram user, through the core (logged as the bot logs it)."""
    return await chat.handle(Incoming("telegram", user, user, text))


async def choose(chat: Conversation, user: str, question: str, entry_id: str) -> None:
    """Ask something the bot clarifies, then press one of the offered choices."""
    (offer,) = await say(chat, user, question)
    assert ENTRY + entry_id in [button.data for button in offer.buttons], offer
    await say(chat, user, ENTRY + entry_id)


async def thumbs_up(chat: Conversation, user: str, question: str, entry_id: str) -> None:
    """Ask something the bot answers with `entry_id`, read the whole answer, press 👍."""
    short = (await say(chat, user, question))[0]
    entry = chat.matcher.kb.get(entry_id)
    assert entry is not None
    assert short.text.startswith(entry.short[:20]), short.text
    answer = (await say(chat, user, short.buttons[0].data))[0]  # 📖 Selengkapnya
    votes = [b.data for b in answer.buttons if re.fullmatch(r"#fb:\d+:1", b.data)]
    assert votes, answer
    assert answer.text.startswith(entry.answer[:20]), answer.text
    await say(chat, user, votes[0])


def record(
    text: str,
    action: str,
    *,
    user: str = "u1",
    minutes: float = 0,
    faq_id: str | None = None,
    offered: tuple[str, ...] = (),
) -> QuestionRecord:
    """A logged question at NOW + minutes; choices log no normalised words, as the core does."""
    return QuestionRecord(
        channel="telegram",
        user_hash=user * 8,
        text_redacted=text,
        normalized="" if text.startswith("#") else text.casefold(),
        action=action,
        faq_id=faq_id,
        score=0.5,
        candidates=tuple(Candidate(entry_id, 0.5) for entry_id in offered),
        latency_ms=1.0,
        kb_version="uji",
        flags=("choice",) if text.startswith("#") else (),
        created_at=NOW + dt.timedelta(minutes=minutes),
    )


def clarified(
    text: str, offered: tuple[str, ...], *, user: str = "u1", minutes: float = 0
) -> QuestionRecord:
    """A question answered with "Maksud Anda…?" offering `offered`."""
    return record(text, "clarify", offered=offered, user=user, minutes=minutes)


def pressed(entry_id: str, *, user: str = "u1", minutes: float = 0) -> QuestionRecord:
    """A press on the choice for `entry_id`."""
    return record(ENTRY + entry_id, "answer", faq_id=entry_id, user=user, minutes=minutes)


async def vote(store: Store, question_id: int, *, helpful: bool) -> None:
    assert await store.add_feedback(FeedbackRecord(question_id, helpful, "u1" * 8))


async def officer_answers(
    store: Store, question: str, answer: str, *, officer: str = "Rina"
) -> int:
    """A ticket with `question`, answered by an officer; returns its number."""
    ticket = await store.open_ticket(
        channel="telegram",
        chat_id=f"chat-{question[:10]}",
        user_hash="b" * 64,
        question=question,
        guesses=(),
        context=(),
    )
    assert await store.record_officer_reply(ticket.id, "7001", officer, answer)
    return ticket.id
