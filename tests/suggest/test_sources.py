"""Where suggestions come from, on generated logs on SQLite and PostgreSQL: "Maksud Anda…?"
choices, 👍, tickets answered with an entry's content, clusters of unanswered questions
(with and without an officer's answer) and pending drafts; and what is left out."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncEngine

from bot.core.conversation import Conversation
from bot.core.replies import FALLBACK, answer_text
from bot.storage import Store
from bot.storage.drafts import Drafts
from bot.storage.evidence import EvidenceQueries
from bot.suggestions.command import gather
from bot.suggestions.plan import Example, Planner, Proposal
from knowledge.matcher import Matcher
from knowledge.policy import Thresholds

from .helpers import NOW, choose, clarified, officer_answers, pressed, record, say, thumbs_up, vote

JAKARTA = ZoneInfo("Asia/Jakarta")
PETS = [
    "bolehkah membawa hewan peliharaan ke ruang tunggu",
    "boleh bawa hewan peliharaan ke ruang tunggu?",
    "hewan peliharaan boleh masuk ruang tunggu ga",
    "bolehkah saya membawa hewan peliharaan ke ruang tunggu",
]
ATM = [
    "mesin atm ada di dalam gedung?",
    "di dalam gedung ada mesin atm ga",
    "mesin atm ada di dalam gedung?",
    "ada mesin atm di dalam gedung kantor?",
]
PETS_ANSWER = "Mohon maaf, hewan peliharaan tidak boleh dibawa masuk ke ruang tunggu kantor."


async def proposal_for(engine: AsyncEngine, matcher: Matcher) -> Proposal:
    """What `kb suggest` would propose from this database (read as the command reads it)."""
    found = await gather(EvidenceQueries(engine), Drafts(engine), NOW - dt.timedelta(days=1))
    return Planner(matcher, thresholds=Thresholds(), zone=JAKARTA).plan(found)


def examples_of(proposal: Proposal, entry_id: str) -> list[Example]:
    return [example for example in proposal.examples if example.entry_id == entry_id]


async def test_choices_after_clarify_and_thumbs_up_become_examples(
    engine: AsyncEngine, chat: Conversation, matcher: Matcher
) -> None:
    await choose(chat, "101", "mpaspor tu apaan sih kak", "mpaspor-apa")
    await choose(chat, "102", "mpaspor tu apaan sih kak", "mpaspor-apa")
    await thumbs_up(chat, "103", "gimana cara bayar paspornya kak", "cara-bayar")
    await say(chat, "104", "berapa biaya paspor")  # answered, but no 👍: nothing to learn

    proposal = await proposal_for(engine, matcher)

    assert proposal.examples == (
        Example("mpaspor-apa", "mpaspor tu apaan sih kak", 'dipilih 2× lewat "Maksud Anda…?"'),
        Example(
            "cara-bayar",
            "gimana cara bayar paspornya kak",
            "dijawab dengan entri ini dan diberi 👍 1×",
        ),
    )
    assert proposal.entries == ()


async def test_unclear_choices_and_known_or_private_questions_are_left_out(
    engine: AsyncEngine, store: Store, matcher: Matcher
) -> None:
    offered = ("mpaspor-apa", "mpaspor-manfaat", "akun-daftar")
    await store.log_questions(
        [
            # Pressed too late to be an answer to the question.
            clarified("m paspor itu buat apaan", offered, user="a1"),
            pressed("mpaspor-apa", user="a1", minutes=25),
            # Two different choices: undecided.
            clarified("aplikasi apa itu mpaspor", offered, user="a2"),
            pressed("mpaspor-apa", user="a2", minutes=1),
            pressed("akun-daftar", user="a2", minutes=2),
            # An entry that was not offered (a follow-up button from an older answer).
            clarified("mpaspor gunanya apa", offered, user="a3"),
            pressed("biaya-paspor", user="a3", minutes=1),
            # Another user's press does not settle this user's question.
            clarified("mpaspor fungsinya apa", offered, user="a4"),
            pressed("mpaspor-apa", user="a5", minutes=1),
            # Already an example of the entry, written differently.
            clarified("M PASPOR ITU APA SIH!!", offered, user="a6"),
            pressed("mpaspor-apa", user="a6", minutes=1),
            # Still carries personal data (redacted).
            clarified("mpaspor [NIK] itu apa", offered, user="a7"),
            pressed("mpaspor-apa", user="a7", minutes=1),
        ]
    )
    (unhelpful,) = await store.log_questions(
        [record("bayar paspornya gimana kak", "answer", faq_id="cara-bayar")]
    )
    await vote(store, unhelpful, helpful=False)

    proposal = await proposal_for(engine, matcher)

    assert proposal.examples == ()


async def test_users_disagreeing_on_a_wording_settle_by_majority_or_not_at_all(
    engine: AsyncEngine, store: Store, matcher: Matcher
) -> None:
    offered = ("cara-bayar", "status-bayar", "batas-bayar")
    tied, major = "kode billing paspornya gmn", "nomor billing dibayar dimana"
    await store.log_questions(
        [
            clarified(tied, offered, user="b1"),
            pressed("cara-bayar", user="b1", minutes=1),
            clarified(tied, offered, user="b2"),
            pressed("batas-bayar", user="b2", minutes=1),
            clarified(major, offered, user="b3"),
            pressed("cara-bayar", user="b3", minutes=1),
            clarified(major, offered, user="b4"),
            pressed("cara-bayar", user="b4", minutes=1),
            clarified(major, offered, user="b5"),
            pressed("status-bayar", user="b5", minutes=1),
        ]
    )

    proposal = await proposal_for(engine, matcher)

    assert [(e.entry_id, e.text) for e in proposal.examples] == [("cara-bayar", major)]


async def test_a_ticket_answered_with_an_entrys_content_teaches_that_entry(
    engine: AsyncEngine, store: Store, matcher: Matcher
) -> None:
    entry = matcher.kb.get("cara-bayar")
    assert entry is not None
    pasted = "Halo kak, begini caranya.\n\n" + answer_text(entry, matcher.kb)
    copied = await officer_answers(store, "bisa bayar paspor lewat shopee?", pasted)
    await officer_answers(store, "bisa bayar paspor lewat indomaret?", "Bisa, di kasir.")

    proposal = await proposal_for(engine, matcher)

    assert proposal.examples == (
        Example(
            "cara-bayar",
            "bisa bayar paspor lewat shopee?",
            f"petugas menjawab dengan isi entri ini di tiket #{copied}",
        ),
    )


async def test_clusters_of_unanswered_questions_become_draft_entries(
    engine: AsyncEngine, chat: Conversation, store: Store, matcher: Matcher
) -> None:
    for user, text in enumerate([*PETS, *ATM, "menara eiffel tinggi berapa"]):
        replies = await say(chat, f"2{user:02}", text)
        # A note that the message was also taken as feedback may come first.
        assert replies[-1].text.startswith(FALLBACK), text
    ticket = await officer_answers(store, PETS[0], PETS_ANSWER, officer="Sari")

    proposal = await proposal_for(engine, matcher)

    atm, pets = sorted(proposal.entries, key=lambda entry: "hewan" in entry.questions[0])
    assert len(pets.questions) == 3  # a cluster names its three most common wordings
    assert set(pets.questions) < set(PETS)
    assert pets.answer == PETS_ANSWER
    assert pets.notes[0].startswith("4 pertanyaan tidak terjawab")
    assert pets.notes[1] == f"jawaban dari petugas Sari di tiket #{ticket}"
    assert atm.questions[0] == ATM[0]  # the most asked wording first
    assert sorted(atm.questions) == sorted({*ATM})
    assert atm.answer is None
    assert atm.notes[0].startswith("4 pertanyaan tidak terjawab")
    assert {pets.category, atm.category} <= set(matcher.kb.categories) - {"obrolan"}


async def test_pending_drafts_are_proposed_and_merge_with_a_matching_cluster(
    chat: Conversation, store: Store, engine: AsyncEngine, matcher: Matcher
) -> None:
    drafts = Drafts(engine)
    for user, text in enumerate(PETS):
        await say(chat, f"3{user:02}", text)
    ticket = await officer_answers(store, PETS[1], PETS_ANSWER, officer="Sari")
    from_ticket = await drafts.add_from_ticket(ticket, created_by="Sari")
    assert from_ticket is not None
    named = await drafts.add(source="log", entry_id="mpaspor-apa", questions=["mpaspor tuh apa"])
    known = await drafts.add(source="log", questions=["Apa itu aplikasi M-Paspor?"])
    lobby = await drafts.add(source="cluster", questions=["apakah ada fotokopi di kantor"])

    proposal = await proposal_for(engine, matcher)

    assert proposal.examples == (Example("mpaspor-apa", "mpaspor tuh apa", f"draf #{named.id}"),)
    pets, copies = proposal.entries
    assert pets.questions[0] == PETS[1]
    assert sorted(pets.questions) == sorted(PETS)
    assert pets.answer == PETS_ANSWER
    assert pets.notes[0].startswith(f"draf #{from_ticket.draft.id}: tiket #{ticket}")
    assert "oleh Sari" in pets.notes[0]
    assert pets.notes[1].startswith("4 pertanyaan tidak terjawab")
    assert (copies.questions, copies.answer) == (["apakah ada fotokopi di kantor"], None)
    assert copies.notes == [f"draf #{lobby.id} (cluster, {NOW.astimezone(JAKARTA).date()})"]
    assert proposal.skipped == (
        f"draf #{known.id} dilewati: pertanyaannya sudah ada di faq.yaml"
        " atau masih berisi data pribadi",
    )
