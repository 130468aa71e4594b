"""House style of the answers in faq.yaml: short sentences an applicant with primary-school
reading can follow, short answers, and the review fields that keep fees and dates honest."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.core.replies import AGENT_BUTTON, fill
from knowledge.entries import ANSWER_SOFT_MAX, KnowledgeBase
from knowledge.loader import load

ROOT = Path(__file__).resolve().parents[2]
FAQ = ROOT / "faq.yaml"
MAX_WORDS = 20
# A sentence ends at . ! ? followed by a space or the end of a line (so "Rp350.000",
# "09.00" and "www.imigrasi.go.id" stay whole), and at every line break (a list item is a
# sentence of its own).
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n")
_WORD = re.compile(r"\w", re.UNICODE)
_FEE = re.compile(r"Rp\s?\d")
# 'topik "A"' or 'topik "A" atau "B"': every quoted name must be a menu title.
_REFERENCE = re.compile(r'topik ("[^"]+"(?:(?:,| atau| dan) "[^"]+")*)')
BUTTON = f'"{AGENT_BUTTON}"'  # answers name the button exactly as the bot labels it


def sentences(text: str) -> list[str]:
    """The sentences of an answer as the applicant reads it."""
    return [part.strip() for part in _SENTENCE_END.split(text) if part.strip()]


def words(sentence: str) -> list[str]:
    """Tokens that carry letters or digits; list dashes and lone symbols are not words."""
    return [token for token in sentence.split() if _WORD.search(token)]


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load(FAQ)


@pytest.fixture(scope="module")
def raw_entries() -> list[dict[str, Any]]:
    """The entries as written, including review fields the loader does not model."""
    data = yaml.safe_load(FAQ.read_text(encoding="utf-8"))
    entries: list[dict[str, Any]] = data["entries"]
    return entries


def test_the_splitter_keeps_numbers_and_addresses_whole() -> None:
    text = "Bayar Rp350.000 pukul 09.00.\n1. Kirim ke humas@imigrasi.go.id! Lalu tunggu?"
    assert sentences(text) == [
        "Bayar Rp350.000 pukul 09.00.",
        "1.",
        "Kirim ke humas@imigrasi.go.id!",
        "Lalu tunggu?",
    ]
    assert words("- Paspor biasa – 5 tahun") == ["Paspor", "biasa", "5", "tahun"]


def test_no_sentence_is_longer_than_twenty_words(kb: KnowledgeBase) -> None:
    too_long = [
        f"{entry.id}: {len(words(sentence))} kata: {sentence}"
        for entry in kb.entries
        for text in (entry.answer, entry.short)
        for sentence in sentences(fill(text, kb))
        if len(words(sentence)) > MAX_WORDS
    ]
    assert too_long == []


def test_answers_fit_before_the_footer(kb: KnowledgeBase) -> None:
    too_long = [
        f"{entry.id}: {len(fill(entry.answer, kb).strip())} karakter"
        for entry in kb.entries
        if len(fill(entry.answer, kb).strip()) > ANSWER_SOFT_MAX
    ]
    assert too_long == []


def test_office_dependent_answers_point_to_the_button(raw_entries: list[dict[str, Any]]) -> None:
    marked = {entry["id"] for entry in raw_entries if entry.get("office_dependent") is True}
    pointing = {entry["id"] for entry in raw_entries if BUTTON in entry["answer"]}
    assert marked == pointing
    # Sending someone to "ask the officer" without the one-tap way to do it is what the
    # field exists to prevent.
    unmarked_asks = [
        entry["id"]
        for entry in raw_entries
        if re.search(r"tanyakan\b[^.\n]*\bpetugas", entry["answer"], re.IGNORECASE)
        and entry["id"] not in marked
    ]
    assert unmarked_asks == []


def test_short_answers_name_no_button_they_do_not_have(kb: KnowledgeBase) -> None:
    # Under a short answer the only button is 📖 Selengkapnya; 🙋 comes with the details.
    assert [e.id for e in kb.entries if AGENT_BUTTON in e.short or "tekan tombol" in e.short] == []


def test_fees_and_percepatan_carry_a_review_date(raw_entries: list[dict[str, Any]]) -> None:
    needs_review = [
        entry
        for entry in raw_entries
        if _FEE.search(entry["answer"]) or "percepatan" in entry["answer"].lower()
    ]
    assert needs_review
    missing = [
        entry["id"]
        for entry in needs_review
        if not (entry.get("valid_until") and entry.get("reviewed_by") and entry.get("checked"))
    ]
    assert missing == []


def test_cross_references_name_a_real_topic(kb: KnowledgeBase) -> None:
    titles = {entry.title for entry in kb.entries}
    named = [
        (entry.id, name)
        for entry in kb.entries
        for reference in _REFERENCE.findall(entry.answer)
        for name in re.findall(r'"([^"]+)"', reference)
    ]
    assert named
    assert [f"{entry_id}: {name}" for entry_id, name in named if name not in titles] == []
    # "lihat topik Status bayar" without quotes is how invented names slipped in before.
    # ("pilih topik di menu" is the menu itself, not a reference.)
    unquoted = [e.id for e in kb.entries if re.search(r'topik (?!di menu)[^"]', e.answer)]
    assert unquoted == []
