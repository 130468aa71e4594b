"""The vocabulary of one conversation turn, and how replies are built from the knowledge base.

Split from `conversation` so the flow (what happens to a message) reads apart from the wording
and buttons of what the bot answers.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from bot.core.escalation import AGENT
from bot.core.privacy import normalise
from bot.core.replies import (
    AGENT_BUTTON,
    CLARIFY,
    CONTACT,
    DETAILS_BUTTON,
    DETAILS_GONE,
    EMPTY,
    EXPIRED,
    HELP,
    HELPFUL,
    MEDIA,
    MEDIA_NAMES,
    MENU_BUTTON,
    NONE_OF_THESE,
    NOT_HELPFUL,
    SUBSCRIBE_BUTTON,
    WELCOME,
    answer_text,
    fill,
    footer,
    short_text,
)
from bot.core.subscribing import SUBSCRIBE
from bot.core.vocabulary import (
    ENTRY,
    Button,
    Candidate,
    Incoming,
    QuestionRecord,
    Reply,
    record_id,
)
from knowledge.entries import Entry, KnowledgeBase
from knowledge.matcher import MAX_QUERY_CHARS
from knowledge.offices import OfficeProfile
from knowledge.policy import CHAT, Decision, Thresholds

FEEDBACK, NOT_LISTED, MENU = "#fb:", "#none:", "#menu"
# 📖 Selengkapnya: "#more:<entry id>:<question id>", so the whole answer's 👍/👎 still
# describe the question that was asked.
DETAILS = "#more:"
FLOOD_PER_MINUTE = 12
# Long messages are read whole up to what the matcher reads (issue 8); beyond it the
# applicant is told only the beginning was read.
LONG_CHARS = MAX_QUERY_CHARS
# A flooded message is still logged, but only its beginning is read: a slowed-down sender
# must not cost a full scan of every 4,096-character message.
FLOOD_LOG_CHARS = 200
# At the cut, the first half of a number, code or address would no longer look like one to
# the redactor: the cut goes back past the last word and any digit groups before it.
_CUT_TAIL = re.compile(r"[\d\s.,:;_/+()-]*\S*$")
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")
APP_CATEGORY = "aplikasi"
WIB = dt.timezone(dt.timedelta(hours=7), "WIB")
MENU_WORDS = frozenset({"/start", "/menu", "/bantuan", "/help", "menu", "#menu", "start"})
HELP_WORDS = frozenset({"/bantuan", "/help"})
CONTACT_WORDS = frozenset({"/kontak", "kontak", "#kontak"})


@dataclass(slots=True)
class Turn:
    """What the core decided for one message, before it is logged and rendered."""

    action: str
    normalized: str = ""
    entry: Entry | None = None
    decision: Decision | None = None
    lead: str = ""
    flags: list[str] = field(default_factory=list)
    replies: list[Reply] = field(default_factory=list)
    # For a 📖 Selengkapnya tap: the logged question whose short answer was tapped.
    asked_id: int = 0
    # Which office serves the applicant, when the message said or changed it (issue 21).
    office_note: Reply | None = None

    def record(
        self, channel: str, user_hash: str, text: str, latency_ms: float, kb_version: str
    ) -> QuestionRecord:
        """What the question log keeps of this turn; `text` is the redacted message."""
        decision = self.decision
        ranked = decision.candidates if decision else ()
        return QuestionRecord(
            channel=channel,
            user_hash=user_hash,
            text_redacted=text,
            normalized=self.normalized,
            action=self.action,
            faq_id=self.entry.id if self.entry else None,
            score=decision.score if decision else 0.0,
            candidates=tuple(Candidate(s.entry.id, s.score) for s in ranked),
            latency_ms=latency_ms,
            kb_version=kb_version,
            flags=tuple(self.flags),
        )

    def unless_expired(self, render: Render) -> None:
        """An entry past its `valid_until` is never given as an answer: offer a person."""
        entry = self.entry or (self.decision.expired if self.decision else None)
        if entry is None or not entry.expired(dt.date.today()):
            return
        text = f"{EXPIRED.format(title=entry.title)}\n\n{footer(render.kb)}"
        self.action, self.entry = "fallback", None
        self.flags.append(f"expired:{entry.id}")
        self.replies = [render.with_help(text)]


@dataclass(frozen=True, slots=True)
class Options:
    """Tunables of the core (from Settings)."""

    thresholds: Thresholds = field(default_factory=Thresholds)
    long_chars: int = LONG_CHARS
    flood_per_minute: int = FLOOD_PER_MINUTE
    # The flood guard protects remote channels; the local terminal (often piped input) is
    # the operator's own keyboard, so it is never slowed down.
    unthrottled: frozenset[str] = frozenset({"terminal"})


def sanitize(text: str) -> str:
    """Drop control characters (NUL included), lone surrogates, and invisible format
    characters (BOM, zero-width, bidi isolates and overrides); collapse whitespace."""
    return " ".join(normalise(_CONTROL.sub(" ", text)).split())


def flood_excerpt(text: str) -> str:
    """The beginning of a flooded message, cut where no half number or address is left."""
    head = sanitize(text[:FLOOD_LOG_CHARS])
    if len(text) <= FLOOD_LOG_CHARS and len(head) <= FLOOD_LOG_CHARS:
        return head
    return _CUT_TAIL.sub("", head[:FLOOD_LOG_CHARS], count=1) + "…"


def details_turn(kb: KnowledgeBase, text: str) -> Turn:
    """A 📖 Selengkapnya tap: its own action in the log, so reports count taps per entry
    without counting the question twice."""
    entry_id, _, question = text.removeprefix(DETAILS).rpartition(":")
    entry = kb.get(entry_id)
    if entry is None:  # the knowledge base was changed since the short answer was sent
        return Turn("notice", flags=["details_gone"], replies=[Reply(DETAILS_GONE)])
    asked = record_id(question) or 0
    return Turn("details", entry=entry, flags=["details"], asked_id=asked)


def has_words(text: str) -> bool:
    """True when the text contains at least one letter or digit."""
    return any(ch.isalnum() for ch in text)


class Render:
    """Replies for one knowledge base; `agent` and `subscribe` say which services run."""

    def __init__(
        self,
        kb: KnowledgeBase,
        *,
        agent: bool,
        subscribe: bool,
        office: OfficeProfile | None = None,
    ) -> None:
        self.kb = kb
        self.office = office  # the applicant's office (its card is `kb.office`)
        self._agent = agent
        self._subscribe = subscribe

    @property
    def office_id(self) -> str | None:
        """The applicant's office id, when known."""
        return self.office.id if self.office is not None else None

    def answer(self, entry: Entry, question_id: int) -> Reply:
        """The first reply: the short answer and 📖 Selengkapnya where the entry has more to
        say, else the whole answer."""
        if entry.category == CHAT:
            # Small talk needs no details: its short form is the whole reply.
            buttons = self.menu_buttons() if entry.id == "sapaan" else ()
            return Reply(fill(entry.short or entry.answer, self.kb).strip(), buttons=buttons)
        if entry.has_details:
            more = Button(DETAILS_BUTTON, f"{DETAILS}{entry.id}:{question_id}")
            # Where only the office knows the rest, a person stays one tap away (issue 11).
            ask = (Button(AGENT_BUTTON, AGENT),) if entry.office_dependent and self._agent else ()
            return Reply(short_text(entry, self.kb), buttons=(more, *ask))
        whole = self.details(entry, question_id)
        return Reply(answer_text(entry, self.kb, first=True), buttons=whole.buttons)

    def details(self, entry: Entry, question_id: int) -> Reply:
        """The whole answer with follow-ups, 🙋 where only the office knows, and 👍/👎 on the
        question `question_id`."""
        kb = self.kb
        related = [
            Button(other.title, ENTRY + other.id)
            for other in (kb.get(i) for i in entry.related)
            if other is not None
        ]
        if entry.office_dependent and self._agent:
            related.append(Button(AGENT_BUTTON, AGENT))
        if question_id:
            related.append(Button(HELPFUL, f"{FEEDBACK}{question_id}:1"))
            related.append(Button(NOT_HELPFUL, f"{FEEDBACK}{question_id}:0"))
        return Reply(answer_text(entry, kb), buttons=tuple(related))

    def clarify(self, decision: Decision) -> Reply:
        buttons = [Button(s.entry.title, ENTRY + s.entry.id) for s in decision.candidates[:3]]
        buttons.append(Button(NONE_OF_THESE, NOT_LISTED + "0"))
        return Reply(CLARIFY, buttons=tuple(buttons))

    def with_help(self, text: str) -> Reply:
        """A reply offering a person (where officers run) and the menu."""
        return Reply(text, buttons=self.help_buttons())

    def help_buttons(self) -> tuple[Button, ...]:
        menu = Button(MENU_BUTTON, MENU)
        return (Button(AGENT_BUTTON, AGENT), menu) if self._agent else (menu,)

    def welcome(self) -> str:
        return fill(WELCOME, self.kb)

    def menu_buttons(self) -> tuple[Button, ...]:
        return tuple(Button(e.title, ENTRY + e.id) for e in self.kb.menu_entries())

    def menu(self, text: str, *, keyboard: bool = False) -> Reply:
        buttons = self.menu_buttons()
        if keyboard and self._agent:
            buttons += (Button(AGENT_BUTTON, AGENT),)
        if keyboard and self._subscribe:
            buttons += (Button(SUBSCRIBE_BUTTON, SUBSCRIBE),)
        return Reply(text, buttons=buttons, keyboard=keyboard)

    def titles(self) -> dict[str, Entry]:
        """Menu titles typed back (a Telegram reply keyboard sends the label as text)."""
        return {e.title.casefold(): e for e in self.kb.menu_entries()}


def menu_turn(message: Incoming, text: str, render: Render) -> Turn | None:
    """Media, an empty message, a menu word or a request for the office's contacts."""
    if message.kind != "text":
        what = MEDIA_NAMES.get(message.kind, "pesan jenis ini")
        reply = render.with_help(MEDIA.format(what=what))
        return Turn("notice", flags=[f"media:{message.kind}"], replies=[reply])
    if not text:
        return Turn("notice", flags=["empty"], replies=[render.menu(EMPTY)])
    command = text.casefold().split("@")[0]
    if command in MENU_WORDS:
        welcome = HELP if command in HELP_WORDS else render.welcome()
        return Turn("menu", replies=[render.menu(welcome, keyboard=True)])
    if command in CONTACT_WORDS:
        contact = fill(CONTACT, render.kb) + "\n\n" + footer(render.kb)
        return Turn("menu", replies=[render.with_help(contact)])
    return None
