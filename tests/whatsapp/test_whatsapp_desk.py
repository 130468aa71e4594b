"""A WhatsApp applicant and the officers' Telegram group in one `serve` process: tickets relayed
both ways, the 24-hour rule with and without a template, undeliverable answers shown to the
officer, and /gagal_kirim for admins."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from fakes.telegram_api import FakeTelegram, Sent
from fakes.telegram_rules import MAX_TEXT_LENGTH
from fakes.whatsapp_api import FakeGraph, GraphSent
from fakes.whatsapp_payloads import User
from support.desk import OFFICER, group_messages, number, officer_replies
from support.meta_harness import served
from telegram_harness import ADMIN, GROUP, SECRET

from bot.channels.whatsapp.running import WhatsApp
from bot.core import replies
from bot.core.vocabulary import Incoming
from bot.runtime.app import App

from .harness import whatsapp_settings

APPLICANT = User("6281377778888", "ID.42424242424242424242", "Wati")
HOURS_25 = 25 * 3600


@pytest.fixture
async def graph() -> AsyncIterator[FakeGraph]:
    async with FakeGraph() as fake:
        yield fake


async def start(
    telegram: FakeTelegram, graph: FakeGraph, db_url: str, data: Path, template: str = ""
) -> AsyncIterator[App]:
    extra = {"WHATSAPP_TEMPLATE": template}
    settings = whatsapp_settings(graph, db_url, data, telegram=telegram, extra=extra)
    async with served(settings) as (app, url):
        telegram.deliver_to(f"{url}/telegram", SECRET)
        graph.deliver_to(f"{url}/whatsapp")
        yield app


@pytest.fixture
async def bot(
    telegram: FakeTelegram, graph: FakeGraph, db_url: str, tmp_path: Path
) -> AsyncIterator[App]:
    async for app in start(telegram, graph, db_url, tmp_path):
        yield app


@pytest.fixture
async def bot_with_template(
    telegram: FakeTelegram, graph: FakeGraph, db_url: str, tmp_path: Path
) -> AsyncIterator[App]:
    async for app in start(telegram, graph, db_url, tmp_path, template="jawaban_petugas"):
        yield app


def titles(sent: GraphSent) -> list[str]:
    return [title for _, title in sent.choices]


async def open_ticket(telegram: FakeTelegram, graph: FakeGraph) -> tuple[int, Sent]:
    """The applicant asks what the bot cannot answer and taps "Tanya petugas"."""
    await graph.user_says(APPLICANT, "bolehkah saya membawa hewan peliharaan ke ruang tunggu")
    fallback = graph.sent_to(APPLICANT.address)[-1]
    assert replies.AGENT_BUTTON in titles(fallback), graph.describe()
    await graph.user_taps(APPLICANT, fallback, replies.AGENT_BUTTON)
    opened = graph.sent_to(APPLICANT.address)[-1]
    (post,) = await group_messages(telegram, 1)
    assert number(opened.text) == number(post.visible_text)
    assert "whatsapp" in (post.visible_text or "")
    return number(post.visible_text), post


async def test_an_officer_answer_is_relayed_to_whatsapp(
    telegram: FakeTelegram, graph: FakeGraph, bot: App
) -> None:
    ticket_id, post = await open_ticket(telegram, graph)
    await graph.user_says(APPLICANT, "saya dari sragi")
    note = (await group_messages(telegram, 2))[-1]
    assert "sragi" in (note.visible_text or "")
    before = len(graph.sent_to(APPLICANT.address))
    officer_replies(telegram, post, "Boleh, asal di dalam keranjang.")
    (answer,) = (await graph.wait_sent(APPLICANT.address, before + 1))[before:]
    confirmation = (await group_messages(telegram, 3))[-1]
    assert "terkirim" in (confirmation.visible_text or "")
    assert "Boleh, asal di dalam keranjang." in answer.text
    assert titles(answer) == [replies.TICKET_DONE_BUTTON]
    await graph.user_taps(APPLICANT, answer, replies.TICKET_DONE_BUTTON)
    assert graph.sent_to(APPLICANT.address)[-1].text.startswith("Terima kasih. Tiket")
    ticket = await bot.store.get_ticket(ticket_id)
    assert ticket is not None
    assert ticket.status == "closed"


async def test_outside_the_window_without_a_template_the_officer_is_told(
    telegram: FakeTelegram, graph: FakeGraph, bot: App
) -> None:
    graph.clock_offset = -HOURS_25  # the applicant wrote 25 hours ago
    ticket_id, post = await open_ticket(telegram, graph)
    graph.clock_offset = 0
    before = len(graph.sent)
    officer_replies(telegram, post, "Silakan datang hari Senin.")
    note = (await group_messages(telegram, 2))[-1]
    assert f"tiket #{ticket_id} TIDAK terkirim" in (note.visible_text or "")
    assert "24 jam" in (note.visible_text or "")
    assert "WHATSAPP_TEMPLATE" in (note.visible_text or "")
    assert len(graph.sent) == before  # nothing was even attempted
    whatsapp = bot.channel(WhatsApp)
    assert whatsapp is not None
    since = dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)
    (failed,) = await whatsapp.store.failed_since(since)
    assert failed.ticket_id == ticket_id
    # The answer is kept on the ticket, and no "answer sent" confirmation misleads the officer.
    ticket = await bot.store.get_ticket(ticket_id)
    assert ticket is not None
    assert ticket.status == "answered"
    texts = [s.visible_text or "" for s in telegram.sent_to(GROUP)]
    assert not any("Jawaban terkirim" in text for text in texts)


async def test_outside_the_window_the_template_carries_the_answer(
    telegram: FakeTelegram, graph: FakeGraph, bot_with_template: App
) -> None:
    graph.clock_offset = -HOURS_25
    ticket_id, post = await open_ticket(telegram, graph)
    graph.clock_offset = 0
    before = len(graph.sent_to(APPLICANT.address))
    officer_replies(telegram, post, "Silakan datang hari Senin.\nBawa KTP asli.")
    (template,) = (await graph.wait_sent(APPLICANT.address, before + 1))[before:]
    assert template.kind == "template"
    assert template.payload["template"]["name"] == "jawaban_petugas"
    assert "Silakan datang hari Senin. Bawa KTP asli." in template.text
    texts = [s.visible_text or "" for s in await group_messages(telegram, 3)]
    assert any(f"Tiket #{ticket_id}" in t and "template" in t for t in texts)
    assert any("Jawaban terkirim" in t for t in texts)


async def test_when_meta_says_the_window_closed_the_template_is_used(
    telegram: FakeTelegram, graph: FakeGraph, bot_with_template: App
) -> None:
    ticket_id, post = await open_ticket(telegram, graph)
    before = len(graph.sent_to(APPLICANT.address))
    graph.clock_offset = HOURS_25  # Meta's clock: the window closed, ours says it is open
    officer_replies(telegram, post, "Jawaban setelah jendela tertutup.")
    (template,) = (await graph.wait_sent(APPLICANT.address, before + 1))[before:]
    assert template.kind == "template"
    assert (APPLICANT.address, 131047) in graph.errors
    texts = [s.visible_text or "" for s in await group_messages(telegram, 3)]
    assert any(f"Tiket #{ticket_id}" in t and "template" in t for t in texts)


async def test_a_permanent_error_is_shown_to_the_officer(
    telegram: FakeTelegram, graph: FakeGraph, bot: App
) -> None:
    ticket_id, post = await open_ticket(telegram, graph)
    graph.refuse(APPLICANT.address, code=131026, message="Message undeliverable")
    officer_replies(telegram, post, "Jawaban yang tidak akan sampai.")
    note = (await group_messages(telegram, 2))[-1]
    assert f"tiket #{ticket_id} TIDAK terkirim" in (note.visible_text or "")
    assert "131026 Message undeliverable" in (note.visible_text or "")


async def test_admins_see_failed_deliveries(
    telegram: FakeTelegram, graph: FakeGraph, bot: App
) -> None:
    telegram.user_says(ADMIN, "/gagal_kirim")
    (empty,) = await telegram.wait_sent(ADMIN, 1)
    assert "tidak ada pesan yang gagal" in (empty.visible_text or "")
    await graph.user_says(APPLICANT, "berapa biaya paspor")
    first = graph.sent_to(APPLICANT.address)[0]
    error = {"code": 131026, "title": "Message undeliverable"}
    await graph.post_status(first.wamid, "failed", errors=[error])
    telegram.user_says(ADMIN, "/gagal_kirim")
    listing = (await telegram.wait_sent(ADMIN, 2))[-1]
    assert "1 pesan gagal terkirim" in (listing.visible_text or "")
    assert "131026 Message undeliverable" in (listing.visible_text or "")


async def test_gagal_kirim_is_for_admins_only(
    telegram: FakeTelegram, bot: App, caplog: pytest.LogCaptureFixture
) -> None:
    telegram.user_says(515151, "/gagal_kirim")
    (refused,) = await telegram.wait_sent(515151, 1)
    assert refused.visible_text == "Maaf, perintah ini khusus admin."
    # The refusal is logged with the salted hash, as for every admin command.
    hashed = bot.conversation.user_hash(Incoming("telegram", "515151", "515151", ""))[:16]
    refusals = [r.getMessage() for r in caplog.records if "refused" in r.getMessage()]
    assert refusals == [f"admin command /gagal_kirim refused for user {hashed}"]


async def test_a_20000_character_message_reaches_the_group_clipped_and_whole_in_tiket_n(
    telegram: FakeTelegram, graph: FakeGraph, bot: App
) -> None:
    huge = ("kenapa berkas saya ditolak padahal sudah lengkap " * 400)[:19_990] + " UJUNG-PESAN"
    await graph.user_says(APPLICANT, huge)
    await graph.user_says(APPLICANT, "mau tanya petugas")
    (post,) = await group_messages(telegram, 1)
    ticket_id = number(post.visible_text)
    assert len(post.visible_text or "") <= MAX_TEXT_LENGTH
    assert f"…(lanjutan di /tiket {ticket_id})" in (post.visible_text or "")
    opened = f"Pertanyaan Anda sudah kami teruskan ke petugas dengan nomor tiket #{ticket_id}"
    # Replies leave through the outbox: wait for them rather than assume they are out.
    await graph.wait_for(
        lambda: any(s.text.startswith(opened) for s in graph.sent_to(APPLICANT.address)),
        timeout=15,
    )
    assert graph.sent_to(APPLICANT.address)[-1].text.startswith(opened)
    telegram.group_says(GROUP, OFFICER, f"/tiket {ticket_id}")
    await telegram.wait_for(
        lambda: "UJUNG-PESAN" in "".join(s.visible_text or "" for s in telegram.sent_to(GROUP))
    )
    parts = [s.visible_text or "" for s in telegram.sent_to(GROUP)[1:]]
    assert len(parts) >= 5
    assert all(len(part) <= MAX_TEXT_LENGTH for part in parts)
    assert " ".join(parts).count("ditolak padahal") == huge.count("ditolak padahal")
