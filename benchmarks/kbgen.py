"""A synthetic large knowledge base, shaped like the real one, for scaling measurements."""

from __future__ import annotations

import random
import string

from knowledge.entries import Entry, KnowledgeBase


def generate(base: KnowledgeBase, size: int, *, seed: int = 7) -> KnowledgeBase:
    """`size` entries whose questions mix real words with entry-specific made-up words."""
    rng = random.Random(seed)
    words = sorted({w for e in base.entries for q in e.questions for w in q.lower().split()})
    entries = [*base.entries]
    for number in range(size - len(entries)):
        own = ["".join(rng.choices(string.ascii_lowercase, k=rng.randint(5, 9))) for _ in range(3)]
        questions = tuple(
            " ".join(rng.sample(words, rng.randint(3, 7)) + rng.sample(own, rng.randint(1, 2)))
            for _ in range(10)
        )
        entries.append(
            Entry(
                id=f"gen-{number}",
                category="biaya",
                title=f"Topik {number}",
                questions=questions,
                answer="Jawaban uji.",
            )
        )
    return KnowledgeBase(
        tuple(entries), base.office, base.national_contact, base.categories, "gen"
    )
