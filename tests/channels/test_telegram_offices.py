"""Officers' groups per office, end to end over the fake Bot API: three offices, groups for
Kalianda and Kotabumi, the default group for the rest. Tickets land in their office's group,
a group acts only on its own tickets, and /pindah hands a ticket to another office."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from fakes.telegram_api import FakeTelegram, Sent
from telegram_harness import GROUP, SECRET, polling_bot, settings_for, webhook_bot

from bot.channels.telegram.channel import CHANNEL as TELEGRAM
from bot.core.vocabulary import Incoming
from bot.runtime.app import App

from .test_telegram_desk import number, post_to, sent, staff_answers

KALIANDA, KOTABUMI = -1002000000001, -1002000000002
GROUPS = {"TELEGRAM_OFFICE_GROUPS": f"kalianda:{KALIANDA},kotabumi:{KOTABUMI}"}
USER = 626262
RINA, SARI, DEWI = 7101, 7102, 7103
NOT_ANSWERS = ("🎫", "➡", "⬅")


@pytest.fixture
async def bot(fake: FakeTelegram, db_url: str, tmp_path: Path) -> AsyncIterator[App]:
    """The real bot with the office groups configured."""
    fake.add_group(KALIANDA, "Petugas Kalianda")
    fake.add_group(KOTABUMI, "Petugas Kotabumi")
    async with polling_bot(settings_for(fake, db_url, tmp_path, GROUPS)) as app:
        yield app


async def open_for(fake: FakeTelegram, app: App, office_id: str | None, user: int = USER) -> int:
    """A ticket from the applicant's chat, for the office the conversation chose."""
    before = len(fake.sent_to(user))
    fake.user_says(user, "halo")
    await fake.wait_for(lambda: len(fake.sent_to(user)) > before)
    message = Incoming(TELEGRAM, str(user), str(user), "mau tanya petugas")
    ticket, _ = await app.escalation.open(message, "h" * 64, lambda _: (), office_id=office_id)
    return ticket.id


def texts(fake: FakeTelegram, chat: int) -> list[str]:
    return [s.visible_text or "" for s in fake.sent_to(chat) if s.method == "sendMessage"]


def answers(fake: FakeTelegram, chat: int) -> list[str]:
    """The bot's answers to officers in a group (not its ticket cards and notes)."""
    return [t for t in texts(fake, chat) if not t.startswith(NOT_ANSWERS)]


async def said(fake: FakeTelegram, chat: int, user: int, text: str, *, name: str = "Rina") -> str:
    """What the bot answers next in the group to an officer's message."""
    before = len(answers(fake, chat))
    fake.group_says(chat, user, text, first_name=name)
    await fake.wait_for(lambda: len(answers(fake, chat)) > before)
    return answers(fake, chat)[before]


async def test_tickets_land_in_their_offices_group(fake: FakeTelegram, bot: App) -> None:
    kotabumi = await open_for(fake, bot, "kotabumi")
    (post,) = await sent(fake, KOTABUMI, 1)
    assert number(post.visible_text) == kotabumi
    assert "Kantor Imigrasi Kotabumi" in (post.visible_text or "")
    await bot.escalation.close(kotabumi)
    bandar = await open_for(fake, bot, "bandar-lampung")  # no group of its own
    await bot.escalation.close(bandar)
    plain = await open_for(fake, bot, None)
    first, second = await sent(fake, GROUP, 2)
    assert number(first.visible_text) == bandar
    assert "Kantor Imigrasi Bandar Lampung" in (first.visible_text or "")
    assert number(second.visible_text) == plain
    assert "Kantor Imigrasi" not in (second.visible_text or "")
    assert texts(fake, KALIANDA) == []


async def test_a_group_acts_only_on_its_own_tickets(fake: FakeTelegram, bot: App) -> None:
    theirs = await open_for(fake, bot, "kalianda")
    ours = await open_for(fake, bot, "kotabumi", user=USER + 1)
    (post,) = await sent(fake, KOTABUMI, 1)
    fake.group_presses(KOTABUMI, RINA, post.message_id, f"t:claim:{theirs}", check_button=False)
    await fake.wait_for(lambda: len(staff_answers(fake)) == 1)
    (refused,) = staff_answers(fake)
    where = f"tiket #{theirs} ditangani grup petugas Kantor Imigrasi Kalianda, bukan grup ini"
    assert refused.show_alert
    assert where in (refused.text or "")
    for command in (f"/jawab {theirs} Silakan datang.", f"/tutup {theirs}", f"/tiket {theirs}"):
        assert where in await said(fake, KOTABUMI, RINA, command)
    assert where in await said(fake, GROUP, RINA, f"/tutup {theirs}")
    listing = await said(fake, KOTABUMI, RINA, "/tiket")
    assert f"#{ours}" in listing
    assert f"#{theirs}" not in listing
    assert f"#{theirs}" not in await said(fake, GROUP, RINA, "/tiket")
    ticket = await bot.store.get_ticket(theirs)
    assert ticket is not None
    assert (ticket.status, ticket.owner_name) == ("open", None)
    assert len(texts(fake, USER)) == 1  # only the bot's answer to "halo"


async def test_pindah_hands_the_ticket_to_another_office(fake: FakeTelegram, bot: App) -> None:
    ticket_id = await open_for(fake, bot, "kotabumi")
    (post,) = await sent(fake, KOTABUMI, 1)
    fake.group_presses(KOTABUMI, SARI, post.message_id, f"t:claim:{ticket_id}", first_name="Sari")
    await fake.wait_for(lambda: len(staff_answers(fake)) == 1)

    answer = await said(fake, KOTABUMI, RINA, f"/pindah {ticket_id} kalianda")

    assert answer == (
        f"Tiket #{ticket_id} sudah dipindah ke Kantor Imigrasi Kalianda; "
        "pemohon sudah diberi tahu."
    )
    away = f"➡ Tiket #{ticket_id} dipindah ke Kantor Imigrasi Kalianda oleh Rina."
    assert away in texts(fake, KOTABUMI)
    card, note = await sent(fake, KALIANDA, 2)
    assert "Kantor Imigrasi Kalianda" in (card.visible_text or "")
    assert "dipindah dari Kantor Imigrasi Kotabumi oleh Rina" in (note.visible_text or "")
    assert "• Pemohon: " in (note.visible_text or "")
    told = (await sent(fake, USER, 2))[-1]
    assert told.visible_text == (
        f"Pertanyaan Anda (tiket #{ticket_id}) kami teruskan ke Kantor Imigrasi Kalianda. "
        "Petugas di sana akan membalas di chat ini."
    )
    ticket = await bot.store.get_ticket(ticket_id)
    assert ticket is not None
    assert (ticket.office_id, ticket.status, ticket.owner_name) == ("kalianda", "open", None)
    await claimed_in_kalianda(fake, bot, ticket_id, post, card)


async def claimed_in_kalianda(
    fake: FakeTelegram, bot: App, ticket_id: int, old: Sent, new: Sent
) -> None:
    """The old group may no longer act on the moved ticket; its new group may."""
    fake.group_presses(KOTABUMI, SARI, old.message_id, f"t:close:{ticket_id}", check_button=False)
    await fake.wait_for(lambda: len(staff_answers(fake)) == 2)
    assert "Kantor Imigrasi Kalianda" in (staff_answers(fake)[-1].text or "")
    fake.group_presses(KALIANDA, DEWI, new.message_id, f"t:claim:{ticket_id}", first_name="Dewi")
    await fake.wait_for(lambda: len(staff_answers(fake)) == 3)
    ticket = await bot.store.get_ticket(ticket_id)
    assert ticket is not None
    assert (ticket.status, ticket.owner_name) == ("claimed", "Dewi")


async def test_pindah_answers_every_mistake_politely(fake: FakeTelegram, bot: App) -> None:
    ours = await open_for(fake, bot, "kotabumi")
    theirs = await open_for(fake, bot, "kalianda", user=USER + 1)
    usage = (
        "Cara memindah tiket ke kantor lain: /pindah NOMOR KANTOR, misalnya /pindah 12 kotabumi."
    )
    assert await said(fake, KOTABUMI, RINA, "/pindah") == usage
    assert await said(fake, KOTABUMI, RINA, f"/pindah {ours}") == usage
    unknown = await said(fake, KOTABUMI, RINA, f"/pindah {ours} metro")
    assert unknown.startswith('⚠ Kantor "metro" tidak dikenal.')
    assert "kalianda" in unknown
    refused = await said(fake, KOTABUMI, RINA, f"/pindah {theirs} kotabumi")
    assert "ditangani grup petugas Kantor Imigrasi Kalianda" in refused
    same = await said(fake, KOTABUMI, RINA, f"/pindah {ours} Kotabumi")
    assert same == f"⚠ Tiket #{ours} sudah ditangani Kantor Imigrasi Kotabumi."
    missing = await said(fake, KOTABUMI, RINA, "/pindah 999999 kalianda")
    assert missing == "⚠ Tiket dengan nomor itu tidak ada."
    await bot.escalation.close(ours)
    closed = await said(fake, KOTABUMI, RINA, f"/pindah {ours} bandar lampung")
    assert "sudah ditutup" in closed
    ticket = await bot.store.get_ticket(theirs)
    assert ticket is not None
    assert ticket.office_id == "kalianda"


async def test_pindah_by_the_offices_short_name_to_the_default_group(
    fake: FakeTelegram, bot: App
) -> None:
    ticket_id = await open_for(fake, bot, "kotabumi")
    answer = await said(fake, KOTABUMI, RINA, f"/pindah #{ticket_id} Bandar Lampung")
    assert "Kantor Imigrasi Bandar Lampung" in answer
    card, _ = await sent(fake, GROUP, 2)  # Bandar Lampung has no group: the default one
    assert number(card.visible_text) == ticket_id
    assert "Kantor Imigrasi Bandar Lampung" in (card.visible_text or "")


# Two workers at once are a PostgreSQL deployment (SQLite is for one host).
@pytest.mark.postgres
@pytest.mark.parametrize("db_url", ["postgres"], indirect=True)
async def test_racing_pindah_has_one_winner(
    fake: FakeTelegram, db_url: str, tmp_path: Path
) -> None:
    fake.add_group(KALIANDA, "Petugas Kalianda")
    fake.add_group(KOTABUMI, "Petugas Kotabumi")
    settings = settings_for(fake, db_url, tmp_path, GROUPS)
    async with webhook_bot(settings) as (first, url_a), webhook_bot(settings) as (_, url_b):
        fake.deliver_to(f"{url_a}/telegram", SECRET)
        ticket_id = await open_for(fake, first, "kotabumi")
        fake.deliver_to(None)
        to_kalianda = fake.group_says(KOTABUMI, RINA, f"/pindah {ticket_id} kalianda")
        to_bandar = fake.group_says(KOTABUMI, SARI, f"/pindah {ticket_id} bandar-lampung")
        # Each command reaches a different worker at the same moment.
        statuses = await asyncio.gather(
            post_to(f"{url_a}/telegram", to_kalianda), post_to(f"{url_b}/telegram", to_bandar)
        )
        assert statuses == [200, 200]
        await fake.wait_for(lambda: len(answers(fake, KOTABUMI)) == 2)
        won = [a for a in answers(fake, KOTABUMI) if "sudah dipindah ke" in a]
        assert len(won) == 1
        assert len([a for a in answers(fake, KOTABUMI) if a.startswith("⚠")]) == 1
        await fake.wait_for(lambda: len(texts(fake, USER)) >= 2)
        await asyncio.sleep(0.3)  # a second, wrong notice would have arrived by now
        assert len([t for t in texts(fake, USER) if "kami teruskan" in t]) == 1


async def test_one_group_deployment_handles_every_office(
    fake: FakeTelegram, db_url: str, tmp_path: Path
) -> None:
    """Without office groups (today's deployment) the one group sees and acts on every
    ticket, whatever office the applicant has."""
    async with polling_bot(settings_for(fake, db_url, tmp_path)) as app:
        ticket_id = await open_for(fake, app, "kalianda")
        (post,) = await sent(fake, GROUP, 1)
        assert "Kantor Imigrasi Kalianda" in (post.visible_text or "")
        fake.group_presses(GROUP, RINA, post.message_id, f"t:claim:{ticket_id}", first_name="Rina")
        await fake.wait_for(lambda: len(staff_answers(fake)) == 1)
        assert not staff_answers(fake)[0].show_alert
        assert f"#{ticket_id}" in await said(fake, GROUP, RINA, "/tiket")
        moved = await said(fake, GROUP, RINA, f"/pindah {ticket_id} kotabumi")
        assert "sudah dipindah ke Kantor Imigrasi Kotabumi" in moved
        cards = [t for t in texts(fake, GROUP) if t.startswith("🎫")]
        assert [number(c) for c in cards] == [ticket_id, ticket_id]
        assert "Kantor Imigrasi Kotabumi" in cards[-1]
        assert f"➡ Tiket #{ticket_id} dipindah ke Kantor Imigrasi Kotabumi oleh Rina." in texts(
            fake, GROUP
        )
