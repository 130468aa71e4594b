"""`python -m bot kb drafts | accept N | reject N`: a reviewer decides on FAQ drafts.

`kb suggest` proposes every pending draft (from 📝 Jadikan FAQ and the log) until a person
decides: `accept` once its content is in faq.yaml, `reject` when it should not be. Decided
drafts are never proposed again.
"""

from __future__ import annotations

from bot.core.errors import BotError
from bot.suggestions.vocabulary import DraftReview, DraftStatus, FaqDraft

DECISIONS: dict[str, DraftStatus] = {"accept": "accepted", "reject": "rejected"}


class ReviewError(BotError):
    """The draft to decide on does not exist or was decided already."""


async def run_review(drafts: DraftReview, command: str, draft_id: int | None) -> int:
    """List the pending drafts, or record a decision on one; exit 0."""
    if command == "drafts":
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
        first = draft.questions[0] if draft.questions else ""
        lines.append(f"#{draft.id} → {target} ({origin}): {first}")
    return "\n".join(lines)
