"""Complaints and suggestions: thank the applicant, pass the words on to the office, and still
answer what the knowledge base knows.

The conversation calls `Complaints.hear` once per message, after logging it and placing its
answer (an outage notice still goes first). A typed question (a turn the knowledge base
decided) that `knowledge.complaints` hears as a complaint or a suggestion gets a thank-you before
the answer or the "Maksud Anda…?" choice the core gave. Where the bot had nothing else to say (a
fallback, small talk, a pointer elsewhere that only came close, or a choice offered to someone
who asked nothing) the thank-you replaces it. What only the complaint model heard (no cue says
why) gets a plain note before the core's reply instead, since it may be a question after all.
It is recorded, redacted, with its topic through the `ComplaintLog` role, for the report's
"Suara pemohon" section.
"""

from __future__ import annotations

import logging

from bot.core.errors import BotError
from bot.core.replies import fill, footer
from bot.core.turns import Render, Turn
from bot.core.vocabulary import ComplaintLog, ComplaintRecord, Reply
from knowledge.complaints import COMPLAINT, SUGGESTION, Recogniser, Voice, default_recogniser
from knowledge.matcher import MAX_QUERY_CHARS
from knowledge.policy import CHAT, Decision

logger = logging.getLogger(__name__)

THANKS = {
    COMPLAINT: (
        "Terima kasih sudah menyampaikannya, dan mohon maaf atas ketidaknyamanan Anda. "
        "Keluhan Anda kami teruskan ke {office_name} sebagai bahan perbaikan layanan."
    ),
    SUGGESTION: (
        "Terima kasih atas sarannya. Saran Anda kami teruskan ke {office_name} sebagai bahan "
        "perbaikan layanan."
    ),
}
# For what only the complaint model heard (no cue says why): true of a question as well.
NOTED = "Terima kasih, pesan Anda juga kami catat sebagai masukan untuk {office_name}."
ONLY = "Kalau ada yang ingin ditanyakan, silakan tulis pertanyaan Anda."
# faq.yaml's out-of-scope pointer for complaints and insults: its reply only says the message
# was noted, which the thank-you says better.
COMPLAINT_POINTER = "luar-keluhan"
QUESTION_ACTIONS = frozenset({"answer", "clarify", "fallback"})


class Complaints:
    """Hears complaints and suggestions in questions; `log` keeps them (None: only reply)."""

    def __init__(self, log: ComplaintLog | None = None, *, recogniser: Recogniser | None = None):
        self._log = log
        self._recogniser = recogniser or default_recogniser()

    async def hear(
        self, channel: str, turn: Turn, text: str, question_id: int, render: Render
    ) -> Voice | None:
        """Thank for and keep the complaint or suggestion in `text` (redacted), the message
        behind `turn`; any other turn is left as it is."""
        if turn.decision is None or turn.action not in QUESTION_ACTIONS:
            return None  # buttons, menus, tickets, a slowed-down sender
        if _elsewhere(turn.decision):
            return None  # about another service (KTP at Dukcapil): its pointer says where
        voice = self._recogniser.hear(text[:MAX_QUERY_CHARS])
        if voice is None or (not voice.sure and _small_talk(turn)):
            # Thanks and greetings wish the office well ("semoga sehat selalu"): only a cue,
            # not the model's likelihood, makes them a complaint.
            return None
        entry_id = _entry_id(turn)
        # turn.replies[0] is the core's reply: the answer, the choice or the fallback.
        if not voice.sure:
            # Only likely a complaint: a plain note that fits a question too, before the
            # core's reply, which stays (a fallback keeps its contact and its way to a person).
            turn.replies.insert(0, Reply(fill(NOTED, render.kb)))
        elif _nothing_else(turn, voice):
            entry_id = None
            thanks = fill(THANKS[voice.kind], render.kb)
            turn.replies[0] = render.with_help(f"{thanks}\n\n{ONLY}\n\n{footer(render.kb)}")
        else:
            turn.replies.insert(0, Reply(fill(THANKS[voice.kind], render.kb)))
        record = ComplaintRecord(question_id, channel, voice.kind, voice.topic, entry_id, text)
        await self._keep(record)
        return voice

    async def _keep(self, record: ComplaintRecord) -> None:
        # Without a logged question (the database was down) there is nothing to tie it to.
        if self._log is None or not record.question_id:
            return
        try:
            await self._log.add_complaint(record)
        except BotError:
            logger.exception("complaint on question %s not stored", record.question_id)


def _nothing_else(turn: Turn, voice: Voice) -> bool:
    """The bot had nothing of its own to add: small talk ("makasih, tapi antrenya lama"), a
    "Maksud Anda…?" for someone who asked nothing, or a fallback, unless it says an entry is
    being updated."""
    if turn.action == "answer":
        return _small_talk(turn)
    if turn.action == "clarify":
        return not voice.asks
    # A fallback: the pointer left is the one for complaints, or one that only came close.
    return not any(flag.startswith("expired:") for flag in turn.flags)


def _small_talk(turn: Turn) -> bool:
    return turn.action == "answer" and turn.entry is not None and turn.entry.category == CHAT


def _elsewhere(decision: Decision) -> bool:
    """An out-of-scope pointer fits better than any passport topic, and it is not the one
    for complaints and insults."""
    pointer = decision.redirect
    fits = decision.features.get("outside_gap", -1.0) >= 0
    return pointer is not None and fits and pointer.id != COMPLAINT_POINTER


def _entry_id(turn: Turn) -> str | None:
    """The entry answered, or the first one offered."""
    if turn.entry is not None:
        return turn.entry.id
    if turn.action == "clarify" and turn.decision and turn.decision.candidates:
        return turn.decision.candidates[0].entry.id
    return None
