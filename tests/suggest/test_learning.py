"""Learning wordings from people's choices: what counts as a confirmation or as a 👎 (pure),
and the round `kb drafts` runs on the real log and queue (SQLite and PostgreSQL): proposed
once enough different people confirmed, never twice, withdrawn when 👎 outweighs it."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.core.conversation import Conversation
from bot.core.vocabulary import ENTRY, FeedbackRecord
from bot.storage import Store
from bot.storage.drafts import Drafts
from bot.storage.evidence import EvidenceQueries
from bot.suggestions.learner import learn
from bot.suggestions.learning import Signal, learned, signals
from bot.suggestions.review import run_review
from bot.suggestions.vocabulary import LoggedTurn
from knowledge.matcher import Matcher

from .helpers import NOW, choose, clarified, pressed, say

OFFERED = ("mpaspor-apa", "mpaspor-manfaat", "akun-daftar")


def turn(
    action: str,
    text: str,
    *,
    user: str = "u1",
    minutes: float = 0,
    faq_id: str | None = None,
    helpful: bool | None = None,
) -> LoggedTurn:
    at = NOW + dt.timedelta(minutes=minutes)
    typed = not text.startswith("#")
    candidates = OFFERED if action == "clarify" else ()
    return LoggedTurn(user, at, action, text, faq_id, candidates, typed, helpful)


def tap(entry_id: str, *, minutes: float = 1, helpful: bool | None = None) -> LoggedTurn:
    return turn("answer", ENTRY + entry_id, minutes=minutes, faq_id=entry_id, helpful=helpful)


@pytest.mark.parametrize(
    ("turns", "expected"),
    [
        ([turn("clarify", "mpaspor tu apaan"), tap("mpaspor-apa")], [True]),
        ([turn("clarify", "mpaspor tu apaan"), tap("mpaspor-apa", helpful=False)], [False]),
        ([turn("clarify", "mpaspor tu apaan"), tap("mpaspor-apa", minutes=11)], []),
        ([turn("clarify", "mpaspor tu apaan"), tap("biaya-paspor")], []),  # not offered
        (  # two different choices leave the wording undecided
            [turn("clarify", "mpaspor tu apaan"), tap("mpaspor-apa"), tap("akun-daftar")],
            [],
        ),
        (  # a follow-up after a fallback that reached an entry rated 👍
            [
                turn("fallback", "aplikasi biru itu apaan"),
                turn("answer", "mpaspor itu apa", minutes=2, faq_id="mpaspor-apa", helpful=True),
            ],
            [True],
        ),
        (  # ... but not without the 👍
            [
                turn("fallback", "aplikasi biru itu apaan"),
                turn("answer", "mpaspor itu apa", minutes=2, faq_id="mpaspor-apa"),
            ],
            [],
        ),
        (  # a typed wording answered outright and rated 👎
            [turn("answer", "paspor apaan", faq_id="mpaspor-apa", helpful=False)],
            [False],
        ),
    ],
)
def test_what_counts_for_or_against_a_pair(turns: list[LoggedTurn], expected: list[bool]) -> None:
    assert [signal.confirms for signal in signals(turns)] == expected


def test_the_entry_and_wording_of_a_confirmation() -> None:
    found = signals([turn("clarify", "mpaspor tu apaan"), tap("mpaspor-apa")])
    assert found == [Signal("u1", "mpaspor tu apaan", "mpaspor-apa", confirms=True)]


def confirmations(text: str, entry_id: str, people: int, *, start: int = 0) -> list[Signal]:
    return [Signal(f"p{n}", text, entry_id, True) for n in range(start, start + people)]


def test_a_wording_needs_enough_different_people(matcher: Matcher) -> None:
    normaliser = matcher.normaliser
    two = confirmations("mpaspor tu apaan sih", "mpaspor-apa", 2)
    assert learned(two + two, normaliser, known=set(), min_people=3) == []  # same two people
    three = confirmations("mpaspor tu apaan sih", "mpaspor-apa", 3)
    (item,) = learned(three, normaliser, known=set(), min_people=3)
    assert (item.entry_id, item.text, item.people, item.against) == (
        "mpaspor-apa",
        "mpaspor tu apaan sih",
        3,
        0,
    )


def test_near_identical_wordings_count_together(matcher: Matcher) -> None:
    found = [
        Signal("p1", "mpaspor tu apaan sih", "mpaspor-apa", True),
        Signal("p2", "mpaspor tu apaan sih kak?", "mpaspor-apa", True),
        Signal("p3", "MPASPOR tu apaan sih", "mpaspor-apa", True),
    ]
    (item,) = learned(found, matcher.normaliser, known=set(), min_people=3)
    assert item.people == 3


def test_thumbs_down_count_against_a_pair(matcher: Matcher) -> None:
    found = confirmations("mpaspor tu apaan sih", "mpaspor-apa", 4)
    found.append(Signal("p9", "mpaspor tu apaan sih", "mpaspor-apa", confirms=False))
    (item,) = learned(found, matcher.normaliser, known=set(), min_people=3)
    assert (item.people, item.against) == (4, 1)
    found.append(Signal("p8", "mpaspor tu apaan sih", "mpaspor-apa", confirms=False))
    assert learned(found, matcher.normaliser, known=set(), min_people=3) == []


def test_personal_data_and_known_wordings_are_never_proposed(matcher: Matcher) -> None:
    redacted = confirmations("paspor [NIK] saya kapan jadi", "cek-status", 5)
    assert learned(redacted, matcher.normaliser, known=set(), min_people=3) == []
    found = confirmations("mpaspor tu apaan sih", "mpaspor-apa", 5)
    assert learned(found, matcher.normaliser, known={"apa"}, min_people=1) != []
    known = {matcher.normaliser.normalise("MPASPOR tu apaan sih??")}
    assert learned(found, matcher.normaliser, known=known, min_people=1) == []


async def learn_round(
    engine: AsyncEngine, matcher: Matcher, min_people: int = 3
) -> tuple[int, int]:
    done = await learn(
        EvidenceQueries(engine), Drafts(engine), matcher, now=NOW, min_people=min_people
    )
    return len(done.proposed), len(done.withdrawn)


async def test_three_peoples_choices_become_one_pending_draft(
    engine: AsyncEngine, chat: Conversation, matcher: Matcher, capsys: pytest.CaptureFixture[str]
) -> None:
    for user in ("201", "202"):
        await choose(chat, user, "mpaspor tu apaan sih kak", "mpaspor-apa")
    assert await learn_round(engine, matcher) == (0, 0)  # two people are not enough
    await choose(chat, "203", "mpaspor tu apaan sih kak", "mpaspor-apa")
    drafts = Drafts(engine)

    async def learning() -> object:
        return await learn(EvidenceQueries(engine), drafts, matcher, now=NOW, min_people=3)

    assert await run_review(drafts, "drafts", None, learning=learning) == 0  # type: ignore[arg-type]
    printed = capsys.readouterr().out
    assert "1 contoh pertanyaan baru dipelajari" in printed
    assert "→ mpaspor-apa (pembelajaran: 3 pemohon): mpaspor tu apaan sih kak" in printed
    (draft,) = await drafts.pending()
    assert (draft.source, draft.entry_id, draft.questions) == (
        "log",
        "mpaspor-apa",
        ("mpaspor tu apaan sih kak",),
    )
    await choose(chat, "204", "mpaspor tu apaan sih kak", "mpaspor-apa")
    assert await learn_round(engine, matcher) == (0, 0)  # proposed once, not again
    assert await drafts.decide(draft.id, "rejected") is not None
    assert await learn_round(engine, matcher) == (0, 0)  # rejected stays rejected


async def test_a_wrong_pair_is_unlearned_after_thumbs_down(
    engine: AsyncEngine, store: Store, matcher: Matcher
) -> None:
    wording = "aplikasi m paspor itu buat daftar akun ya"
    for user in ("c1", "c2", "c3"):
        await store.log_questions(
            [clarified(wording, OFFERED, user=user), pressed("akun-daftar", user=user, minutes=1)]
        )
    assert await learn_round(engine, matcher) == (1, 0)
    # Two more people took the same choice for the same words, and said it did not help.
    for user in ("c4", "c5"):
        _, press = await store.log_questions(
            [clarified(wording, OFFERED, user=user), pressed("akun-daftar", user=user, minutes=1)]
        )
        assert await store.add_feedback(FeedbackRecord(press, False, user * 8))
    assert await learn_round(engine, matcher) == (0, 1)
    assert await Drafts(engine).pending() == []


async def test_taps_logged_through_the_real_core_carry_no_personal_data(
    engine: AsyncEngine, chat: Conversation, matcher: Matcher
) -> None:
    for user in ("301", "302", "303"):
        replies = await say(chat, user, "mpaspor tu apaan sih kak, nik 1801234567890001")
        assert ENTRY + "mpaspor-apa" in [button.data for button in replies[0].buttons]
        await say(chat, user, ENTRY + "mpaspor-apa")
    # Confirmed by three people, but the wording holds personal data (logged redacted).
    assert await learn_round(engine, matcher, min_people=1) == (0, 0)
