"""The FAQ drafts as the console reviews them: a round of learning first (as `kb drafts`),
then approve — the draft's example questions written into faq.yaml as they are, or the entry
as the admin edited it beside the draft, or a new entry — or reject with a reason (a decision
is final: the draft is never proposed again, by the console, `kb drafts` or `kb suggest`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import replace

from bot.console.editing import Editor, Outcome
from bot.console.faq_text import Value
from bot.console.vocabulary import Audit
from bot.core.privacy import redact
from bot.suggestions.learner import SOURCE as LEARNED
from bot.suggestions.learner import Learning, learn
from bot.suggestions.learning import Support
from bot.suggestions.plan import Planner, likely_category
from bot.suggestions.proposer import propose
from bot.suggestions.vocabulary import EvidenceSource, FaqDraft, LearnedQueue
from knowledge.matcher import Matcher
from knowledge.policy import Thresholds

GONE = "Draf ini tidak ada atau sudah diputuskan."
NEEDS_ENTRY = "Draf ini mengusulkan entri baru: lengkapi formulirnya untuk menyetujuinya."
NO_REASON = "Tulis alasannya: draf yang ditolak tidak akan diusulkan lagi."
REASON = "alasan"  # the reject form's field


class DraftQueue:
    """The pending drafts and the decisions on them."""

    def __init__(
        self,
        evidence: EvidenceSource,
        drafts: LearnedQueue,
        editor: Editor,
        audit: Audit,
        *,
        matcher: Callable[[], Matcher],
        min_people: int,
        thresholds: Thresholds,
        zone: dt.tzinfo,
    ) -> None:
        self._evidence = evidence
        self._drafts = drafts
        self._editor = editor
        self._audit = audit
        self._matcher = matcher
        self._min_people = min_people
        self._thresholds, self._zone = thresholds, zone

    async def pending(self) -> tuple[Learning, list[FaqDraft]]:
        """Learn from the log and queue what `kb suggest` proposes, then list what waits for
        a decision."""
        matcher, now = self._matcher(), dt.datetime.now(dt.UTC)
        learning = await learn(
            self._evidence, self._drafts, matcher, now=now, min_people=self._min_people
        )
        planner = Planner(matcher, thresholds=self._thresholds, zone=self._zone)
        suggested = await propose(self._evidence, self._drafts, planner, now=now)
        return replace(learning, suggested=suggested), await self._drafts.pending()

    async def find(self, draft_id: int) -> FaqDraft | None:
        """A pending draft by number."""
        return next((d for d in await self._drafts.pending() if d.id == draft_id), None)

    async def review(self, draft_id: int) -> tuple[FaqDraft | None, Support | None]:
        """A pending draft and, for a learned wording, its support as the log shows it now
        (after a round of learning, which may have withdrawn it)."""
        found = await self.find(draft_id)
        if found is None or found.source != LEARNED:
            return found, None
        learning, pending = await self.pending()
        found = next((d for d in pending if d.id == draft_id), None)
        return found, learning.support.get(draft_id)

    def category_for(self, question: str) -> str:
        """The category a new entry for `question` most likely belongs to."""
        return likely_category(self._matcher(), question)

    async def approve(self, who: str, draft_id: int) -> Outcome:
        """Write a draft's example questions into its entry, then mark it accepted."""
        draft = await self.find(draft_id)
        if draft is None:
            return Outcome.refused(GONE)
        if draft.entry_id is None:
            return Outcome.refused(NEEDS_ENTRY)
        written = await self._editor.add_questions(who, draft.entry_id, draft.questions)
        if written.ok:
            await self._decided(who, draft, "accepted", "setujui-draf", draft.entry_id)
        return written

    async def approve_edited(
        self,
        who: str,
        draft_id: int,
        entry_id: str,
        version: str,
        fields: Mapping[str, Value],
    ) -> Outcome:
        """Write the entry's fields as the admin edited them beside the draft (refused when
        the entry changed since `version`); accept the draft."""
        draft = await self.find(draft_id)
        if draft is None:
            return Outcome.refused(GONE)
        written = Outcome()
        if fields:  # approved as it stands: nothing to write
            written = await self._editor.save_fields(who, "ubah-entri", entry_id, version, fields)
        if written.ok:
            await self._decided(who, draft, "accepted", "setujui-draf", entry_id)
        return written

    async def approve_new(self, who: str, draft_id: int, entry: Mapping[str, Value]) -> Outcome:
        """Write the new entry a draft proposed (as the admin completed it); accept it."""
        draft = await self.find(draft_id)
        if draft is None:
            return Outcome.refused(GONE)
        written = await self._editor.add_entry(who, entry)
        if written.ok:
            await self._decided(who, draft, "accepted", "setujui-draf", str(entry["id"]))
        return written

    async def reject(self, who: str, draft_id: int, reason: str) -> Outcome:
        """Reject a draft for good; the reason (required, redacted) goes to the audit log."""
        draft = await self.find(draft_id)
        if draft is None:
            return Outcome.refused(GONE)
        reason = redact(reason).text.strip()
        if not reason:
            return Outcome.refused(NO_REASON, REASON)
        await self._decided(who, draft, "rejected", "tolak-draf", reason)
        return Outcome()

    async def _decided(
        self, who: str, draft: FaqDraft, status: str, action: str, note: str
    ) -> None:
        decided = await self._drafts.decide(
            draft.id, "accepted" if status == "accepted" else "rejected"
        )
        if decided is None:
            return  # another admin decided it a moment earlier; their decision stands
        before = "\n".join(draft.questions)
        await self._audit.record(
            who, action, f"draf #{draft.id}", before=before, after=note or None
        )
