"""Put `kb suggest`'s proposals into the review queue, so the console's Draf FAQ holds them
beside the officers' drafts and the learned wordings.

Run with each round of learning (the console lists the queue after it). What the planner
(`bot.suggestions.plan`) proposes from the last 30 days of the log becomes a pending draft of
source "cluster": a wording for an existing entry (an officer answered with that entry's words,
or people rated it 👍 after it), or a new entry from a group of unanswered questions. A wording
already drafted, whatever became of the draft, is not queued again; what a reviewer rejected the
planner itself never proposes again. Personal data never enters a draft.
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
from collections.abc import Sequence

from bot.core.privacy import redact
from bot.suggestions.command import gather
from bot.suggestions.plan import Planner
from bot.suggestions.rules import alike, wording_key
from bot.suggestions.vocabulary import DraftSource, EvidenceSource, FaqDraft, LearnedQueue
from knowledge.text import Normaliser

SOURCE: DraftSource = "cluster"
SUGGEST_DAYS = 30  # the log read, as `kb suggest` reads it without --since
BY = "usulan dari log"
MAX_BY = 128  # the drafts table's `created_by`

Drafted = list[tuple[str | None, str]]  # (entry id, None for a new entry; wording key)


async def propose(
    evidence: EvidenceSource, queue: LearnedQueue, planner: Planner, *, now: dt.datetime
) -> list[FaqDraft]:
    """Queue what the planner proposes and was never drafted; return the new drafts."""
    found = await gather(evidence, queue, now - dt.timedelta(days=SUGGEST_DAYS))
    # The pending drafts are in the queue already: the planner would only propose them again.
    found = dataclasses.replace(found, drafts=())
    proposal = await asyncio.to_thread(planner.plan, found)  # clustering is CPU work
    normaliser = planner.normaliser
    drafted = await _drafted(queue, normaliser)
    added = []
    for example in proposal.examples:
        wording = [example.text]
        if draft := await _add(
            queue, drafted, normaliser, example.entry_id, wording, None, example.note
        ):
            added.append(draft)
    for entry in proposal.entries:
        if draft := await _add(
            queue,
            drafted,
            normaliser,
            None,
            entry.questions,
            entry.answer,
            entry.notes[0],
            office=entry.office_id,
        ):
            added.append(draft)
    return added


async def _drafted(queue: LearnedQueue, normaliser: Normaliser) -> Drafted:
    """Every wording drafted before by the planner or by learning, for its entry."""
    drafts = [*await queue.from_source(SOURCE), *await queue.from_source("log")]
    return [(d.entry_id, wording_key(normaliser, q)) for d in drafts for q in d.questions]


async def _add(
    queue: LearnedQueue,
    drafted: Drafted,
    normaliser: Normaliser,
    entry_id: str | None,
    questions: Sequence[str],
    answer: str | None = None,
    note: str = "",
    *,
    office: str | None = None,
) -> FaqDraft | None:
    key = wording_key(normaliser, questions[0])
    if any(other == entry_id and alike(key, known) for other, known in drafted):
        return None
    drafted.append((entry_id, key))
    by = f"{BY}: {note}" if note else BY
    # The log is redacted already; a draft is shown to staff, so it is redacted once more.
    return await queue.add(
        source=SOURCE,
        questions=[_clean(q) for q in questions],
        answer=_clean(answer) if answer else None,
        entry_id=entry_id,
        created_by=_clean(by)[:MAX_BY],
        office_id=office,  # a group asked at one office is that office's to review
    )


def _clean(text: str) -> str:
    return redact(text).text
