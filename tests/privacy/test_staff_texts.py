"""What staff write is kept redacted too: the applicant gets an officer's answer as written, yet
no table holds it so once it is sent or given up; announcements and the outage notice are
redacted before they are stored and broadcast, the office's own published contacts excepted.
The real bot against the fake Bot API, the rows read raw, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from announce.test_telegram_announce import announcements_to, press, preview
from channels.test_telegram_desk import USER, open_ticket, sent
from fakes.telegram_api import FakeTelegram
from fakes.telegram_rules import ApiError
from support.rows import failed_replies, pending_counts
from telegram_harness import ADMIN, GROUP, polling_bot, settings_for

from bot.core.replies import ANNOUNCE_SEND_BUTTON
from bot.runtime.app import App

from .corpus import CASES
from .dump import table_texts
from .round_trip import OFFICER_ANSWER, OFFICER_SECRETS, leaks

ROOT = Path(__file__).resolve().parents[2]
OFFICE_PHONE, OFFICE_EMAIL = "(0727) 322000", "kanim.kalianda@imigrasi.go.id"
OFFICER = 7001
SUBSCRIBER = 640_001
# An officer pasting what the applicant sent: several forms from the corpus at once.
PASTED = " ; ".join(case.text for case in CASES[:8])


@pytest.fixture
def kb_path(tmp_path: Path) -> Path:
    """faq.yaml with the office's telephone and e-mail filled in."""
    text = (ROOT / "faq.yaml").read_text(encoding="utf-8")
    text = text.replace('  phone: ""', f'  phone: "{OFFICE_PHONE}"', 1)
    path = tmp_path / "faq.yaml"
    path.write_text(text.replace('  email: ""', f"  email: {OFFICE_EMAIL}", 1), encoding="utf-8")
    return path


@pytest.fixture
async def bot(
    fake: FakeTelegram, db_url: str, tmp_path: Path, kb_path: Path
) -> AsyncIterator[App]:
    settings = settings_for(fake, db_url, tmp_path, {"FAQ_PATH": str(kb_path)})
    async with polling_bot(settings) as app:
        yield app


async def stored_leaks(bot: App, extra: tuple[str, ...] = ()) -> list[tuple[str, str]]:
    # A handled update's raw payload is cleared just after its handler's replies went out.
    async with asyncio.timeout(15):
        while await pending_counts(bot.store) != (0, 0):  # noqa: ASYNC110 - a table
            await asyncio.sleep(0.05)
    texts = await table_texts(bot.store._engine)
    return leaks("table", (f"{table}.{column}: {text}" for table, column, text in texts), extra)


async def test_an_officers_answer_is_delivered_as_written_and_kept_redacted(
    fake: FakeTelegram, bot: App
) -> None:
    ticket_id, _ = await open_ticket(fake)
    fake.group_says(GROUP, OFFICER, f"/jawab {ticket_id} {OFFICER_ANSWER}")
    answer = (await sent(fake, USER, 3))[-1]
    assert OFFICER_ANSWER in (answer.visible_text or "")  # the applicant reads it as typed
    assert await stored_leaks(bot, OFFICER_SECRETS) == []
    # The applicant blocks the bot: the next answer is refused for good and stays as failed.
    fake.failing_chats[USER] = ApiError(403, "Forbidden: bot was blocked by the user")
    fake.group_says(GROUP, OFFICER, f"/jawab {ticket_id} {OFFICER_ANSWER} ; {PASTED}")
    async with asyncio.timeout(15):
        while not await failed_replies(bot.store):  # noqa: ASYNC110 - a table, not an event
            await asyncio.sleep(0.05)
    assert await stored_leaks(bot, OFFICER_SECRETS) == []


async def test_announcements_and_the_outage_notice_are_redacted_but_office_contacts_kept(
    fake: FakeTelegram, bot: App
) -> None:
    fake.user_says(SUBSCRIBER, "/langganan")
    await fake.wait_sent(SUBSCRIBER, 1)
    contacts = f"Info: {OFFICE_PHONE} atau {OFFICE_EMAIL}."
    post = await preview(fake, f"{contacts} Titipan pemohon: {PASTED}")
    assert contacts in (post.visible_text or "")
    assert leaks("preview", [post.visible_text or ""]) == []  # the admin sees what goes out
    press(fake, post, ANNOUNCE_SEND_BUTTON)
    await fake.wait_for(lambda: bool(announcements_to(fake, SUBSCRIBER)), timeout=15)
    (announcement,) = announcements_to(fake, SUBSCRIBER)
    assert contacts in (announcement.visible_text or "")
    assert leaks("announcement", [announcement.visible_text or ""]) == []
    before = len(fake.sent_to(ADMIN))
    fake.user_says(ADMIN, f"/gangguan Server diperbaiki. {contacts} {PASTED}")
    await fake.wait_for(lambda: len(fake.sent_to(ADMIN)) > before)
    pinned = await bot.outage.outage()
    assert pinned is not None
    assert contacts in pinned.text
    assert leaks("notice", [pinned.text, fake.sent_to(ADMIN)[-1].visible_text or ""]) == []
    assert await stored_leaks(bot) == []
