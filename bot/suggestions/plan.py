"""What `kb suggest` proposes: example questions for existing entries and draft new entries.

Pure: the evidence comes in already read from the database, a `Proposal` goes out. Examples
come first (they are the surest), then the pending drafts, then the biggest groups of
questions the bot could not answer. Whatever the knowledge base already has (compared after
normalising) and whatever still carries a redaction placeholder ("[NIK]") is left out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from bot.reporting.clusters import Cluster
from bot.suggestions.groups import grouped
from bot.suggestions.rules import (
    alike,
    paired_choices,
    repeated_entry,
    usable,
    wording_key,
)
from bot.suggestions.vocabulary import AnsweredTicket, ChoiceTurn, FaqDraft
from knowledge.matcher import Matcher
from knowledge.policy import CHAT, OUT_OF_SCOPE, Thresholds, decide
from knowledge.text import Normaliser

if TYPE_CHECKING:
    from bot.reporting.vocabulary import UnansweredRow

MIN_CLUSTER = 3
MAX_NEW_ENTRIES = 15
MAX_EXAMPLES_PER_ENTRY = 10

# The thresholds are probabilities now (knowledge.calibration): a raw score this low is a
# weak match that would only make a draft's category look deliberate.
PLAUSIBLE_SCORE = 0.3


@dataclass(frozen=True, slots=True)
class Example:
    """A question to add to an existing entry's `questions`, and why."""

    entry_id: str
    text: str
    note: str


@dataclass(slots=True)
class NewEntry:
    """A draft entry: its questions, the answer if someone wrote one, and where it came from."""

    questions: list[str]
    answer: str | None
    category: str
    notes: list[str]
    keys: list[str] = field(default_factory=list)
    office_id: str | None = None  # the one office all its questions came from; None: national


@dataclass(frozen=True, slots=True)
class Evidence:
    """Everything read from the database for one run."""

    turns: Sequence[ChoiceTurn] = ()
    helpful: Sequence[tuple[str, str]] = ()
    tickets: Sequence[AnsweredTicket] = ()
    fallbacks: Sequence[UnansweredRow] = ()
    drafts: Sequence[FaqDraft] = ()
    refused: Sequence[FaqDraft] = ()  # rejected drafts: their wordings are not proposed again


@dataclass(frozen=True, slots=True)
class Proposal:
    """What to add to faq.yaml; `skipped` says which drafts were left out and why."""

    examples: tuple[Example, ...]
    entries: tuple[NewEntry, ...]
    skipped: tuple[str, ...] = ()


@dataclass(slots=True)
class _Tally:
    """The evidence that one wording belongs to one entry."""

    text: str
    chosen: int = 0
    helpful: int = 0
    tickets: list[int] = field(default_factory=list)
    drafts: list[int] = field(default_factory=list)

    @property
    def weight(self) -> int:
        return self.chosen + self.helpful + len(self.tickets) + len(self.drafts)

    def note(self) -> str:
        parts = []
        if self.chosen:
            parts.append(f'dipilih {self.chosen}× lewat "Maksud Anda…?"')
        if self.helpful:
            parts.append(f"dijawab dengan entri ini dan diberi 👍 {self.helpful}×")
        if self.tickets:
            parts.append(
                "petugas menjawab dengan isi entri ini di tiket " + _numbers(self.tickets)
            )
        if self.drafts:
            parts.append("draf " + _numbers(self.drafts))
        return "; ".join(parts)


def likely_category(matcher: Matcher, question: str) -> str:
    """The category of a plausibly close in-scope entry, else the first topic category."""
    for scored in matcher.rank(question).scored:
        if scored.score < PLAUSIBLE_SCORE:
            break  # a weak match would only make the category look deliberate
        if scored.entry.category not in (CHAT, OUT_OF_SCOPE):
            return scored.entry.category
    kb = matcher.kb
    topics = [key for key in kb.categories if key not in (CHAT, OUT_OF_SCOPE)]
    return (topics or list(kb.categories) or [kb.entries[0].category])[0]


def _numbers(values: Iterable[int]) -> str:
    return ", ".join(f"#{value}" for value in values)


class Planner:
    """Turns one run's evidence into a `Proposal` against one knowledge base."""

    def __init__(self, matcher: Matcher, *, thresholds: Thresholds, zone: dt.tzinfo) -> None:
        self._matcher, self._kb = matcher, matcher.kb
        self._thresholds, self._zone = thresholds, zone
        self._known = {self._norm(q) for entry in self._kb.entries for q in entry.questions}
        self._votes: dict[str, dict[str, _Tally]] = {}
        # (entry id or None for a new entry, normalised wording) of every rejected draft
        self._refused: set[tuple[str | None, str]] = set()
        self._entries: list[NewEntry] = []
        self._skipped: list[str] = []

    @property
    def normaliser(self) -> Normaliser:
        """The matcher's normaliser, which wordings are compared with."""
        return self._matcher.normaliser

    def plan(self, evidence: Evidence) -> Proposal:
        """Examples first (they are the surest), then drafts, then the biggest groups."""
        self._refused = {
            (d.entry_id, self._norm(q)) for d in evidence.refused for q in d.questions
        }
        for text, entry_id in paired_choices(evidence.turns):
            if tally := self._vote(text, entry_id):
                tally.chosen += 1
        for text, entry_id in evidence.helpful:
            if tally := self._vote(text, entry_id):
                tally.helpful += 1
        unmatched = self._tickets(evidence.tickets)
        drafts = self._drafts(evidence.drafts)
        examples = self._examples()
        for draft in drafts:
            self._from_draft(draft)
        drafted = 0
        for group, office in grouped(evidence.fallbacks):
            if group.size < MIN_CLUSTER or drafted == MAX_NEW_ENTRIES:
                break
            drafted += self._from_cluster(group, unmatched, office)
        return Proposal(tuple(examples), tuple(self._entries), tuple(self._skipped))

    def _tickets(self, tickets: Sequence[AnsweredTicket]) -> list[AnsweredTicket]:
        """Vote for the entry each officer answer repeats; return the other tickets."""
        unmatched = []
        for ticket in tickets:
            entry_id = repeated_entry(ticket.answer, self._kb)
            if entry_id is None:
                unmatched.append(ticket)
            elif tally := self._vote(ticket.question, entry_id):
                tally.tickets.append(ticket.id)
        return unmatched

    def _drafts(self, drafts: Sequence[FaqDraft]) -> list[FaqDraft]:
        """Vote with drafts that name an existing entry; return the ones for new entries."""
        rest = []
        for draft in drafts:
            if draft.entry_id is None or self._kb.get(draft.entry_id) is None:
                rest.append(draft)
                continue
            for question in draft.questions:
                if tally := self._vote(question, draft.entry_id):
                    tally.drafts.append(draft.id)
        return rest

    def _vote(self, text: str, entry_id: str) -> _Tally | None:
        question = usable(text)
        norm = self._norm(question) if question else ""
        if question is None or not norm or norm in self._known or not self._kb.get(entry_id):
            return None
        if (entry_id, norm) in self._refused:
            return None
        return self._votes.setdefault(norm, {}).setdefault(entry_id, _Tally(question))

    def _examples(self) -> list[Example]:
        """The best-supported wordings per entry, in file order; ties between entries drop."""
        picked: dict[str, list[_Tally]] = {}
        for by_entry in self._votes.values():
            ranked = sorted(by_entry.items(), key=lambda item: -item[1].weight)
            if len(ranked) > 1 and ranked[0][1].weight == ranked[1][1].weight:
                continue
            picked.setdefault(ranked[0][0], []).append(ranked[0][1])
        examples = [
            Example(entry.id, tally.text, tally.note())
            for entry in self._kb.entries
            for tally in sorted(picked.get(entry.id, []), key=lambda t: -t.weight)[
                :MAX_EXAMPLES_PER_ENTRY
            ]
        ]
        self._known.update(self._norm(example.text) for example in examples)
        return examples

    def _from_draft(self, draft: FaqDraft) -> None:
        questions = self._fresh(draft.questions)
        if not questions:
            self._skipped.append(
                f"draf #{draft.id} dilewati: pertanyaannya sudah ada di faq.yaml"
                " atau masih berisi data pribadi"
            )
            return
        day = draft.created_at.astimezone(self._zone).date()
        if draft.source == "ticket":
            note = f"draf #{draft.id}: tiket #{draft.ticket_id} dijadikan FAQ"
            note += f" oleh {draft.created_by or 'petugas'} ({day})"
        else:
            note = f"draf #{draft.id} ({draft.source}, {day})"
        self._add(questions, draft.answer, [note], draft.office_id)

    def _from_cluster(
        self, group: Cluster, tickets: Sequence[AnsweredTicket], office: str | None
    ) -> int:
        """Draft an entry (of `office`, None: national) from a group the knowledge base
        still cannot answer; 1 if added."""
        decision = decide(self._matcher.rank(group.example), self._thresholds)
        refused = {norm for entry_id, norm in self._refused if entry_id is None}
        questions = [q for q in self._fresh(group.examples) if self._norm(q) not in refused]
        # Answered now (the file changed since), or another agency's job: nothing to add.
        if decision.action == "answer" or decision.redirect is not None or not questions:
            return 0
        keys = [self._key(text) for text in group.examples]
        ticket = next(
            (t for t in reversed(tickets) if any(alike(self._key(t.question), k) for k in keys)),
            None,
        )
        first, last = (
            d.astimezone(self._zone).date() for d in (group.first_seen, group.last_seen)
        )
        examples = "; ".join(f'"{text}"' for text in group.examples)
        notes = [
            f"{group.size} pertanyaan tidak terjawab ({first} s.d. {last}), contoh: {examples}"
        ]
        if ticket is not None:
            notes.append(f"jawaban dari petugas {ticket.officer or ''} di tiket #{ticket.id}")
        self._add(questions, ticket.answer if ticket else None, notes, office)
        return 1

    def _fresh(self, texts: Iterable[str]) -> list[str]:
        """Usable texts not in the knowledge base yet, one per normalised wording."""
        fresh: dict[str, str] = {}
        for text in texts:
            question = usable(text)
            norm = self._norm(question) if question else ""
            if question and norm and norm not in self._known:
                fresh.setdefault(norm, question)
        return list(fresh.values())

    def _add(
        self, questions: list[str], answer: str | None, notes: list[str], office: str | None
    ) -> None:
        """A new entry, or more questions for an earlier one worded alike (national when
        they came from different offices)."""
        keys = [self._key(question) for question in questions]
        self._known.update(self._norm(question) for question in questions)
        for entry in self._entries:
            # By the first wording only: a group's stray members must not chain groups together.
            if any(alike(keys[0], other) for other in entry.keys):
                entry.questions.extend(questions)
                entry.keys.extend(keys)
                entry.notes.extend(notes)
                entry.answer = entry.answer or answer
                entry.office_id = office if entry.office_id == office else None
                return
        category = likely_category(self._matcher, questions[0])
        self._entries.append(NewEntry(questions, answer, category, notes, keys, office))

    def _norm(self, text: str) -> str:
        return self._matcher.normaliser.normalise(text)

    def _key(self, text: str) -> str:
        return wording_key(self._matcher.normaliser, text)
