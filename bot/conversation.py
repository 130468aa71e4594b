"""The channel-agnostic core: one incoming message in, the replies to send out.

It decides from the knowledge base, logs every message (redacted) through the QuestionLog
seam, and never raises for bad input: every message gets a polite reply.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
import time
from dataclasses import dataclass, field

from bot import replies as say
from bot.errors import BotError
from bot.model import (
    Button,
    Candidate,
    FeedbackRecord,
    Incoming,
    QuestionLog,
    QuestionRecord,
    Reply,
)
from bot.privacy import redact
from knowledge.entries import Entry
from knowledge.matcher import Matcher
from knowledge.policy import CHAT, Decision, Thresholds, decide

logger = logging.getLogger(__name__)

ENTRY, FEEDBACK, NOT_LISTED, MENU = "#faq:", "#fb:", "#none:", "#menu"
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\ufeff\ud800-\udfff]")
MENU_WORDS = frozenset({"/start", "/menu", "/bantuan", "menu", "#menu", "start"})


@dataclass(slots=True)
class _Turn:
    """What the core decided for one message, before it is logged and rendered."""

    action: str
    text: str = ""
    normalized: str = ""
    entry: Entry | None = None
    decision: Decision | None = None
    lead: str = ""
    flags: list[str] = field(default_factory=list)
    replies: list[Reply] = field(default_factory=list)


def sanitize(text: str) -> str:
    """Drop control characters (NUL included), lone surrogates and BOMs; collapse whitespace."""
    return " ".join(_CONTROL.sub(" ", text).split())


def has_words(text: str) -> bool:
    """True when the text contains at least one letter or digit."""
    return any(ch.isalnum() for ch in text)


class Conversation:
    """Answers applicants from the knowledge base and logs every message."""

    def __init__(
        self,
        matcher: Matcher,
        log: QuestionLog,
        *,
        salt: str,
        thresholds: Thresholds | None = None,
        long_chars: int = 1000,
    ) -> None:
        self.matcher = matcher
        self._log = log
        self._salt = salt.encode()
        self._thresholds = thresholds or Thresholds()
        self._long_chars = long_chars

    def reload(self, matcher: Matcher) -> None:
        """Start serving a new knowledge base (the caller has validated it)."""
        self.matcher = matcher

    def user_hash(self, message: Incoming) -> str:
        """Salted hash of the channel user; the raw id is never stored."""
        key = f"{message.channel}:{message.user_id}".encode()
        return hmac.new(self._salt, key, hashlib.sha256).hexdigest()

    async def handle(self, message: Incoming) -> list[Reply]:
        """Reply to one message; log it (redacted) whatever happens."""
        started = time.perf_counter()
        text = sanitize(message.text)
        found = redact(text)
        turn = await self._route(message, found.text)
        if found.kinds:
            turn.flags.append("pii:" + ",".join(sorted(found.kinds)))
            turn.replies.append(Reply(say.PRIVACY_WARNING))
        question_id = await self._record(message, turn, found.text, started)
        if turn.action == "answer" and turn.entry is not None:
            turn.replies[0:0] = self._answer(turn.entry, question_id)
        if turn.lead:
            turn.replies.insert(0, Reply(turn.lead))
        return turn.replies

    async def _route(self, message: Incoming, text: str) -> _Turn:
        if not text:
            return _Turn("notice", flags=["empty"], replies=[self._menu(say.EMPTY)])
        if text.casefold() in MENU_WORDS:
            return _Turn("menu", text=text, replies=[self._menu(self._welcome())])
        if text.startswith(FEEDBACK):
            return await self._feedback(message, text)
        if text.startswith(NOT_LISTED):
            reply = say.fallback_text(self.matcher.kb, lead=say.NOT_LISTED)
            return _Turn("fallback", text=text, flags=["not_listed"], replies=[Reply(reply)])
        if text.startswith(ENTRY):
            entry = self.matcher.kb.get(text.removeprefix(ENTRY))
            if entry is not None:
                return _Turn("answer", text=text, entry=entry, flags=["choice"])
        if not has_words(text):
            return _Turn("notice", text=text, flags=["no_text"], replies=[self._menu(say.NO_TEXT)])
        return self._question(text)

    def _question(self, text: str) -> _Turn:
        turn = _Turn("fallback", text=text)
        if len(text) > self._long_chars:
            turn.lead, turn.flags = say.LONG, ["long"]
        ranking = self.matcher.rank(text[: self._long_chars])
        decision = decide(ranking, self._thresholds)
        turn.normalized, turn.decision, turn.action = ranking.normalized, decision, decision.action
        if decision.action == "answer":
            turn.entry = decision.entry
        elif decision.action == "clarify":
            turn.replies.append(self._clarify(decision))
        else:
            kb = self.matcher.kb
            turn.replies.append(Reply(say.fallback_text(kb, redirect=decision.redirect)))
        return turn

    async def _feedback(self, message: Incoming, text: str) -> _Turn:
        question, _, vote = text.removeprefix(FEEDBACK).partition(":")
        turn = _Turn("feedback", text=text)
        if not question.isdigit() or vote not in {"0", "1"}:
            turn.replies.append(Reply(say.FEEDBACK_UNKNOWN))
            return turn
        record = FeedbackRecord(int(question), vote == "1", self.user_hash(message))
        try:
            stored = await self._log.add_feedback(record)
        except BotError:
            logger.exception("feedback for question %s not stored", question)
            stored = False
        if not stored:
            turn.replies.append(Reply(say.FEEDBACK_UNKNOWN))
        elif vote == "1":
            turn.replies.append(Reply(say.THANKS_FEEDBACK))
        else:
            turn.replies.append(
                self._menu(say.SORRY_FEEDBACK + "\n\n" + say.footer(self.matcher.kb))
            )
        return turn

    async def _record(self, message: Incoming, turn: _Turn, text: str, started: float) -> int:
        decision = turn.decision
        entry = turn.entry
        record = QuestionRecord(
            channel=message.channel,
            user_hash=self.user_hash(message),
            text_redacted=text,
            normalized=turn.normalized,
            action=turn.action,
            faq_id=entry.id if entry else None,
            score=decision.score if decision else 0.0,
            candidates=tuple(Candidate(s.entry.id, s.score) for s in decision.candidates)
            if decision
            else (),
            latency_ms=round((time.perf_counter() - started) * 1000, 3),
            kb_version=self.matcher.kb.version,
            flags=tuple(turn.flags),
        )
        try:
            return await self._log.log_question(record)
        except BotError:
            logger.exception("question not logged (channel %s)", message.channel)
            return 0

    def _answer(self, entry: Entry, question_id: int) -> list[Reply]:
        kb = self.matcher.kb
        if entry.category == CHAT:
            buttons = self._menu_buttons() if entry.id == "sapaan" else ()
            return [Reply(f"{say.fill(entry.answer, kb).strip()}", buttons=buttons)]
        related = tuple(
            Button(other.title, ENTRY + other.id)
            for other in (kb.get(i) for i in entry.related)
            if other is not None
        )
        answer = Reply(say.answer_text(entry, kb), buttons=related)
        if not question_id:
            return [answer]
        votes = (
            Button(say.HELPFUL, f"{FEEDBACK}{question_id}:1"),
            Button(say.NOT_HELPFUL, f"{FEEDBACK}{question_id}:0"),
        )
        return [answer, Reply(say.FEEDBACK_QUESTION, buttons=votes)]

    def _clarify(self, decision: Decision) -> Reply:
        buttons = [Button(s.entry.title, ENTRY + s.entry.id) for s in decision.candidates[:3]]
        buttons.append(Button(say.NONE_OF_THESE, NOT_LISTED + "0"))
        return Reply(say.CLARIFY, buttons=tuple(buttons))

    def _welcome(self) -> str:
        return say.fill(say.WELCOME, self.matcher.kb)

    def _menu_buttons(self) -> tuple[Button, ...]:
        return tuple(Button(e.title, ENTRY + e.id) for e in self.matcher.kb.menu_entries())

    def _menu(self, text: str) -> Reply:
        return Reply(text, buttons=self._menu_buttons())
