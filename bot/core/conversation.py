"""The channel-agnostic core: one incoming message in, the replies to send out.

It decides from the knowledge base, hands questions to officers when asked, logs every message
(redacted) through the QuestionLog seam, and never raises: bad input gets a polite reply.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import time
from functools import partial

from bot.core import hashing, replies
from bot.core.buttons import choice_turn, subscription_turn
from bot.core.complaints import Complaints
from bot.core.errors import BotError
from bot.core.escalation import Escalation
from bot.core.notices import pin_outage
from bot.core.offices import OfficeRouting, Routed, has_office_flag, office_noted
from bot.core.privacy import redact
from bot.core.subscribing import Subscribing
from bot.core.ticket_step import Asker, ticket_step
from bot.core.turns import (
    Options,
    Render,
    Turn,
    flood_excerpt,
    has_words,
    menu_turn,
    sanitize,
)
from bot.core.vocabulary import (
    NEVER,
    Candidate,
    ChatQuery,
    ChatReads,
    ChatSnapshot,
    ComplaintLog,
    Incoming,
    NoticeBoard,
    Outcome,
    QuestionLog,
    Reply,
)
from knowledge.matcher import Matcher
from knowledge.offices import OfficeProfile
from knowledge.policy import CHAT, decide

logger = logging.getLogger(__name__)

# Where the applicant lives is asked after these, never in the middle of a talk with an
# officer or after a notice.
ASKS_AFTER = frozenset({"answer", "clarify", "fallback", "menu", "details"})


class Conversation:
    """Answers applicants from the knowledge base and logs every message."""

    def __init__(
        self,
        matcher: Matcher,
        log: QuestionLog,
        *,
        salt: str,
        options: Options | None = None,
        escalation: Escalation | None = None,
        notices: NoticeBoard | None = None,
        subscriptions: Subscribing | None = None,
        complaints: ComplaintLog | None = None,
        offices: OfficeRouting | None = None,
        reads: ChatReads | None = None,
    ) -> None:
        self.matcher = matcher
        self.escalation = escalation
        self.notices = notices
        self.subscriptions = subscriptions
        self._log = log
        self._salt = salt.encode()
        self._options = options or Options()
        self._complaints = Complaints(complaints)
        self.offices = offices
        self._reads = reads

    def reload(self, matcher: Matcher) -> None:
        """Start serving a new knowledge base (the caller has validated it)."""
        self.matcher = matcher

    def user_hash(self, message: Incoming) -> str:
        """Salted hash of the channel user; the raw id is never stored."""
        return hashing.user_hash(self._salt, message.channel, message.user_id)

    def chat_hash(self, channel: str, chat_id: str) -> str:
        """Salted hash of a chat, for tables that only need to recognise it again."""
        return hashing.chat_hash(self._salt, channel, chat_id)

    async def handle(self, message: Incoming) -> list[Reply]:
        """Reply to one message; log it (redacted) whatever happens."""
        return (await self.respond(message)).replies

    async def respond(self, message: Incoming) -> Outcome:
        """`handle`, saying also what was decided: a channel that answers in public (comments)
        must tell a question the knowledge base answered from small talk or a fallback."""
        started = time.perf_counter()
        snap = await self._snapshot(message)
        flooded = await self._flood_guard(message, snap)
        # The guard reads only the log (in the snapshot), so a slowed-down sender costs one
        # short read.
        found = redact(flood_excerpt(message.text) if flooded else sanitize(message.text))
        if flooded:  # its office is not looked up: the guard is there to save work
            turn, here = flooded, Routed(None, asked=True)
        else:
            turn, here = await self._office_turn(message, found.text, snap)
        render = self._render(message.channel, here.office)
        turn.unless_expired(render)
        if found.kinds:
            turn.flags.append("pii:" + ",".join(sorted(found.kinds)))
            # Button data ("#fb:123:0") is ours: a long id there is no NIK to warn about. A
            # slowed-down sender gets one notice, then silence, not a warning per message.
            if not message.text.startswith("#") and flooded is None:
                turn.replies.append(Reply(replies.PRIVACY_WARNING))
        question_id = await self._record(message, turn, found.text, started, here)
        if turn.action == "answer" and turn.entry is not None:
            turn.replies.insert(0, render.answer(turn.entry, question_id))
        elif turn.action == "details" and turn.entry is not None:
            turn.replies.insert(0, render.details(turn.entry, turn.asked_id))
        await self._complaints.hear(message.channel, turn, found.text, question_id, render)
        await pin_outage(self.notices, turn)
        if turn.lead:
            turn.replies.insert(0, Reply(turn.lead))
        if turn.office_note is not None:
            turn.replies.insert(0, turn.office_note)
        await self._ask_office(message, turn, here)
        return Outcome(turn.replies, turn.action, *_topic(turn))

    async def _office_turn(
        self, message: Incoming, text: str, snap: ChatSnapshot | None
    ) -> tuple[Turn, Routed]:
        """The office part of the message (see `bot.core.offices`), then the rest of it."""
        if self.offices is None:
            turn = await self._route(message, text, self._render(message.channel, None), snap)
            return turn, Routed(None, asked=True)
        chat = self.chat_hash(message.channel, message.chat_id)
        if snap is not None:
            here = self.offices.route(message, snap.office)
        else:
            here = await self.offices.routed(message, chat)
        step = await self.offices.step(message, chat, text, here)
        if step.moved_to is not None:
            here = Routed(step.moved_to, chosen=True, asked=True)
            await self._moved(message, here)
        render = self._render(message.channel, here.office)
        if step.reply is not None:
            reply = Reply(step.reply.text, buttons=step.reply.buttons or render.menu_buttons())
            return Turn("menu", flags=[step.flag], replies=[reply]), here
        turn = await self._route(message, step.text or text, render, snap)
        if step.flag:
            turn.flags.append(step.flag)
        return office_noted(turn, step.lead, render), here

    async def _moved(self, message: Incoming, here: Routed) -> None:
        """A subscription follows the chat to its new office."""
        if self.subscriptions is None:
            return
        try:
            await self.subscriptions.moved(message.channel, message.chat_id, here.office_id)
        except BotError:
            logger.exception("subscription not moved to the chat's new office")

    async def _ask_office(self, message: Incoming, turn: Turn, here: Routed) -> None:
        """Ask once where the applicant lives, when nothing says which office is theirs."""
        if self.offices is None or turn.action not in ASKS_AFTER or has_office_flag(turn.flags):
            return
        chat = self.chat_hash(message.channel, message.chat_id)
        if (ask := await self.offices.ask_once(message, chat, here)) is not None:
            turn.replies.append(ask)

    def chat_query(self, channel: str, chat_id: str, user_id: str) -> ChatQuery | None:
        """What a message of `user_id` in the chat reads first (`ChatReads`); None: nothing.
        An inbox asks for it while storing the message: one round trip for both."""
        if self._reads is None or (self.escalation is None and self.offices is None):
            return None
        since = _minute_ago() if self._throttled(channel) else NEVER
        user = hashing.user_hash(self._salt, channel, user_id)
        return ChatQuery(channel, chat_id, user, self.chat_hash(channel, chat_id), since)

    async def _snapshot(self, message: Incoming) -> ChatSnapshot | None:
        """The message's reads in one round trip (`bot.core.vocabulary.ChatReads`); None: each step
        reads on its own, and handles an outage its own way, as without a snapshot."""
        query = self.chat_query(message.channel, message.chat_id, message.user_id)
        if query is None or self._reads is None:
            return None
        try:
            return await self._reads.snapshot(query)
        except BotError:
            return None

    def _throttled(self, channel: str) -> bool:
        return self.escalation is not None and channel not in self._options.unthrottled

    async def _flood_guard(self, message: Incoming, snap: ChatSnapshot | None) -> Turn | None:
        """Slow down someone sending very many messages: one polite notice, then quiet."""
        if not self._throttled(message.channel):
            return None
        # From the log, which also counts what it holds in memory while the database is down.
        sent = (
            snap.sent
            if snap
            else await self._log.messages_since(self.user_hash(message), _minute_ago())
        )
        limit = self._options.flood_per_minute
        if sent < limit:
            return None
        notice = [Reply(replies.FLOOD)] if sent == limit else []
        return Turn("notice", flags=["flood"], replies=notice)

    async def _route(
        self, message: Incoming, text: str, render: Render, snap: ChatSnapshot | None
    ) -> Turn:
        """The first reading that fits: a menu word, a subscription, a button, a ticket step,
        else a question for the knowledge base."""
        turn = menu_turn(message, text, render) or await subscription_turn(
            self.subscriptions, message, text, render
        )
        if turn is None:
            user = self.user_hash(message)
            turn = await choice_turn(self._log, user, self.matcher.kb, text, render)
        turn = turn or await self._ticket_step(message, text, render, snap)
        if turn is not None:
            return turn
        if not has_words(text):
            menu = render.menu(replies.NO_TEXT)
            return Turn("fallback", flags=["no_text"], replies=[menu])
        return self._question(text, render)

    async def _ticket_step(
        self, message: Incoming, text: str, render: Render, snap: ChatSnapshot | None
    ) -> Turn | None:
        """Requests for a person, closing a ticket, and messages while one is open."""
        if self.escalation is None:
            return None
        question = partial(self._question, render=render)
        office = render.office_id
        asker = Asker(self.user_hash(message), render.kb, question, self._guess, office,
                      known=snap is not None, active=snap.ticket if snap else None)  # fmt: skip
        return await ticket_step(self.escalation, message, text, asker)

    def _guess(self, question: str) -> tuple[Candidate, ...]:
        ranking = self.matcher.rank(question)
        decision = decide(ranking, self._options.thresholds)
        return tuple(Candidate(s.entry.id, s.score) for s in decision.candidates[:3])

    def _question(self, text: str, render: Render) -> Turn:
        turn = Turn("fallback")
        limit = self._options.long_chars
        if len(text) > limit:
            turn.lead, turn.flags = replies.LONG, ["long"]
        ranking = self.matcher.rank(text[:limit])
        decision = decide(ranking, self._options.thresholds)
        turn.normalized, turn.decision, turn.action = ranking.normalized, decision, decision.action
        if decision.action == "answer":
            turn.entry = decision.entry
        elif decision.action == "clarify":
            turn.replies.append(render.clarify(decision))
        else:
            reply = replies.fallback_text(render.kb, redirect=decision.redirect)
            turn.replies.append(render.with_help(reply))
        return turn

    async def _record(
        self, message: Incoming, turn: Turn, text: str, started: float, here: Routed
    ) -> int:
        latency_ms = round((time.perf_counter() - started) * 1000, 3)
        user_hash, version = self.user_hash(message), self.matcher.kb.version
        record = turn.record(message.channel, user_hash, text, latency_ms, version)
        record = dataclasses.replace(record, office_id=here.office_id)
        try:
            return await self._log.log_question(record)
        except BotError:
            logger.exception("question not logged (channel %s)", message.channel)
            return 0

    def _render(self, channel: str | None = None, office: OfficeProfile | None = None) -> Render:
        """Replies for `office` (its details filled into answers) on `channel`, where the menu
        offers subscribing only where announcements reach (not on Instagram, whose 24-hour
        window rules them out)."""
        subscribe = False
        if self.subscriptions is not None and channel is not None:
            subscribe = self.subscriptions.offered(channel)
        kb = self.offices.kb_for(self.matcher.kb, office) if self.offices else self.matcher.kb
        return Render(kb, agent=self.escalation is not None, subscribe=subscribe, office=office)


def _topic(turn: Turn) -> tuple[str | None, bool]:
    """The entry answered (or the best one offered), and whether it is small talk."""
    entry = turn.entry
    if entry is None and turn.decision is not None and turn.decision.candidates:
        entry = turn.decision.candidates[0].entry
    return (entry.id, entry.category == CHAT) if entry is not None else (None, False)


def _minute_ago() -> dt.datetime:
    """Where the flood guard's minute starts."""
    return dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)
