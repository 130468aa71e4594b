"""Complaints and suggestions through the real conversation: the thank-you, the answer or
choice the core would give anyway, the contact footer, and the redacted record with its topic."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
from support.memory_log import MemoryLog

from bot.core.complaints import NOTED, ONLY, THANKS, Complaints
from bot.core.conversation import Conversation
from bot.core.errors import StorageError
from bot.core.notices import OutageBoard
from bot.core.replies import CLARIFY, FALLBACK, OUTAGE, PRIVACY_WARNING, fill, footer
from bot.core.turns import Turn
from bot.core.vocabulary import ComplaintRecord, Notice, Reply
from knowledge.complaints import COMPLAINT, SUGGESTION, default_recogniser
from knowledge.matcher import Matcher
from knowledge.policy import Decision, Thresholds, decide

from .conftest import says
from .test_notices_and_hashes import Keeper


@pytest.fixture
def heard(matcher: Matcher, log: MemoryLog) -> Conversation:
    """The core with the question log also keeping complaints, as the root wires it."""
    return Conversation(matcher, log, salt="test-salt", complaints=log)


def thanks(core: Conversation, kind: str = COMPLAINT) -> str:
    return fill(THANKS[kind], core.matcher.kb)


async def test_a_complaint_alone_is_thanked_passed_on_and_kept(
    heard: Conversation, log: MemoryLog
) -> None:
    outcome = await heard.respond(says("antreannya hampir sejam, capek"))
    (reply,) = outcome.replies
    assert reply.text == f"{thanks(heard)}\n\n{ONLY}\n\n{footer(heard.matcher.kb)}"
    assert "Kantor Imigrasi Kalianda" in reply.text  # the office is named
    assert FALLBACK not in reply.text
    assert CLARIFY not in reply.text
    assert "📋 Menu" in [button.label for button in reply.buttons]
    (record,) = log.complaints
    (question,) = log.questions
    assert record == ComplaintRecord(
        1, "test", COMPLAINT, "antrean", None, question.text_redacted, record.created_at
    )
    assert record.text_redacted == "antreannya hampir sejam, capek"


async def test_a_complaint_that_touches_a_known_topic_gets_the_answer_after_the_thanks(
    heard: Conversation, log: MemoryLog
) -> None:
    replies = await heard.handle(says("kuota penuh terus gimana"))
    lead, answer = replies
    assert lead == Reply(thanks(heard))
    entry = heard.matcher.kb.get("kuota-jadwal")
    assert entry is not None
    assert answer.text.startswith(entry.short.strip())  # as the core gives it: short first
    assert "📞" in answer.text  # with the contact footer
    (record,) = log.complaints
    assert (record.kind, record.topic, record.faq_id) == (COMPLAINT, "antrean", "kuota-jadwal")
    assert log.questions[0].action == "answer"  # counted as the question it also is


async def test_a_complaint_that_also_asks_keeps_the_choice(heard: Conversation) -> None:
    lead, choice = await heard.handle(says("ruang tunggu panas banget, bayar dimana?"))
    assert lead.text == thanks(heard)
    assert choice.text == CLARIFY


async def test_no_choice_is_offered_to_someone_who_asked_nothing(
    heard: Conversation, log: MemoryLog
) -> None:
    # The matcher is unsure between three entries; nobody asked which one.
    (reply,) = await heard.handle(says("ngantri dari pagi, capek"))
    assert CLARIFY not in reply.text
    assert log.questions[0].action == "clarify"  # the log still says what the core decided
    assert log.complaints[0].faq_id is None


async def test_a_suggestion_is_thanked_as_one(heard: Conversation, log: MemoryLog) -> None:
    replies = await heard.handle(says("waktu bayar ditambah jadi 5 jam"))
    assert replies[0].text.startswith(thanks(heard, SUGGESTION))
    assert (log.complaints[0].kind, log.complaints[0].topic) == (SUGGESTION, "pembayaran")


async def test_small_talk_gives_way_to_the_thanks(heard: Conversation) -> None:
    (reply,) = await heard.handle(says("makasih min, tapi antrinya lama banget"))
    assert reply.text.startswith(thanks(heard))


async def test_thanks_the_model_alone_hears_stay_thanks(
    heard: Conversation, log: MemoryLog
) -> None:
    text = "IYA PAK TRIMAKASIH BANYAK SEMOGA SEHAT SELALU"
    voice = default_recogniser().hear(text)
    assert voice is not None
    assert not voice.sure
    (reply,) = await heard.handle(says(text))
    assert not reply.text.startswith(thanks(heard, voice.kind))
    assert log.complaints == []


async def test_the_pointer_for_insults_gives_way_but_another_service_keeps_its_pointer(
    heard: Conversation, log: MemoryLog
) -> None:
    (insult,) = await heard.handle(says("aplikasi sampah, payah"))
    assert insult.text.startswith(thanks(heard))
    assert [record.topic for record in log.complaints] == ["aplikasi"]
    # Not this office's service: told where it belongs, not passed on to the office.
    (dukcapil,) = await heard.handle(says("ngurus ktp di dukcapil lama banget, kesel"))
    assert dukcapil.text.startswith("Urusan KTP, Kartu Keluarga")
    assert len(log.complaints) == 1


async def test_personal_data_never_reaches_the_record(heard: Conversation, log: MemoryLog) -> None:
    replies = await heard.handle(says("antrian lama bgt, hubungi saya 081234567890"))
    assert replies[-1].text == PRIVACY_WARNING
    assert log.complaints[0].text_redacted == "antrian lama bgt, hubungi saya [TELEPON]"
    assert "0812" not in repr(log.complaints)


async def test_plain_questions_buttons_and_menus_are_no_complaints(
    heard: Conversation, log: MemoryLog
) -> None:
    for text in ("berapa lama paspor jadi?", "biaya paspor", "#faq:biaya-paspor", "/menu"):
        replies = await heard.handle(says(text))
        assert not replies[0].text.startswith("Terima kasih sudah"), text
    assert log.complaints == []


async def test_without_a_complaint_log_the_reply_is_the_same(
    core: Conversation, heard: Conversation
) -> None:
    plain = await core.handle(says("petugasnya jutek bgt"))
    kept = await heard.handle(says("petugasnya jutek bgt"))
    assert plain == kept


async def test_a_store_that_fails_costs_only_the_record(
    matcher: Matcher, log: MemoryLog, caplog: pytest.LogCaptureFixture
) -> None:
    class Broken:
        async def add_complaint(self, record: ComplaintRecord) -> None:
            raise StorageError("database down")

    core = Conversation(matcher, log, salt="s", complaints=Broken())
    with caplog.at_level(logging.ERROR):
        (reply,) = await core.handle(says("parkiran sempit bgt"))
    assert reply.text.startswith(thanks(core))
    assert "complaint on question 1 not stored" in caplog.text


async def test_nothing_is_kept_without_a_logged_question(matcher: Matcher, log: MemoryLog) -> None:
    turn = Turn("fallback", decision=matcher_decision(matcher, "toiletnya bau"))
    turn.replies.append(Reply(FALLBACK))
    render = Conversation(matcher, log, salt="s")._render()
    voice = await Complaints(log).hear("test", turn, "toiletnya bau", 0, render)
    assert voice is not None
    assert voice.topic == "fasilitas"
    assert log.complaints == []  # question id 0: the log was down, nothing to tie it to
    assert turn.replies[0].text.startswith(fill(THANKS[COMPLAINT], matcher.kb))


async def test_during_an_outage_the_notice_comes_first_then_the_thanks(
    matcher: Matcher, log: MemoryLog
) -> None:
    keeper = Keeper()
    keeper.notice = Notice("Server gangguan", dt.datetime(2026, 11, 25, 1, 0, tzinfo=dt.UTC), "a")
    board = OutageBoard(keeper, cache_seconds=0)
    core = Conversation(matcher, log, salt="s", notices=board, complaints=log)
    replies = await core.handle(says("aplikasi m paspor error terus, kesel"))
    assert replies[0].text == OUTAGE.format(since="25/11 08.00 WIB", text="Server gangguan")
    assert replies[1].text == fill(THANKS[COMPLAINT], matcher.kb)
    assert replies[2].text.startswith("Keluar dari akun")  # the answer about app errors


def matcher_decision(matcher: Matcher, text: str) -> Decision:
    return decide(matcher.rank(text), Thresholds())


async def test_what_only_the_model_hears_gets_a_note_and_keeps_the_reply(
    heard: Conversation, log: MemoryLog
) -> None:
    text = "kuota penuh gimana"
    voice = default_recogniser().hear(text)
    assert voice is not None
    assert not voice.sure
    note, answer = await heard.handle(says(text))
    assert note == Reply(fill(NOTED, heard.matcher.kb))
    entry = heard.matcher.kb.get("kuota-jadwal")
    assert entry is not None
    assert answer.text.startswith(entry.short.strip())  # the core's reply stays
    (record,) = log.complaints
    assert (record.kind, record.faq_id) == (voice.kind, "kuota-jadwal")
