"""Hostile button data and hostile text on Telegram, through the fake Bot API: forged feedback,
ticket ids no database can hold, bidi characters and link previews in the officers' group."""

from __future__ import annotations

import re

from fakes.telegram_api import FakeTelegram, Sent, buttons
from support.rows import feedback_for
from telegram_harness import GROUP

from bot.channels.telegram import staff_text
from bot.core import replies
from bot.runtime.app import App

ASKER, STRANGER, OFFICER = 515151, 626262, 7001
HUGE = "99999999999999999999"
BIDI = re.compile("[\u2066-\u2069\u202a-\u202e\u200e\u200f]")


async def answered(fake: FakeTelegram, user: int) -> tuple[Sent, str]:
    """The asker gets the short answer and asks for the whole one; returns the whole answer
    and its 👎 data."""
    fake.user_says(user, "brp biaya bikin paspor 10 thn?")
    (short,) = await fake.wait_sent(user, 1)
    fake.user_presses(user, short.message_id, dict(buttons(short))[replies.DETAILS_BUTTON])
    answer = (await fake.wait_sent(user, 2))[-1]
    down = dict(buttons(answer))[replies.NOT_HELPFUL]
    assert down is not None
    return answer, down


async def last_reply(fake: FakeTelegram, user: int, count: int) -> str:
    return (await fake.wait_sent(user, count))[-1].visible_text or ""


async def test_forged_feedback_on_someone_elses_answer_is_refused(
    fake: FakeTelegram, bot: App
) -> None:
    _, down = await answered(fake, ASKER)
    question_id = int(down.split(":")[1])
    fake.user_says(STRANGER, "halo")
    (greeting,) = await fake.wait_sent(STRANGER, 1)
    fake.user_presses(STRANGER, greeting.message_id, down, check_button=False)
    assert await last_reply(fake, STRANGER, 2) == replies.FEEDBACK_UNKNOWN
    assert await feedback_for(bot.store, question_id) == []
    assert fake.unanswered_callbacks == []


async def test_the_asker_can_still_judge_the_answer(fake: FakeTelegram, bot: App) -> None:
    answer, down = await answered(fake, ASKER)
    fake.user_presses(ASKER, answer.message_id, down)
    await fake.wait_sent(ASKER, 3)
    (vote,) = await feedback_for(bot.store, int(down.split(":")[1]))
    assert vote.helpful is False


async def test_ids_beyond_the_integer_range_get_a_polite_answer(
    fake: FakeTelegram, bot: App
) -> None:
    answer, _ = await answered(fake, ASKER)
    fake.user_presses(ASKER, answer.message_id, f"#fb:{HUGE}:0", check_button=False)
    assert await last_reply(fake, ASKER, 3) == replies.FEEDBACK_UNKNOWN
    # Details asked with an id no database holds: the answer, but nothing to vote on.
    fake.user_presses(ASKER, answer.message_id, f"#more:biaya-paspor:{HUGE}", check_button=False)
    whole = (await fake.wait_sent(ASKER, 4))[-1]
    assert "Rp1.000.000" in (whole.visible_text or "")
    assert replies.NOT_HELPFUL not in dict(buttons(whole))
    post = await ticket_post(fake, "mau tanya petugas")
    for action in ("claim", "close", "faq"):
        fake.group_presses(
            GROUP, OFFICER, post.message_id, f"t:{action}:{HUGE}", check_button=False
        )
    await fake.wait_for(lambda: len(refusals(fake)) == 3)
    assert fake.unanswered_callbacks == []
    fake.group_says(GROUP, OFFICER, f"/jawab {HUGE} boleh")
    fake.group_says(GROUP, OFFICER, f"/tutup {HUGE}")
    await fake.wait_for(lambda: len(group_texts(fake, staff_text.NO_SUCH_TICKET)) == 2)


def refusals(fake: FakeTelegram) -> list[str]:
    return [a.text or "" for a in fake.callback_answers if a.text == staff_text.NO_SUCH_TICKET]


def group_texts(fake: FakeTelegram, wanted: str) -> list[Sent]:
    return [s for s in fake.sent_to(GROUP) if s.visible_text == wanted]


async def ticket_post(fake: FakeTelegram, request: str) -> Sent:
    before = len(fake.sent_to(ASKER))
    fake.user_says(ASKER, request)
    await fake.wait_sent(ASKER, before + 1)
    await fake.wait_for(lambda: any(s.method == "sendMessage" for s in fake.sent_to(GROUP)))
    return next(s for s in fake.sent_to(GROUP) if s.method == "sendMessage")


async def test_officers_posts_carry_no_bidi_controls_and_no_link_previews(
    fake: FakeTelegram, bot: App
) -> None:
    question = (
        "kenapa \u2066\u202eakun\u202c\u2069 saya \u200fditolak\u200e "
        "lihat https://contoh.example/bukti \u2067ya\u2069"
    )
    fake.user_says(ASKER, question)
    await fake.wait_sent(ASKER, 1)
    post = await ticket_post(fake, "mau tanya petugas")
    assert "https://contoh.example/bukti" in (post.visible_text or "")
    fake.user_says(ASKER, "ini tambahan \u2068https://contoh.example/lagi\u2069")
    await fake.wait_for(lambda: len(posts(fake)) == 2)
    fake.group_presses(
        GROUP, OFFICER, post.message_id, buttons(post)[0][1] or "", first_name="Rina\u202eanep"
    )
    await fake.wait_for(lambda: any(s.method == "editMessageText" for s in fake.sent_to(GROUP)))
    for sent in fake.sent_to(GROUP):
        assert not BIDI.search(sent.text or ""), sent.text
        assert sent.text is None or sent.preview_disabled, sent


def posts(fake: FakeTelegram) -> list[Sent]:
    return [s for s in fake.sent_to(GROUP) if s.method == "sendMessage"]
