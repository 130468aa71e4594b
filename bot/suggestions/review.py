"""`python -m bot kb drafts | accept N | reject N`: a reviewer decides on FAQ drafts.

`kb drafts` first runs a round of learning (`bot.suggestions.learner`): the wordings people's
"Maksud Anda…?" choices confirmed join the queue as drafts adding an example question.

`kb suggest` proposes every pending draft (from 📝 Jadikan FAQ and the log) until a person
decides: `accept` once its content is in faq.yaml, `reject` when it should not be. Decided
drafts are never proposed again.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from bot.core.errors import BotError
from bot.suggestions.learner import Learning
from bot.suggestions.vocabulary import DraftReview, DraftStatus, FaqDraft

DECISIONS: dict[str, DraftStatus] = {"accept": "accepted", "reject": "rejected"}


class ReviewError(BotError):
    """The draft to decide on does not exist or was decided already."""


async def run_review(
    drafts: DraftReview,
    command: str,
    draft_id: int | None,
    *,
    learning: Callable[[], Awaitable[Learning]] | None = None,
) -> int:
    """List the pending drafts (after a round of `learning`), or decide on one; exit 0."""
    if command == "drafts":
        if learning is not None and (line := (await learning()).summary()):
            print(line)
        print(listing(await drafts.pending()))
        return 0
    assert draft_id is not None
    decided = await drafts.decide(draft_id, DECISIONS[command])
    if decided is None:
        raise ReviewError(f"draf #{draft_id} tidak ada atau sudah diputuskan")
    print(f"Draf #{decided.id}: {decided.status}.")
    return 0


def listing(pending: list[FaqDraft]) -> str:
    """One line a pending draft: number, target entry, origin and the first question."""
    if not pending:
        return "Tidak ada draf yang menunggu."
    lines = []
    for draft in pending:
        target = draft.entry_id or "entri baru"
        origin = f"tiket #{draft.ticket_id}" if draft.ticket_id else draft.source
        if draft.source == "log" and draft.created_by:
            origin = draft.created_by  # learned: from how many people's choices
        first = draft.questions[0] if draft.questions else ""
        lines.append(f"#{draft.id} → {target} ({origin}): {first}")
    return "\n".join(lines)
