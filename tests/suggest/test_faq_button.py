"""📝 Jadikan FAQ end to end: the real bot (PTB, core, database) against the fake Bot API.
An answered ticket offers the button; pressing it queues one draft, however often pressed."""

from __future__ import annotations

import re

from fakes.telegram_api import FakeTelegram, Sent, buttons
from telegram_harness import GROUP

from bot.channels.telegram import staff_text
from bot.core import replies
from bot.runtime.app import App

USER, OFFICER = 616161, 7001
QUESTION = "bolehkah membawa hewan peliharaan ke ruang tunggu"
ANSWER = "Mohon maaf, hewan peliharaan tidak boleh dibawa masuk ke ruang tunggu."
# Generous: the wait ends as soon as the condition holds, and a loaded CI machine (other
# suites, PostgreSQL) has been seen to take more than the fake's default 5 s for one reply.
WAIT = 30.0


async def sent(fake: FakeTelegram, chat: int, count: int) -> list[Sent]:
    """The first `count` messages sent to a chat (edits are not counted)."""

    def messages() -> list[Sent]:
        return [s for s in fake.sent_to(chat) if s.method == "sendMessage"]

    await fake.wait_for(lambda: len(messages()) >= count, timeout=WAIT)
    return messages()[:count]


def labels(message: Sent | dict[str, object]) -> list[str]:
    return [label for label, _ in buttons(message)]


async def open_ticket(fake: FakeTelegram) -> tuple[int, Sent]:
    fake.user_says(USER, QUESTION)
    (fallback,) = await sent(fake, USER, 1)
    agent = dict(buttons(fallback))[replies.AGENT_BUTTON]
    assert agent is not None
    fake.user_presses(USER, fallback.message_id, agent)
    (post,) = await sent(fake, GROUP, 1)
    found = re.search(r"#(\d+)", post.visible_text or "")
    assert found
    return int(found.group(1)), post


async def press(fake: FakeTelegram, message_id: int, data: str, answers: int) -> str | None:
    """An officer presses a button in the group; returns the toast shown to them."""
    fake.group_presses(GROUP, OFFICER, message_id, data, first_name="Rina")
    await fake.wait_for(
        lambda: len([a for a in fake.callback_answers if a.text]) >= answers, timeout=WAIT
    )
    return [a for a in fake.callback_answers if a.text][answers - 1].text


async def test_an_answered_ticket_becomes_one_draft(fake: FakeTelegram, bot: App) -> None:
    ticket_id, post = await open_ticket(fake)
    assert staff_text.FAQ_BUTTON not in labels(post)  # nothing to write up before an answer

    fake.group_says(GROUP, OFFICER, ANSWER, first_name="Rina", reply_to_message_id=post.message_id)
    confirmation = (await sent(fake, GROUP, 2))[-1]
    assert dict(buttons(confirmation)) == {staff_text.FAQ_BUTTON: f"t:faq:{ticket_id}"}
    # The post replied to is refreshed: the owner is shown and Jadikan FAQ is offered there too.
    await fake.wait_for(
        lambda: staff_text.FAQ_BUTTON in labels(fake.message(GROUP, post.message_id)),
        timeout=WAIT,
    )
    refreshed = fake.message(GROUP, post.message_id)
    assert staff_text.CLAIM_BUTTON not in labels(refreshed)
    assert "Rina" in str(refreshed.get("text"))

    first = await press(fake, post.message_id, f"t:faq:{ticket_id}", 1)
    again = await press(fake, confirmation.message_id, f"t:faq:{ticket_id}", 2)

    (draft,) = await bot.drafts.pending()
    assert first == f"Draf #{draft.id} masuk antrean tinjauan."
    assert again == f"Draf #{draft.id} sudah ada di antrean tinjauan."
    assert (draft.source, draft.ticket_id, draft.questions, draft.answer, draft.created_by) == (
        "ticket",
        ticket_id,
        (QUESTION,),
        ANSWER,
        "Rina",
    )
    assert fake.unanswered_callbacks == []


async def test_answer_by_command_offers_the_button_and_a_closed_post_keeps_it(
    fake: FakeTelegram, bot: App
) -> None:
    ticket_id, post = await open_ticket(fake)
    fake.group_says(GROUP, OFFICER, f"/jawab {ticket_id} {ANSWER}", first_name="Rina")
    confirmation = (await sent(fake, GROUP, 2))[-1]
    assert labels(confirmation) == [staff_text.FAQ_BUTTON]

    closed = await press(fake, post.message_id, f"t:close:{ticket_id}", 1)
    assert closed is not None
    assert "ditutup" in closed
    await fake.wait_for(
        lambda: labels(fake.message(GROUP, post.message_id)) == [staff_text.FAQ_BUTTON],
        timeout=WAIT,
    )
    made = await press(fake, post.message_id, f"t:faq:{ticket_id}", 2)

    (draft,) = await bot.drafts.pending()
    assert made == f"Draf #{draft.id} masuk antrean tinjauan."
    assert draft.answer == ANSWER


async def test_a_stale_button_for_an_unanswered_ticket_makes_no_draft(
    fake: FakeTelegram, bot: App
) -> None:
    ticket_id, post = await open_ticket(fake)
    # Forged or stale data: the post offers no such button yet.
    fake.group_presses(
        GROUP,
        OFFICER,
        post.message_id,
        f"t:faq:{ticket_id}",
        first_name="Rina",
        check_button=False,
    )
    await fake.wait_for(lambda: any(a.text for a in fake.callback_answers), timeout=WAIT)
    (refused,) = [a for a in fake.callback_answers if a.text]
    assert refused.show_alert
    assert refused.text == staff_text.draft_result(ticket_id, None, created=False)
    assert await bot.drafts.pending() == []
