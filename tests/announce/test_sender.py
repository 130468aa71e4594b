"""Drafting, confirming and sending announcements on a real database (SQLite and PostgreSQL),
with recording fakes only where a channel would be."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections import Counter
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.announcements.sender import LEASE, Sender, applicant_text
from bot.announcements.service import Announcements
from bot.storage import create_engine
from bot.storage.announcements import AnnouncementStore
from bot.storage.tables_ops import AnnouncementDeliveryRow

from .helpers import FakeClock, RecordingBroadcaster, RecordingReports

ADMIN_CHAT = "9001"
TEXT = "Kuota bulan depan dibuka Senin 09.00."


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def store(engine: AsyncEngine, clock: FakeClock) -> AnnouncementStore:
    return AnnouncementStore(engine, clock=clock)


@pytest.fixture
def reports() -> RecordingReports:
    return RecordingReports()


@pytest.fixture
def telegram() -> RecordingBroadcaster:
    return RecordingBroadcaster()


@pytest.fixture
def sender(
    store: AnnouncementStore, reports: RecordingReports, telegram: RecordingBroadcaster
) -> Sender:
    sender = Sender(store, reports, batch=4)
    sender.broadcasters.register("telegram", telegram)
    return sender


@pytest.fixture
def desk(store: AnnouncementStore, sender: Sender) -> Announcements:
    return Announcements(store, sender)


async def subscribe(store: AnnouncementStore, *chats: str, channel: str = "telegram") -> None:
    for chat in chats:
        assert await store.set_subscribed(channel, chat, subscribed=True)


async def confirmed(store: AnnouncementStore, desk: Announcements) -> int:
    """A confirmed announcement; confirmed in the store, so no background run starts and
    the test drives the sender itself."""
    draft = await desk.draft(TEXT, channel="telegram", chat_id=ADMIN_CHAT, user_id=ADMIN_CHAT)
    number = draft.announcement.id
    assert await store.confirm_announcement(number, ("telegram", "whatsapp")) is not None
    return number


async def statuses(engine: AsyncEngine, number: int) -> Counter[str]:
    async with engine.connect() as connection:
        rows = await connection.execute(
            select(AnnouncementDeliveryRow.status).where(
                AnnouncementDeliveryRow.announcement_id == number
            )
        )
        return Counter(status for (status,) in rows)


CHATS = [str(1000 + n) for n in range(10)]


async def test_every_subscriber_gets_it_once_and_the_admin_a_report(
    store: AnnouncementStore,
    desk: Announcements,
    sender: Sender,
    telegram: RecordingBroadcaster,
    reports: RecordingReports,
    engine: AsyncEngine,
) -> None:
    await subscribe(store, *CHATS)
    await subscribe(store, "5555")
    assert await store.set_subscribed("telegram", "5555", subscribed=False)
    draft = await desk.draft(TEXT, channel="telegram", chat_id=ADMIN_CHAT, user_id="42")
    assert draft.subscribers == {"telegram": 10}
    assert "10 pelanggan" in draft.preview()
    assert applicant_text(TEXT) in draft.preview()
    assert await desk.confirm(draft.announcement.id) == 10
    await sender.settled()  # the confirmation kicked a background run
    assert sorted(telegram.sent) == CHATS
    assert set(telegram.texts) == {applicant_text(TEXT)}
    assert await statuses(engine, draft.announcement.id) == {"sent": 10}
    announcement = await store.get_announcement(draft.announcement.id)
    assert announcement is not None
    assert announcement.status == "done"
    ((channel, chat, report),) = reports.delivered
    assert (channel, chat) == ("telegram", ADMIN_CHAT)
    assert "Terkirim: 10" in report
    assert "Gagal: 0" in report


async def test_confirm_once_and_cancel_only_drafts(
    store: AnnouncementStore, desk: Announcements, telegram: RecordingBroadcaster
) -> None:
    await subscribe(store, *CHATS[:3])
    first = await desk.draft(TEXT, channel="telegram", chat_id=ADMIN_CHAT, user_id="42")
    presses = await asyncio.gather(*(desk.confirm(first.announcement.id) for _ in range(5)))
    assert sorted(presses, key=str) == [3, None, None, None, None]
    assert not await desk.cancel(first.announcement.id)
    second = await desk.draft("lain", channel="telegram", chat_id=ADMIN_CHAT, user_id="42")
    assert await desk.cancel(second.announcement.id)
    assert await desk.confirm(second.announcement.id) is None
    await desk.sender.settled()
    assert sorted(telegram.sent) == CHATS[:3]


async def test_a_channel_without_a_broadcaster_here_stays_pending(
    store: AnnouncementStore,
    desk: Announcements,
    sender: Sender,
    reports: RecordingReports,
    engine: AsyncEngine,
) -> None:
    await subscribe(store, *CHATS[:3])
    await subscribe(store, "62811", "62812", channel="whatsapp")
    number = await confirmed(store, desk)
    await sender.run()
    assert await statuses(engine, number) == {"sent": 3, "pending": 2}
    assert reports.delivered == []
    # Another process that runs WhatsApp picks its rows up and finishes the announcement.
    whatsapp = RecordingBroadcaster()
    other = Sender(store, reports)
    other.broadcasters.register("whatsapp", whatsapp)
    assert await other.run() == 2
    assert sorted(whatsapp.sent) == ["62811", "62812"]
    assert await statuses(engine, number) == {"sent": 5}
    assert len(reports.delivered) == 1


async def test_blocked_subscriber_fails_and_is_unsubscribed(
    store: AnnouncementStore,
    desk: Announcements,
    sender: Sender,
    telegram: RecordingBroadcaster,
    reports: RecordingReports,
) -> None:
    await subscribe(store, *CHATS[:4])
    telegram.blocked.add(CHATS[1])
    number = await confirmed(store, desk)
    await sender.run()
    assert sorted(telegram.sent) == [CHATS[0], CHATS[2], CHATS[3]]
    assert await store.subscriber_counts() == {"telegram": 3}
    (report,) = [text for _, _, text in reports.delivered]
    assert f"#{number}" in report
    assert "Terkirim: 3" in report
    assert "Gagal: 1" in report
    assert "Berhenti langganan: 1" in report


async def test_opting_out_after_the_confirmation_skips_the_subscriber(
    store: AnnouncementStore,
    desk: Announcements,
    sender: Sender,
    telegram: RecordingBroadcaster,
    reports: RecordingReports,
) -> None:
    await subscribe(store, *CHATS[:3])
    await confirmed(store, desk)
    assert await store.set_subscribed("telegram", CHATS[0], subscribed=False)
    await sender.run()
    assert sorted(telegram.sent) == CHATS[1:3]
    (report,) = [text for _, _, text in reports.delivered]
    assert "Dilewati: 1" in report
    assert "Berhenti langganan: 1" in report


async def test_unknown_outcome_is_retried_once_after_the_lease(
    store: AnnouncementStore,
    desk: Announcements,
    sender: Sender,
    telegram: RecordingBroadcaster,
    clock: FakeClock,
    engine: AsyncEngine,
) -> None:
    await subscribe(store, *CHATS[:3])
    telegram.unknown = {CHATS[0], CHATS[1]}
    number = await confirmed(store, desk)
    await sender.run()
    assert await statuses(engine, number) == {"sent": 1, "pending": 2}
    await sender.run()  # still held: nothing is tried before the lease expires
    assert telegram.sent == [CHATS[2]]
    clock.advance(LEASE + dt.timedelta(seconds=1))
    telegram.unknown = {CHATS[0]}  # the second attempt works for one of them
    await sender.run()
    assert sorted(telegram.sent) == [CHATS[1], CHATS[2]]
    assert await statuses(engine, number) == {"sent": 2, "failed": 1}


async def test_a_row_claimed_by_a_dead_worker_is_sent_after_its_lease(
    store: AnnouncementStore,
    desk: Announcements,
    sender: Sender,
    telegram: RecordingBroadcaster,
    clock: FakeClock,
    engine: AsyncEngine,
) -> None:
    await subscribe(store, *CHATS)
    number = await confirmed(store, desk)
    # A worker claims three rows and dies before sending or recording anything.
    dead = await store.claim_deliveries(number, "telegram", limit=3, lease=LEASE)
    await sender.run()
    assert sorted(telegram.sent) == sorted(set(CHATS) - {r.chat_id for r in dead})
    clock.advance(LEASE + dt.timedelta(seconds=1))
    await sender.run()
    assert sorted(telegram.sent) == CHATS
    assert await statuses(engine, number) == {"sent": 10}


async def test_a_stopping_channel_gives_its_rows_back_at_once(
    store: AnnouncementStore,
    desk: Announcements,
    sender: Sender,
    telegram: RecordingBroadcaster,
    engine: AsyncEngine,
) -> None:
    await subscribe(store, *CHATS[:5])
    number = await confirmed(store, desk)
    telegram.closed = True
    assert await sender.run() == 4  # one batch was tried, then the channel was left alone
    async with engine.connect() as connection:
        claimed = await connection.scalar(
            select(AnnouncementDeliveryRow.attempted_at)
            .where(AnnouncementDeliveryRow.attempted_at.is_not(None))
            .limit(1)
        )
    assert claimed is None  # released, not leased: no waiting after a restart
    telegram.closed = False
    await sender.run()  # same clock: nothing had to expire
    assert sorted(telegram.sent) == CHATS[:5]
    assert await statuses(engine, number) == {"sent": 5}


async def test_stop_lets_messages_in_flight_finish_and_a_new_sender_resumes(
    store: AnnouncementStore, desk: Announcements, reports: RecordingReports, engine: AsyncEngine
) -> None:
    await subscribe(store, *CHATS)
    sent: list[str] = []
    slow = RecordingBroadcaster(sent, delay=0.05)
    first = Sender(store, reports, batch=2)
    first.broadcasters.register("telegram", slow)
    number = await Announcements(store, first).confirm(
        (
            await desk.draft(TEXT, channel="telegram", chat_id=ADMIN_CHAT, user_id="1")
        ).announcement.id
    )
    assert number == 10
    while len(sent) < 3:  # noqa: ASYNC110 - the fake has no event to wait on
        await asyncio.sleep(0.01)
    await first.stop()
    assert 3 <= len(sent) < 10
    second = Sender(store, reports)
    second.broadcasters.register("telegram", RecordingBroadcaster(sent))
    await second.run()
    assert sorted(sent) == CHATS  # everyone once: nothing sent twice, nobody skipped
    assert len(reports.delivered) == 1


@pytest.fixture
async def other_store(db_url: str, clock: FakeClock) -> AsyncIterator[AnnouncementStore]:
    """A store on its own engine and pool, as another worker process would have."""
    engine = create_engine(db_url)
    yield AnnouncementStore(engine, clock=clock)
    await engine.dispose()


async def test_two_senders_on_two_engines_never_send_a_row_twice(
    store: AnnouncementStore,
    other_store: AnnouncementStore,
    desk: Announcements,
    reports: RecordingReports,
) -> None:
    chats = [str(2000 + n) for n in range(60)]
    await subscribe(store, *chats)
    number = await confirmed(store, desk)
    (announcement,) = await store.sending_announcements()
    assert announcement.id == number
    sent: list[str] = []
    senders = []
    for each in (store, other_store):
        sender = Sender(each, reports, batch=3)
        sender.broadcasters.register("telegram", RecordingBroadcaster(sent, delay=0.001))
        senders.append(sender)
    # Both drain the same announcement at once (no channel lease): only the row claims
    # keep them apart.
    handled = await asyncio.gather(*(s.drain(announcement, "telegram") for s in senders))
    assert sorted(sent) == chats
    assert sum(handled) == len(chats)


async def test_only_one_worker_sends_on_a_channel_at_a_time(
    store: AnnouncementStore,
    other_store: AnnouncementStore,
    desk: Announcements,
    reports: RecordingReports,
) -> None:
    chats = [str(3000 + n) for n in range(20)]
    await subscribe(store, *chats)
    await confirmed(store, desk)
    sent: list[str] = []
    senders = []
    for each in (store, other_store):
        sender = Sender(each, reports)
        sender.broadcasters.register("telegram", RecordingBroadcaster(sent, delay=0.005))
        senders.append(sender)
    handled = await asyncio.gather(*(s.run() for s in senders))
    assert sorted(handled) == [0, 20]
    assert sorted(sent) == chats
    assert len(reports.delivered) == 1


async def test_claims_from_two_engines_are_disjoint(
    store: AnnouncementStore, other_store: AnnouncementStore, desk: Announcements
) -> None:
    chats = [str(4000 + n) for n in range(40)]
    await subscribe(store, *chats)
    number = await confirmed(store, desk)
    claims = await asyncio.gather(
        *(
            each.claim_deliveries(number, "telegram", limit=3, lease=LEASE)
            for _ in range(10)
            for each in (store, other_store)
        )
    )
    claimed = [r.chat_id for batch in claims for r in batch]
    assert len(claimed) == len(set(claimed))
    assert len(claimed) >= 30
