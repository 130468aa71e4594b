"""Announcements per office (issue 21) on a real database (SQLite and PostgreSQL): an office's
announcement reaches only that office's subscribers, an all-offices one reaches everyone, a
subscriber who moved hears the new office, and an admin of one office can neither send nor
cancel another office's. Recording fakes only where a channel would be."""

from __future__ import annotations

import pytest
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.announcements import texts
from bot.announcements.offices import OfficeNames, choose, office_names
from bot.announcements.sender import Sender
from bot.announcements.service import AnnouncementDraft, Announcements
from bot.announcements.vocabulary import Announcement
from bot.runtime.app.parts import build_offices
from bot.runtime.config import Settings
from bot.storage.announcements import AnnouncementStore
from bot.storage.console import ConsoleStore
from bot.storage.tables_console import AdminAccountRow

from .helpers import T0, RecordingBroadcaster, RecordingReports

TEXT = "Kuota bulan depan dibuka Senin 09.00."
OFFICES = OfficeNames(
    {
        "bandar-lampung": "Kantor Imigrasi Bandar Lampung",
        "kalianda": "Kantor Imigrasi Kalianda",
        "kotabumi": "Kantor Imigrasi Kotabumi",
    }
)
KALIANDA, KOTABUMI, NOWHERE = ["101", "102"], ["201", "202", "203"], ["301"]


@pytest.fixture
def store(engine: AsyncEngine) -> AnnouncementStore:
    return AnnouncementStore(engine)


@pytest.fixture
def telegram() -> RecordingBroadcaster:
    return RecordingBroadcaster()


@pytest.fixture
async def desk(store: AnnouncementStore, telegram: RecordingBroadcaster) -> Announcements:
    """Subscribers of Kalianda, of Kotabumi and one with no office, all on Telegram."""
    sender = Sender(store, RecordingReports(), batch=4)
    sender.broadcasters.register("telegram", telegram)
    for office, chats in (("kalianda", KALIANDA), ("kotabumi", KOTABUMI), (None, NOWHERE)):
        for chat in chats:
            assert await store.set_subscribed("telegram", chat, subscribed=True, office_id=office)
    return Announcements(store, sender, offices=OFFICES)


async def sent_to(desk: Announcements, office: str | None, text: str = TEXT) -> int | None:
    """Draft for `office`, confirm as an admin of every office, wait for the sender."""
    draft = await desk.draft(text, channel="telegram", chat_id="9", user_id="9", office_id=office)
    recipients = await desk.confirm(draft.announcement.id)
    await desk.sender.settled()
    return recipients


async def test_an_office_announcement_reaches_only_that_office(
    desk: Announcements, telegram: RecordingBroadcaster
) -> None:
    draft = await desk.draft(
        TEXT, channel="telegram", chat_id="9", user_id="9", office_id="kotabumi"
    )
    assert draft.subscribers == {"telegram": 3}
    assert "Untuk pelanggan Kantor Imigrasi Kotabumi." in draft.preview()
    assert "Akan dikirim ke 3 pelanggan (telegram 3)." in draft.preview()
    assert draft.announcement.office_id == "kotabumi"
    assert await desk.confirm(draft.announcement.id) == 3
    await desk.sender.settled()
    assert sorted(telegram.sent) == KOTABUMI


async def test_an_all_offices_announcement_reaches_everyone_with_or_without_office(
    desk: Announcements, telegram: RecordingBroadcaster
) -> None:
    draft = await desk.draft(TEXT, channel="telegram", chat_id="9", user_id="9")
    assert draft.subscribers == {"telegram": 6}
    assert "Untuk pelanggan semua kantor." in draft.preview()
    assert await sent_to(desk, None) == 6
    assert sorted(telegram.sent) == sorted(KALIANDA + KOTABUMI + NOWHERE)


async def test_a_subscriber_with_no_office_hears_only_what_is_for_every_office(
    desk: Announcements, telegram: RecordingBroadcaster
) -> None:
    assert await sent_to(desk, "kalianda") == 2
    assert await sent_to(desk, "bandar-lampung") == 0
    assert NOWHERE[0] not in telegram.sent
    assert sorted(telegram.sent) == KALIANDA


async def test_a_subscriber_who_moved_hears_the_new_office(
    desk: Announcements, store: AnnouncementStore, telegram: RecordingBroadcaster
) -> None:
    await store.move("telegram", KALIANDA[0], "kotabumi")
    assert await store.subscriber_counts(office_id="kotabumi") == {"telegram": 4}
    assert await sent_to(desk, "kotabumi") == 4
    assert sorted(telegram.sent) == sorted([KALIANDA[0], *KOTABUMI])
    telegram.sent.clear()
    assert await sent_to(desk, "kalianda", "Lagi") == 1
    assert telegram.sent == [KALIANDA[1]]


async def test_an_office_admin_cannot_send_or_cancel_another_office_announcement(
    desk: Announcements, store: AnnouncementStore, telegram: RecordingBroadcaster
) -> None:
    kotabumi = await desk.draft(
        TEXT, channel="telegram", chat_id="9", user_id="9", office_id="kotabumi"
    )
    everyone = await desk.draft(TEXT, channel="telegram", chat_id="9", user_id="9")
    for number in (kotabumi.announcement.id, everyone.announcement.id):
        assert await desk.confirm(number, scope="kalianda") is None
        assert not await desk.cancel(number, scope="kalianda")
        found = await store.get_announcement(number)
        assert found is not None
        assert found.status == "draft"
    assert await desk.cancel(everyone.announcement.id)  # an admin of every office may
    assert await desk.confirm(kotabumi.announcement.id, scope="kotabumi") == 3
    await desk.sender.settled()
    assert sorted(telegram.sent) == KOTABUMI


async def test_a_console_account_office_is_read_from_its_row(
    desk: Announcements, engine: AsyncEngine
) -> None:
    accounts = ConsoleStore(engine)
    assert await accounts.add_account("kotabumi", "admin", "hash")
    assert await accounts.add_account("wilayah", "admin", "hash")
    async with engine.begin() as connection:
        await connection.execute(
            update(AdminAccountRow)
            .where(AdminAccountRow.name == "kotabumi")
            .values(office_id="kotabumi")
        )
    assert await desk.account_office("kotabumi") == "kotabumi"
    assert await desk.account_office("wilayah") is None
    assert await desk.account_office("tidak-ada") is None


@pytest.mark.parametrize(
    ("typed", "own", "office", "text"),
    [
        (TEXT, None, None, TEXT),
        (TEXT, "kotabumi", "kotabumi", TEXT),
        (f"kantor=kotabumi {TEXT}", None, "kotabumi", TEXT),
        (f"KANTOR=Kotabumi {TEXT}", None, "kotabumi", TEXT),
        (f"kantor=bandarlampung {TEXT}", None, "bandar-lampung", TEXT),
        (f"kantor=Bandar-Lampung\n{TEXT}", None, "bandar-lampung", TEXT),
        (f"kantor=semua {TEXT}", None, None, TEXT),
        (f"kantor=kotabumi {TEXT}", "kotabumi", "kotabumi", TEXT),
    ],
)
def test_choose_reads_the_office_an_admin_typed(
    typed: str, own: str | None, office: str | None, text: str
) -> None:
    chosen = choose(OFFICES, typed, own=own)
    assert (chosen.office_id, chosen.text, chosen.refusal) == (office, text, None)


def test_choose_refuses_another_office_and_an_unknown_one_politely() -> None:
    other = choose(OFFICES, f"kantor=kalianda {TEXT}", own="kotabumi")
    assert other.refusal == texts.OTHER_OFFICE.format(own="Kantor Imigrasi Kotabumi")
    everyone = choose(OFFICES, f"kantor=semua {TEXT}", own="kotabumi")
    assert everyone.refusal is not None
    unknown = choose(OFFICES, f"kantor=metro {TEXT}", own=None)
    assert unknown.refusal is not None
    assert "“metro” tidak dikenal" in unknown.refusal
    assert "bandar-lampung, kalianda, kotabumi" in unknown.refusal


def test_without_offices_the_command_and_preview_are_as_before() -> None:
    assert choose(OfficeNames(), f"kantor=kotabumi {TEXT}", own=None).text == (
        f"kantor=kotabumi {TEXT}"
    )
    audience = OfficeNames().audience(None)
    assert audience is None
    announcement = Announcement(1, TEXT, "telegram:9:9", "draft", T0)
    preview = AnnouncementDraft(announcement, {"telegram": 1}, audience).preview()
    assert preview.startswith("Pratinjau pengumuman #1\nAkan dikirim ke 1 pelanggan (telegram 1).")


def test_the_shipped_directory_names_the_three_lampung_offices() -> None:
    names = office_names(build_offices(Settings.from_env({})))
    assert names.names == OFFICES.names
    assert office_names(None).names == {}
