"""Why the policy decided what it did (`ask --explain` prints it): each path names its
reason, with the cut-off the message was really held to."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from knowledge.loader import load
from knowledge.matcher import Matcher
from knowledge.policy import Decision, Thresholds, decide

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher(load(ROOT / "faq.yaml"))


def decided(matcher: Matcher, text: str, today: dt.date | None = None) -> Decision:
    return decide(matcher.rank(text), Thresholds(), today=today)


def test_an_answer_says_how_sure_it_was(matcher: Matcher) -> None:
    decision = decided(matcher, "brp biaya bikin paspor 10 thn")
    assert (decision.action, decision.reason) == ("answer", "p_answer 1.00 >= 0.70")
    assert [c.entry.id for c in decision.candidates][:1] == ["biaya-paspor"]
    assert len(decision.candidates) == 3


def test_one_word_is_clarified_and_says_so(matcher: Matcher) -> None:
    decision = decided(matcher, "syarat")
    assert decision.action == "clarify"
    assert decision.reason == "1 content word: too little to answer from, p_help 0.99 >= 0.70"


def test_nothing_matched_is_said_so(matcher: Matcher) -> None:
    decision = decided(matcher, "xqzt vbnm")
    assert (decision.action, decision.reason, decision.score) == (
        "fallback",
        "nothing matched",
        0.0,
    )


def test_a_better_pointer_outside_our_scope_is_named(matcher: Matcher) -> None:
    decision = decided(matcher, "cara bikin ktp")
    assert decision.action == "fallback"
    assert decision.reason == "the out-of-scope pointer luar-dukcapil fits better"
    assert decision.redirect is not None
    assert decision.redirect.id == "luar-dukcapil"


def test_a_fallback_names_the_higher_cut_of_a_message_without_a_passport_term(
    matcher: Matcher,
) -> None:
    decision = decided(matcher, "bagaimana ya caranya mengurus dokumen itu")
    assert decision.action == "fallback"
    assert decision.reason == "p_answer 0.41 < 0.70 and p_help 0.38 < 0.70"


def test_an_entry_past_its_date_is_named_not_answered(matcher: Matcher) -> None:
    decision = decided(matcher, "brp biaya bikin paspor 10 thn", today=dt.date(2100, 1, 1))
    assert (decision.action, decision.entry) == ("fallback", None)
    assert decision.expired is not None
    assert decision.expired.id == "biaya-paspor"
    assert decision.reason == "the entry is past its valid_until"
