"""Put what people's choices taught into the review queue, and take back what 👎 unlearned.

Run by `kb drafts` (and by whatever lists the queue), so the queue a reviewer reads is always
up to date. A learned wording becomes a pending draft (source "log") adding it as an example
question to its entry. A reviewer accepts it (the console writes it into faq.yaml; on the
command line `kb suggest` proposes it and `kb accept` records the decision) or rejects it.
Once drafted, a wording is never proposed again for that entry, whatever the decision; a
pending one whose support fell below the bar is withdrawn (rejected).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from bot.suggestions.learning import Signal, Support, learned, signals, support, unlearned
from bot.suggestions.rules import alike, wording_key
from bot.suggestions.vocabulary import DraftSource, EvidenceSource, FaqDraft, LearnedQueue
from knowledge.matcher import Matcher

SOURCE: DraftSource = "log"
BY = "pembelajaran"  # how a learned draft names who made it
LEARN_DAYS = 90  # the log read: long enough for a rare question to gather its three people


@dataclass(frozen=True, slots=True)
class Learning:
    """What one round of learning did to the queue, and the support each pending learned
    draft has now (by draft id), for the reviewer to weigh."""

    proposed: list[FaqDraft]
    withdrawn: list[FaqDraft]
    support: Mapping[int, Support] = field(default_factory=dict)
    # What `kb suggest`'s planner queued in the same round (`bot.suggestions.proposer`).
    suggested: list[FaqDraft] = field(default_factory=list)

    def summary(self) -> str:
        """One line for the reviewer, empty when nothing changed."""
        parts = []
        if self.proposed:
            learnt = len(self.proposed)
            parts.append(f"{learnt} contoh pertanyaan baru dipelajari dari pilihan pemohon")
        if self.withdrawn:
            parts.append(f"{len(self.withdrawn)} usulan ditarik karena mendapat 👎")
        if self.suggested:
            parts.append(f"{len(self.suggested)} usulan baru dari pertanyaan di log")
        return "; ".join(parts) + "." if parts else ""


async def learn(
    evidence: EvidenceSource,
    queue: LearnedQueue,
    matcher: Matcher,
    *,
    now: dt.datetime,
    min_people: int,
) -> Learning:
    """One round: read the log, withdraw what lost its support, queue what gained it."""
    found = signals(await evidence.learning_turns(now - dt.timedelta(days=LEARN_DAYS)))
    normaliser = matcher.normaliser
    earlier = [d for d in await queue.from_source(SOURCE) if d.entry_id and d.questions]
    drafted = [(str(d.entry_id), wording_key(normaliser, d.questions[0])) for d in earlier]
    now_support = {
        draft.id: support(found, normaliser, key, entry_id)
        for draft, (entry_id, key) in zip(earlier, drafted, strict=True)
        if draft.status == "pending"
    }
    withdrawn = []
    for draft_id, held in list(now_support.items()):
        if unlearned(held, min_people) and (done := await queue.decide(draft_id, "rejected")):
            withdrawn.append(done)
            del now_support[draft_id]
    proposed = await _propose(found, queue, matcher, drafted, min_people)
    now_support.update({d.id: s for d, s in proposed})
    return Learning([d for d, _ in proposed], withdrawn, now_support)


async def _propose(
    found: Sequence[Signal],
    queue: LearnedQueue,
    matcher: Matcher,
    drafted: list[tuple[str, str]],
    min_people: int,
) -> list[tuple[FaqDraft, Support]]:
    """Queue each wording that gained its support and was never drafted for its entry (a
    decision on it, either way, is final)."""
    normaliser = matcher.normaliser
    known = {normaliser.normalise(q) for entry in matcher.kb.entries for q in entry.questions}
    proposed = []
    for item in learned(found, normaliser, known=known, min_people=min_people):
        seen = any(e == item.entry_id and alike(k, item.key) for e, k in drafted)
        if seen or matcher.kb.get(item.entry_id) is None:
            continue
        by = f"{BY}: {item.people} pemohon"
        draft = await queue.add(
            source=SOURCE, questions=[item.text], entry_id=item.entry_id, created_by=by
        )
        proposed.append((draft, Support(item.people, item.against)))
        drafted.append((item.entry_id, item.key))
    return proposed
