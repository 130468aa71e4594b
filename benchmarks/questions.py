"""Questions the bot answers outright, for the load runs, with the start of each answer."""

from __future__ import annotations

from pathlib import Path

from bot.core.privacy import redact
from bot.core.turns import Render
from knowledge.complaints import default_recogniser
from knowledge.loader import load
from knowledge.matcher import Matcher
from knowledge.policy import CHAT, Thresholds, decide

ROOT = Path(__file__).resolve().parent.parent


def answerable_questions(count: int) -> list[tuple[str, str]]:
    """One question per entry that gets that entry as an answer, and the reply's first 40
    characters, so a load run can check every reply arrived, and in order. A question heard
    as a complaint (thanked first) or holding what reads as personal data (a notice follows)
    gets two replies: left out."""
    matcher = Matcher(load(ROOT / "faq.yaml"))
    complaints = default_recogniser()
    # The first reply as the bot sends it: the short answer where the entry has details.
    render = Render(matcher.kb, agent=False, subscribe=False)
    found: list[tuple[str, str]] = []
    for entry in matcher.kb.entries:
        for question in entry.questions:
            if complaints.hear(question) or redact(question).kinds:
                continue
            decision = decide(matcher.rank(question), Thresholds())
            if decision.action == "answer" and decision.entry is entry:
                if entry.category != CHAT:
                    found.append((question, render.answer(entry, 0).text[:40]))
                break
    return found[:count]
