"""Learning from choices, measured on rows it never saw: the dev sets shuffled and halved;
each half in turn is replayed through the real core and log, three simulated people per row
who tap the right "Maksud Anda…?" option when it is offered (and only then); what the review
queue then proposes is accepted (into a copy of the knowledge base in memory: faq.yaml and the
shared dev sets are never touched); the other half is scored before and after.

The decision model is fitted on the replayed half only and kept for "after" too, so neither
figure has seen the rows it is measured on. `python -m benchmarks.learning`.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import random
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from bot.core.conversation import Conversation
from bot.core.turns import Options
from bot.core.vocabulary import ENTRY, Incoming
from bot.runtime import calibrate
from bot.runtime.evaluate import OOS, Row, read_rows, score
from bot.storage import Store, open_database
from bot.storage.drafts import Drafts
from bot.storage.evidence import EvidenceQueries
from bot.suggestions.kb_yaml import render
from bot.suggestions.learner import learn
from bot.suggestions.plan import Example, Proposal
from bot.suggestions.vocabulary import FaqDraft
from knowledge.loader import load
from knowledge.matcher import Matcher
from knowledge.policy import Thresholds

ROOT = Path(__file__).resolve().parent.parent
DEV = [ROOT.parent / "shared" / "eval" / name for name in ("dev.tsv", "dev-long.tsv")]
PEOPLE = 3  # each replayed row is asked by this many people (LEARN_MIN_PEOPLE's default)
SEED = 20261206


@dataclass(frozen=True, slots=True)
class Fold:
    """One half replayed, the other measured."""

    before: dict[str, float]
    after: dict[str, float]
    accepted: int
    wrong: int  # accepted wordings whose entry is not the row's label (should be none)


async def replay(rows: list[Row], matcher: Matcher, thresholds: Thresholds) -> list[FaqDraft]:
    """The rows asked and tapped through the real core into a fresh log; the queue's drafts."""
    with tempfile.TemporaryDirectory() as folder:
        engine = await open_database(f"sqlite+aiosqlite:///{folder}/learn.db")
        store = Store(engine)
        core = Conversation(matcher, store, salt="bench", options=Options(thresholds=thresholds))
        for number, row in enumerate(rows):
            for person in range(PEOPLE):
                await ask(core, f"{number}-{person}", row)
        now = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=1)
        done = await learn(EvidenceQueries(engine), Drafts(engine), matcher, now=now,
                           min_people=PEOPLE)  # fmt: skip
        await store.close()
    return done.proposed


async def ask(core: Conversation, user: str, row: Row) -> None:
    """One person asks; taps the right option if the bot offers it."""
    replies = await core.handle(Incoming("bench", user, user, row.question))
    offered = {button.data for reply in replies for button in reply.buttons}
    right = sorted(entry for entry in row.expected if ENTRY + entry in offered)
    if right and OOS not in row.expected:
        await core.handle(Incoming("bench", user, user, ENTRY + right[0]))


def accepted(drafts: list[FaqDraft], original: str) -> Matcher:
    """The knowledge base with every proposed wording added, as a reviewer accepting all."""
    examples = tuple(Example(str(d.entry_id), d.questions[0], "dipelajari") for d in drafts)
    text = render(original, Proposal(examples, ()), today=dt.date.today())
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "faq.yaml"
        path.write_text(text, encoding="utf-8")
        return Matcher(load(path))


def fold(replayed: list[Row], held: list[Row], base: Matcher, original: str) -> Fold:
    thresholds = Thresholds.of(calibrate.fit(calibrate.label(replayed, base)))
    before = score(held, base, thresholds).figures()
    drafts = asyncio.run(replay(replayed, base, thresholds))
    labels = {row.question: row.expected for row in replayed}
    wrong = sum(1 for d in drafts if d.entry_id not in labels.get(d.questions[0], {d.entry_id}))
    after = score(held, accepted(drafts, original), thresholds).figures()
    return Fold(before, after, len(drafts), wrong)


def line(name: str, figures: dict[str, float]) -> str:
    return (
        f"{name}: answer accuracy {figures['answer_accuracy']:.3f}, resolved"
        f" {figures['resolved']:.3f}, precision {figures['answer_precision']:.3f},"
        f" OOS fallback {figures['oos_fallback']:.3f}"
    )


def report() -> None:
    if not all(path.exists() for path in DEV):
        print("Learning from choices: skipped (the shared dev sets are not beside the checkout)")
        return
    rows = read_rows(DEV)
    random.Random(SEED).shuffle(rows)
    faq = ROOT / "faq.yaml"
    base, original = Matcher(load(faq)), faq.read_text(encoding="utf-8")
    halves = [rows[0::2], rows[1::2]]
    for number, (replayed, held) in enumerate([(halves[0], halves[1]), (halves[1], halves[0])]):
        result = fold(replayed, held, base, original)
        print(
            f"Learning from choices, fold {number + 1} ({len(replayed)} rows replayed by"
            f" {PEOPLE} people each, {len(held)} held out): {result.accepted} wordings proposed"
            f" and accepted ({result.wrong} for another entry than the row's label)\n"
            f"  before  {line('held out', result.before)}\n"
            f"  after   {line('held out', result.after)}"
        )
    sys.stdout.flush()


if __name__ == "__main__":
    report()
