"""The signals read from the log: which texts can be examples, and when an officer's answer
repeats an entry's answer."""

from __future__ import annotations

import pytest

from bot.core import replies
from bot.suggestions.rules import repeated_entry, usable
from knowledge.matcher import Matcher


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("  mpaspor   tu apaan\nsih ", "mpaspor tu apaan sih"),
        ("nik saya [NIK] kenapa ditolak", None),
        ("hubungi saya di [TELEPON]", None),
        ("#faq:biaya-paspor", None),
        ("/start", None),
        ("???", None),
        (replies.TICKET_NO_QUESTION, None),
        ("kenapa " * 40, None),
    ],
)
def test_usable_examples(text: str, expected: str | None) -> None:
    assert usable(text) == expected


def test_a_pasted_answer_with_greeting_and_footer_repeats_its_entry(matcher: Matcher) -> None:
    kb = matcher.kb
    entry = kb.get("batas-bayar")
    assert entry is not None
    pasted = f"Selamat siang Bu.\n\n{replies.answer_text(entry, kb)}\n\nSemoga membantu."

    assert repeated_entry(pasted, kb) == "batas-bayar"


def test_an_officers_own_words_repeat_no_entry(matcher: Matcher) -> None:
    kb = matcher.kb
    entry = kb.get("batas-bayar")
    assert entry is not None
    half = entry.answer[: len(entry.answer) // 2]
    padded = entry.answer + " " + " ".join(f"kata{i}" for i in range(200))

    assert repeated_entry("Bisa, bayar saja di kasir Indomaret terdekat.", kb) is None
    assert repeated_entry(half, kb) is None  # only part of the entry
    assert repeated_entry(padded, kb) is None  # the entry is a small part of the answer
