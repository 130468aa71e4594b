"""Officers and admins on Telegram, end to end: tickets through the staff group, the claim
race, reminders, restart, admin commands, and the webhook (secret, repeats, two workers)."""

from __future__ import annotations

import asyncio
import datetime as dt
import re
import shutil
from pathlib import Path

import httpx
import pytest
from fakes.telegram_api import FakeTelegram, Sent, buttons
from fakes.telegram_state import CallbackAnswer
from support.rows import count_questions, pending_counts
from telegram_harness import ADMIN, GROUP, SECRET, polling_bot, settings_for, webhook_bot

from bot.channels.telegram.webhook import SECRET_HEADER
from bot.core.escalation import Escalation
from bot.core.replies import AGENT_BUTTON
from bot.runtime.app import App

USER = 515151
OFFICER_A, OFFICER_B = 7001, 7002
ROOT = Path(__file__).resolve().parents[2]


def number(text: str | None) -> int:
    found = re.search(r"#(\d+)", text or "")
    assert found, text
    return int(found.group(1))


async def sent(fake: FakeTelegram, chat: int, count: int, timeout: float = 15.0) -> list[Sent]:  # noqa: ASYNC109
    """The first `count` new messages in a chat (edits of earlier ones are not counted)."""

    def messages() -> list[Sent]:
        return [s for s in fake.sent_to(chat) if s.method == "sendMessage"]

    await fake.wait_for(lambda: len(messages()) >= count, timeout=timeout)
    return messages()[:count]


def staff_answers(fake: FakeTelegram) -> list[CallbackAnswer]:
    """Answers to officers' presses (the applicant's own presses are answered silently)."""
    return [a for a in fake.callback_answers if a.text]


def button(record: Sent, label: str) -> str:
    data = dict(buttons(record))[label]
    assert data is not None
    return data


async def open_ticket(fake: FakeTelegram) -> tuple[int, Sent]:
    """An applicant asks something the bot cannot answer and presses "Tanya petugas"."""
    fake.user_says(USER, "bolehkah saya membawa hewan peliharaan ke ruang tunggu")
    (fallback,) = await sent(fake, USER, 1)
    fake.user_presses(USER, fallback.message_id, button(fallback, AGENT_BUTTON))
    opened = (await sent(fake, USER, 2))[-1]
    (post,) = await sent(fake, GROUP, 1)
    assert number(opened.visible_text) == number(post.visible_text)
    return number(post.visible_text), post


async def test_ticket_round_trip(fake: FakeTelegram, bot: App) -> None:
    ticket_id, post = await open_ticket(fake)
    assert "hewan peliharaan" in (post.visible_text or "")
    fake.user_says(USER, "saya dari sragi")
    await sent(fake, USER, 3)
    note = (await sent(fake, GROUP, 2))[-1]
    assert "sragi" in (note.visible_text or "")
    fake.group_presses(
        GROUP, OFFICER_A, post.message_id, f"t:claim:{ticket_id}", first_name="Rina"
    )
    await fake.wait_for(lambda: "Rina" in (fake.message(GROUP, post.message_id).get("text") or ""))
    fake.group_says(
        GROUP,
        OFFICER_A,
        "Boleh, asal di dalam keranjang.",
        first_name="Rina",
        reply_to_message_id=post.message_id,
    )
    answer = (await sent(fake, USER, 4))[-1]
    assert "Boleh, asal di dalam keranjang." in (answer.visible_text or "")
    confirmation = (await sent(fake, GROUP, 3))[-1]
    assert "terkirim" in (confirmation.visible_text or "")
    fake.group_presses(
        GROUP, OFFICER_A, post.message_id, f"t:close:{ticket_id}", first_name="Rina"
    )
    closed = (await sent(fake, USER, 5))[-1]
    assert "ditutup" in (closed.visible_text or "")
    ticket = await bot.store.get_ticket(ticket_id)
    assert ticket is not None
    assert (ticket.status, ticket.owner_name) == ("closed", "Rina")
    assert fake.unanswered_callbacks == []


async def test_answer_with_command_and_list(fake: FakeTelegram, bot: App) -> None:
    ticket_id, _ = await open_ticket(fake)
    fake.group_says(GROUP, OFFICER_B, "/tiket")
    listing = (await sent(fake, GROUP, 2))[-1]
    assert f"#{ticket_id}" in (listing.visible_text or "")
    fake.group_says(GROUP, OFFICER_B, f"/jawab {ticket_id} Silakan datang jam 8 pagi.")
    answer = (await sent(fake, USER, 3))[-1]
    assert "Silakan datang jam 8 pagi." in (answer.visible_text or "")


async def test_claim_race_has_one_winner(fake: FakeTelegram, bot: App) -> None:
    ticket_id, post = await open_ticket(fake)
    fake.group_presses(GROUP, OFFICER_A, post.message_id, f"t:claim:{ticket_id}", first_name="A")
    fake.group_presses(GROUP, OFFICER_B, post.message_id, f"t:claim:{ticket_id}", first_name="B")
    await fake.wait_for(lambda: len(staff_answers(fake)) == 2)
    alerts = [a for a in staff_answers(fake) if a.show_alert]
    assert len(alerts) == 1, fake.callback_answers
    ticket = await bot.store.get_ticket(ticket_id)
    assert ticket is not None
    assert ticket.owner_name in {"A", "B"}
    assert ticket.owner_name in (alerts[0].text or "")


async def test_claim_and_close_pressed_outside_the_officers_group_are_refused(
    fake: FakeTelegram, bot: App
) -> None:
    ticket_id, _ = await open_ticket(fake)
    opened = fake.sent_to(USER)[-1]
    # Forged data on a message in the applicant's own chat: only the group may press these.
    for action in ("claim", "close"):
        fake.user_presses(USER, opened.message_id, f"t:{action}:{ticket_id}", check_button=False)
    # The chat's updates are handled in order: once this is answered, the presses were too.
    fake.user_says(USER, "apakah sudah ada jawaban")
    appended = (await sent(fake, USER, 3))[-1]
    assert f"#{ticket_id}" in (appended.visible_text or "")
    ticket = await bot.store.get_ticket(ticket_id)
    assert ticket is not None
    assert (ticket.status, ticket.owner_name) == ("open", None)
    assert staff_answers(fake) == []
    assert not any("ditutup" in (s.visible_text or "") for s in fake.sent_to(USER))


async def test_reminder_for_an_unclaimed_ticket(fake: FakeTelegram, bot: App) -> None:
    ticket_id, _ = await open_ticket(fake)
    ticket = await bot.store.get_ticket(ticket_id)
    assert ticket is not None
    # Escalation on the app's own store and staff room, its "now" the next morning in office
    # hours: the ticket has waited long enough whatever the wall clock says.
    hours = bot.settings.office_hours
    next_day = ticket.created_at.astimezone(hours.zone) + dt.timedelta(days=1)
    morning = next_day.replace(hour=10, minute=0, second=0, microsecond=0)
    escalation = Escalation(
        bot.store,
        bot.staff,
        bot.deliveries,
        history=bot.store,
        hours=hours,
        applicant_hours="",
        remind_after=dt.timedelta(minutes=30),
        clock=lambda: morning,
    )
    assert [t.id for t in await escalation.remind()] == [ticket_id]
    reminder = (await sent(fake, GROUP, 2))[-1]
    assert "Pengingat" in (reminder.visible_text or "")
    assert number(reminder.visible_text) == ticket_id
    assert await escalation.remind() == []  # once per period


async def test_tickets_survive_a_restart(fake: FakeTelegram, db_url: str, tmp_path: Path) -> None:
    settings = settings_for(fake, db_url, tmp_path)
    async with polling_bot(settings):
        ticket_id, post = await open_ticket(fake)
        fake.group_presses(
            GROUP, OFFICER_A, post.message_id, f"t:claim:{ticket_id}", first_name="Rina"
        )
        await fake.wait_for(lambda: len(staff_answers(fake)) == 1)
    async with polling_bot(settings) as restarted:
        fake.group_says(
            GROUP,
            OFFICER_A,
            "Jawaban setelah restart.",
            first_name="Rina",
            reply_to_message_id=post.message_id,
        )
        answer = (await sent(fake, USER, 3))[-1]
        assert "Jawaban setelah restart." in (answer.visible_text or "")
        ticket = await restarted.store.get_ticket(ticket_id)
        assert ticket is not None
        assert ticket.owner_name == "Rina"


async def test_admin_commands(fake: FakeTelegram, bot: App) -> None:
    fake.user_says(USER, "berapa biaya paspor")
    await sent(fake, USER, 1)
    for command in ("/statistik", "/teratas", "/belum_terjawab", "/muat_ulang"):
        fake.user_says(ADMIN, command)
    replies = await sent(fake, ADMIN, 4, timeout=10)
    text = "\n".join(r.visible_text or "" for r in replies)
    assert "biaya-paspor" in text or "Biaya paspor" in text
    assert "dimuat ulang" in text


async def test_non_admin_is_refused(fake: FakeTelegram, bot: App) -> None:
    fake.user_says(USER, "/statistik")
    (reply,) = await sent(fake, USER, 1)
    assert reply.visible_text == "Maaf, perintah ini khusus admin."


async def test_invalid_reload_keeps_the_old_knowledge(
    fake: FakeTelegram, db_url: str, tmp_path: Path
) -> None:
    faq = tmp_path / "faq.yaml"
    shutil.copy(ROOT / "faq.yaml", faq)
    async with polling_bot(settings_for(fake, db_url, tmp_path, {"FAQ_PATH": str(faq)})):
        faq.write_text("entries:\n  - id: rusak\n    title: [\n", encoding="utf-8")
        fake.user_says(ADMIN, "/muat_ulang")
        (refused,) = await sent(fake, ADMIN, 1)
        assert "TIDAK dimuat ulang" in (refused.visible_text or "")
        fake.user_says(USER, "berapa biaya paspor")
        (answer,) = await sent(fake, USER, 1)
        assert "Rp350.000" in (answer.visible_text or "")


async def drained(app: App) -> None:
    """Wait until no update and no reply is pending: whatever would be sent has been."""
    async with asyncio.timeout(15):
        # The database offers no change event to wait on.
        while await pending_counts(app.pipeline.store) != (0, 0):  # noqa: ASYNC110
            await asyncio.sleep(0.02)


async def test_webhook_secret_and_repeats(fake: FakeTelegram, db_url: str, tmp_path: Path) -> None:
    async with webhook_bot(settings_for(fake, db_url, tmp_path)) as (app, url):
        fake.deliver_to(f"{url}/telegram", SECRET)
        update = fake.user_says(USER, "berapa biaya paspor")
        await sent(fake, USER, 1)
        assert await fake.post_update(update) == 200  # Telegram retrying: processed once
        forged = {**update, "update_id": update["update_id"] + 1000}
        assert await fake.post_update(forged, secret="salah") == 403
        assert await fake.post_update(forged, secret=None) == 403
        await drained(app)
        assert len(fake.sent_to(USER)) == 1
        assert await count_questions(app.store) == 1


# Several workers are a PostgreSQL deployment (SQLite is for one host), so PostgreSQL only.
@pytest.mark.postgres
@pytest.mark.parametrize("db_url", ["postgres"], indirect=True)
async def test_two_webhook_workers_one_database(
    fake: FakeTelegram, db_url: str, tmp_path: Path
) -> None:
    settings = settings_for(fake, db_url, tmp_path)
    async with webhook_bot(settings) as (first, url_a), webhook_bot(settings) as (_, url_b):
        fake.deliver_to(f"{url_a}/telegram", SECRET)
        ticket_id, post = await open_ticket(fake)
        fake.deliver_to(None)
        press_a = fake.group_presses(
            GROUP, OFFICER_A, post.message_id, f"t:claim:{ticket_id}", first_name="A"
        )
        press_b = fake.group_presses(
            GROUP, OFFICER_B, post.message_id, f"t:claim:{ticket_id}", first_name="B"
        )
        # Each press reaches a different worker at the same moment.
        statuses = await asyncio.gather(
            post_to(f"{url_a}/telegram", press_a), post_to(f"{url_b}/telegram", press_b)
        )
        assert statuses == [200, 200]
        await fake.wait_for(lambda: len(staff_answers(fake)) == 2)
        assert len([a for a in staff_answers(fake) if a.show_alert]) == 1
        ticket = await first.store.get_ticket(ticket_id)
        assert ticket is not None
        assert ticket.owner_name in {"A", "B"}


async def post_to(url: str, update: dict[str, object]) -> int:
    async with httpx.AsyncClient(timeout=10.0) as client:
        response = await client.post(url, json=update, headers={SECRET_HEADER: SECRET})
    return response.status_code
