"""The core end to end: answers, choices, feedback, bad input, the log (in memory: the store's
side of the log is tested in tests/storage and tests/test_question_log.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from support.memory_log import MemoryLog

from bot.core.conversation import Conversation
from bot.core.replies import (
    CLARIFY,
    DETAILS_BUTTON,
    DETAILS_GONE,
    FEEDBACK_UNKNOWN,
    HELPFUL,
    LONG,
    NONE_OF_THESE,
    NOT_HELPFUL,
    PRIVACY_WARNING,
    footer,
    short_footer,
)
from bot.core.vocabulary import Reply
from knowledge.loader import load

from .conftest import says

ROOT = Path(__file__).resolve().parents[2]


def footer_in(replies: list[Reply], core: Conversation) -> bool:
    return footer(core.matcher.kb) in replies[0].text


def short_footer_in(replies: list[Reply], core: Conversation) -> bool:
    return short_footer(core.matcher.kb) in replies[0].text


async def details(core: Conversation, first: list[Reply], user: str = "u1") -> list[Reply]:
    """Press 📖 Selengkapnya under a short answer."""
    (more,) = first[0].buttons
    assert more.label == DETAILS_BUTTON
    return await core.handle(says(more.data, user))


async def test_answer_is_short_first_then_whole_with_related_and_feedback(
    core: Conversation, log: MemoryLog
) -> None:
    replies = await core.handle(says("brp biaya bikin paspor 10 thn"))
    assert "Rp650.000" in replies[0].text
    assert "Rp1.000.000" not in replies[0].text, "percepatan is a detail"
    assert short_footer_in(replies, core)
    (asked,) = log.recent()
    assert (asked.action, asked.faq_id) == ("answer", "biaya-paspor")
    assert asked.kb_version == core.matcher.kb.version
    assert asked.candidates[0].faq_id == "biaya-paspor"
    whole = await details(core, replies)
    assert "Rp1.000.000" in whole[0].text
    assert footer_in(whole, core)
    labels = [b.label for b in whole[0].buttons]
    assert len(labels) > 2, "related follow-ups are offered"
    assert labels[-2:] == [HELPFUL, NOT_HELPFUL]
    # The votes are on the question asked; the tap is logged as its own action.
    assert whole[0].buttons[-1].data == "#fb:1:0"  # the first logged question
    tap = log.recent()[0]
    assert (tap.action, tap.faq_id, tap.flags) == ("details", "biaya-paspor", ("details",))


async def test_details_of_an_entry_no_longer_there_are_an_apology(
    core: Conversation, log: MemoryLog
) -> None:
    [reply] = await core.handle(says("#more:tidak-ada:1"))
    assert reply.text == DETAILS_GONE
    assert (log.recent()[0].action, log.recent()[0].flags) == ("notice", ("details_gone",))


async def test_feedback_is_stored_and_linked(core: Conversation, log: MemoryLog) -> None:
    replies = await details(core, await core.handle(says("syarat bikin paspor anak")))
    thumbs_down = replies[0].buttons[-1].data
    after = await core.handle(says(thumbs_down))
    assert footer(core.matcher.kb) in after[0].text
    question_id = int(thumbs_down.split(":")[1])
    (feedback,) = log.feedback_for(question_id)
    assert feedback.helpful is False


def test_the_footer_gives_the_offices_own_phone_and_email_or_else_the_national_contact(
    tmp_path: Path,
) -> None:
    text = (ROOT / "faq.yaml").read_text(encoding="utf-8")
    text = text.replace('  phone: ""', '  phone: "(0727) 322000"', 1)
    text = text.replace('  email: ""', "  email: kanim.kalianda@imigrasi.go.id", 1)
    (tmp_path / "faq.yaml").write_text(text, encoding="utf-8")
    office = load(tmp_path / "faq.yaml")
    assert footer(office) == (
        "📞 Layanan pelanggan Kantor Imigrasi Kalianda: "
        "telepon (0727) 322000, email kanim.kalianda@imigrasi.go.id"
    )
    unverified = load(ROOT / "faq.yaml")  # the real KB: the office's contacts left empty
    assert footer(unverified) == (
        f"📞 Layanan pelanggan Ditjen Imigrasi: {unverified.national_contact}"
    )


async def test_feedback_on_unknown_question_is_polite(core: Conversation) -> None:
    replies = await core.handle(says("#fb:999999:1"))
    assert replies[0].text == FEEDBACK_UNKNOWN


async def test_clarify_offers_three_and_none_of_these(core: Conversation) -> None:
    replies = await core.handle(says("paspor"))
    (reply,) = replies
    assert reply.text == CLARIFY
    assert len(reply.buttons) == 4
    assert reply.buttons[-1].label == NONE_OF_THESE
    chosen = await core.handle(says(reply.buttons[0].data))
    assert short_footer_in(chosen, core) or footer_in(chosen, core)
    nothing = await core.handle(says(reply.buttons[-1].data))
    assert footer(core.matcher.kb) in nothing[0].text


async def test_out_of_scope_falls_back_with_contact(core: Conversation, log: MemoryLog) -> None:
    replies = await core.handle(says("besok cuaca di bandung hujan gak ya"))
    assert short_footer_in(replies, core)  # it names the weather service: a first reply
    (logged,) = log.recent()
    assert (logged.action, logged.faq_id) == ("fallback", None)


async def test_greeting_shows_the_menu(core: Conversation) -> None:
    replies = await core.handle(says("assalamualaikum min"))
    assert replies[0].buttons
    assert all(b.data.startswith("#faq:") for b in replies[0].buttons)


async def test_personal_data_is_redacted_and_warned(core: Conversation, log: MemoryLog) -> None:
    replies = await core.handle(says("nik saya 3201234567890001 kok tidak valid, wa 081234567890"))
    assert replies[-1].text == PRIVACY_WARNING
    (logged,) = log.recent()
    assert "3201234567890001" not in logged.text_redacted + logged.normalized
    assert "081234567890" not in logged.text_redacted
    assert "[NIK]" in logged.text_redacted
    assert any(flag.startswith("pii:") for flag in logged.flags)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n\t ",
        "🙏🙏😭",
        "\x00\x01\x02",
        "'; DROP TABLE questions; --",
        "<script>alert(1)</script>",
        "**tebal** _miring_ [tautan](http://x)",
        "\ud800 rusak",
    ],
)
async def test_bad_input_gets_a_polite_reply_and_is_logged(
    core: Conversation, log: MemoryLog, text: str
) -> None:
    replies = await core.handle(says(text))
    assert replies
    assert all(r.text.strip() for r in replies)
    assert len(log.questions) == 1


async def test_very_long_message_is_answered_from_its_start(core: Conversation) -> None:
    text = "berapa biaya paspor elektronik 10 tahun? " + "bla " * 5000
    replies = await core.handle(says(text))
    assert replies[0].text == LONG
    assert "Rp950.000" in replies[1].text


async def test_user_id_is_hashed(core: Conversation, log: MemoryLog) -> None:
    await core.handle(says("halo", user="628123456789"))
    (logged,) = log.recent()
    assert "628123456789" not in logged.user_hash
    assert len(logged.user_hash) == 64
