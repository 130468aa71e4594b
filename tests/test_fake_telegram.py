"""The fake Bot API, driven by the real python-telegram-bot over loopback HTTP."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator

import httpx
import pytest
from fakes.loopback import LoopbackServer
from fakes.telegram_api import FakeTelegram, buttons, keyboard
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    ReplyKeyboardMarkup,
    Update,
)
from telegram.error import BadRequest, Conflict, Forbidden, InvalidToken, RetryAfter
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

USER = 4242
GROUP = -1001234567890


@pytest.fixture(autouse=True)
def _retry_after_as_timedelta(monkeypatch: pytest.MonkeyPatch) -> None:
    # PTB 22 warns (an error here) whenever RetryAfter.retry_after is an int; opt in early.
    monkeypatch.setenv("PTB_TIMEDELTA", "true")


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram() as server:
        yield server


@pytest.fixture
async def bot(fake: FakeTelegram) -> AsyncIterator[Bot]:
    async with Bot(fake.token, base_url=fake.base_url) as client:
        yield client


def one_button(data: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton("Pilih", callback_data=data)]])


async def test_get_me_and_wrong_token(fake: FakeTelegram, bot: Bot) -> None:
    assert bot.username == "tanya_paspor_test_bot"
    assert (await bot.get_me()).is_bot
    with pytest.raises(InvalidToken):
        async with Bot("999:WRONG", base_url=fake.base_url):
            pass
    async with httpx.AsyncClient() as client:
        response = await client.get(f"{fake.base_url}999:WRONG/getMe")
    assert response.status_code == 401
    assert response.json() == {"ok": False, "error_code": 401, "description": "Unauthorized"}


async def test_inline_keyboard_round_trip(fake: FakeTelegram, bot: Bot) -> None:
    fake.user_says(USER, "halo")
    markup = InlineKeyboardMarkup(
        [
            [InlineKeyboardButton("Syarat", callback_data="v1:faq:1")],
            [InlineKeyboardButton("Situs", url="https://www.imigrasi.go.id")],
        ]
    )
    sent = await bot.send_message(USER, "Pilih topik:", reply_markup=markup)
    assert (sent.message_id, sent.chat.type, sent.reply_markup) == (2, "private", markup)
    assert sent.from_user is not None
    assert sent.from_user.username == bot.username
    [record] = fake.sent_to(USER)
    assert buttons(record) == [("Syarat", "v1:faq:1"), ("Situs", None)]

    press = Update.de_json(fake.user_presses(USER, 2, "v1:faq:1"), bot)
    assert press.callback_query is not None
    assert press.callback_query.data == "v1:faq:1"
    assert press.callback_query.message is not None
    assert press.callback_query.message.message_id == 2
    assert fake.unanswered_callbacks == [press.callback_query.id]
    await bot.answer_callback_query(press.callback_query.id, text="Oke")
    assert [a.text for a in fake.callback_answers] == ["Oke"]
    assert fake.unanswered_callbacks == []

    edited = await bot.edit_message_text("Syarat: KTP asli.", chat_id=USER, message_id=2)
    assert isinstance(edited, Message)
    assert edited.reply_markup is None  # omitting reply_markup removes the keyboard
    assert fake.message(USER, 2)["text"] == "Syarat: KTP asli."
    with pytest.raises(BadRequest, match=r"(?i)not modified"):
        await bot.edit_message_text("Syarat: KTP asli.", chat_id=USER, message_id=2)
    with pytest.raises(AssertionError, match=r"(?i)no button"):
        fake.user_presses(USER, 2, "v1:faq:1")

    reply = await bot.send_message(USER, "Balasan", reply_to_message_id=1)
    assert reply.reply_to_message is not None
    assert reply.reply_to_message.text == "halo"
    await bot.send_message(USER, "Lanjut?", reply_markup=ReplyKeyboardMarkup([["Ya", "Tidak"]]))
    records = fake.sent_to(USER)
    assert [r.method for r in records] == [
        "sendMessage",
        "editMessageText",
        "sendMessage",
        "sendMessage",
    ]
    assert records[2].reply_to_message_id == 1
    assert keyboard(records[3]) == ["Ya", "Tidak"]
    assert [r.message_id for r in records] == [2, 2, 3, 4]


async def test_limits_are_enforced(fake: FakeTelegram, bot: Bot) -> None:
    fake.user_says(USER, "halo")
    await bot.send_message(USER, "x", reply_markup=one_button("é" * 32))  # 64 bytes: fine
    for data in ("x" * 65, "é" * 33):
        with pytest.raises(BadRequest, match=r"(?i)button_data_invalid"):
            await bot.send_message(USER, "x", reply_markup=one_button(data))
    await bot.send_message(USER, "x" * 4096)
    await bot.send_message(USER, f"<b>{'x' * 4096}</b>", parse_mode="HTML")  # tags don't count
    for text, mode in (("x" * 4097, None), (f"<b>{'x' * 4097}</b>", "HTML")):
        with pytest.raises(BadRequest, match=r"(?i)too long"):
            await bot.send_message(USER, text, parse_mode=mode)
    for html in ("baris<br>baris", "a < b", "<b>tebal", "<b><i>x</b></i>"):
        with pytest.raises(BadRequest, match=r"(?i)parse entities"):
            await bot.send_message(USER, html, parse_mode="HTML")
    with pytest.raises(BadRequest, match=r"(?i)text is empty"):
        await bot.send_message(USER, "   ")
    with pytest.raises(BadRequest, match=r"(?i)chat not found"):
        await bot.send_message(999, "siapa?")
    fake.user_presses(USER, 2, "é" * 32)
    query_id = fake.unanswered_callbacks[0]
    with pytest.raises(BadRequest, match=r"(?i)message_too_long"):
        await bot.answer_callback_query(query_id, text="x" * 201)
    fake.block(USER)
    with pytest.raises(Forbidden, match=r"(?i)blocked"):
        await bot.send_message(USER, "masih di sana?")
    assert [code for _, code, _ in fake.errors] == [400] * 11 + [403]


async def test_html_text_and_entities(fake: FakeTelegram, bot: Bot) -> None:
    fake.user_says(USER, "halo")
    html = (
        '<b>Halo</b> &lt;Budi&gt;, lihat <a href="https://www.imigrasi.go.id">situs</a> 😀<i>!</i>'
    )
    message = await bot.send_message(USER, html, parse_mode="HTML")
    assert message.text == "Halo <Budi>, lihat situs 😀!"
    assert message.text_html == html
    [record] = fake.sent
    assert (record.text, record.visible_text, record.parse_mode) == (html, message.text, "HTML")


def build_app(fake: FakeTelegram) -> Application:  # type: ignore[type-arg]
    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None
        await update.effective_message.reply_text("Halo! Pilih:", reply_markup=one_button("v1:a"))

    async def pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        assert query is not None
        await query.answer()
        await query.edit_message_text(f"Anda memilih {query.data}")

    async def photo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None
        await update.effective_message.reply_text("Foto diterima, tetapi kami hanya membaca teks.")

    app = ApplicationBuilder().token(fake.token).base_url(fake.base_url).build()
    app.add_handler(CommandHandler("start", start))
    app.add_handler(CallbackQueryHandler(pressed))
    app.add_handler(MessageHandler(filters.PHOTO, photo))
    return app


async def test_long_polling_application_replies(fake: FakeTelegram) -> None:
    app = build_app(fake)
    async with app:
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0, timeout=1)
        try:
            fake.user_says(USER, "/start")
            [menu] = await fake.wait_sent(USER, 1)
            assert buttons(menu) == [("Pilih", "v1:a")]
            fake.user_presses(USER, menu.message_id, "v1:a")
            records = await fake.wait_sent(USER, 2)
            assert (records[1].method, records[1].text) == ("editMessageText", "Anda memilih v1:a")
            await fake.wait_for(lambda: len(fake.callback_answers) == 1)
            fake.user_sends(USER, "photo")
            records = await fake.wait_sent(USER, 3)
            assert records[2].text is not None
            assert records[2].text.startswith("Foto diterima")
        finally:
            await app.updater.stop()
            await app.stop()
        # The updater's last getUpdates confirmed every update it fetched.
        assert (await app.bot.get_webhook_info()).pending_update_count == 0
    assert fake.unanswered_callbacks == []


async def test_long_poll_offset_limit_and_conflict(fake: FakeTelegram, bot: Bot) -> None:
    first = fake.user_says(USER, "satu")["update_id"]
    assert len(await bot.get_updates(timeout=0)) == 1
    assert len(await bot.get_updates(timeout=0)) == 1  # not confirmed yet
    assert await bot.get_updates(offset=first + 1, timeout=0) == ()

    waiting = asyncio.create_task(bot.get_updates(offset=first + 1, timeout=5))
    await asyncio.sleep(0.1)
    started = time.monotonic()
    fake.user_says(USER, "dua")
    [update] = await waiting
    assert time.monotonic() - started < 1.0  # returned when the update arrived
    assert update.message is not None
    assert update.message.text == "dua"

    for text in ("a", "b", "c"):
        fake.user_says(USER, text)
    assert len(await bot.get_updates(offset=update.update_id + 1, limit=2, timeout=0)) == 2

    [last] = await bot.get_updates(offset=-1, timeout=0)  # -1: only the newest is kept
    older = asyncio.create_task(bot.get_updates(offset=last.update_id + 1, timeout=5))
    await asyncio.sleep(0.1)
    async with Bot(fake.token, base_url=fake.base_url) as second_instance:
        assert await second_instance.get_updates(offset=last.update_id + 1, timeout=0) == ()
    with pytest.raises(Conflict, match=r"(?i)terminated by other getUpdates"):
        await older


async def test_rate_limiter_waits_out_429s() -> None:
    async with FakeTelegram(max_per_second=5) as fake:
        fake.user_says(USER, "halo")
        builder = ApplicationBuilder().token(fake.token).base_url(fake.base_url)
        app = builder.rate_limiter(AIORateLimiter(max_retries=3)).build()
        async with app:
            started = time.monotonic()
            await asyncio.gather(*(app.bot.send_message(USER, f"pesan {i}") for i in range(12)))
            elapsed = time.monotonic() - started
    assert len(fake.sent_to(USER)) == 12
    assert fake.rate_limited >= 1
    assert elapsed >= 1.4


async def test_rate_limit_without_limiter_raises() -> None:
    async with FakeTelegram(max_per_second=5) as fake:
        fake.user_says(USER, "halo")
        async with Bot(fake.token, base_url=fake.base_url) as bot:
            for i in range(5):
                await bot.send_message(USER, f"pesan {i}")
            with pytest.raises(RetryAfter):
                await bot.send_message(USER, "satu lagi")
            async with httpx.AsyncClient() as client:
                url = f"{fake.base_url}{fake.token}/sendChatAction"
                response = await client.post(url, data={"chat_id": USER, "action": "typing"})
    assert response.status_code == 429
    assert response.json()["parameters"] == {"retry_after": 1}
    assert fake.rate_limited == 2


async def test_webhook_delivery(fake: FakeTelegram, bot: Bot) -> None:
    received: list[dict[str, object]] = []

    async def telegram_webhook(request: Request) -> Response:
        if request.headers.get("X-Telegram-Bot-Api-Secret-Token") != "s3cret":
            return Response(status_code=403)
        received.append(await request.json())
        return Response()

    hook_app = Starlette(routes=[Route("/telegram", telegram_webhook, methods=["POST"])])
    async with LoopbackServer(hook_app) as hook:
        fake.user_says(USER, "sebelum")  # pending: delivered once the webhook is set
        fake.deliver_to(f"{hook.url}/telegram", "s3cret")
        update = fake.user_says(USER, "halo")
        await fake.wait_for(lambda: len(fake.deliveries) == 2)
        assert [status for _, status in fake.deliveries] == [200, 200]
        parsed = Update.de_json(received[1], bot)
        assert parsed.message is not None
        assert parsed.message.text == "halo"
        assert await fake.post_update(update) == 200  # a duplicate delivery
        assert await fake.post_update(update, secret="salah") == 403
        assert await fake.post_update(update, secret=None) == 403
        assert len(received) == 3
        with pytest.raises(Conflict, match=r"(?i)webhook is active"):
            await bot.get_updates(timeout=0)
    with pytest.raises(BadRequest, match=r"(?i)https"):
        await bot.set_webhook("http://127.0.0.1/telegram")
    assert await bot.set_webhook("https://bot.example/telegram", secret_token="s3cret")
    assert (await bot.get_webhook_info()).url == "https://bot.example/telegram"
    assert await bot.delete_webhook()
    fake.user_says(USER, "polling lagi")
    [polled] = await bot.get_updates(timeout=0)
    assert polled.message is not None
    assert polled.message.text == "polling lagi"


async def test_served_from_its_own_thread() -> None:
    with FakeTelegram() as fake:
        async with Bot(fake.token, base_url=fake.base_url) as bot:
            first = fake.user_says(USER, "halo")["update_id"]
            waiting = asyncio.create_task(bot.get_updates(offset=first + 1, timeout=5))
            await asyncio.sleep(0.1)
            started = time.monotonic()
            fake.user_says(USER, "dari thread lain")
            [update] = await waiting
            assert time.monotonic() - started < 1.0
            sent = asyncio.create_task(fake.wait_sent(USER, 1))
            await bot.send_message(USER, "balas")
            [record] = await sent
            assert (record.text, update.update_id) == ("balas", first + 1)


async def test_raw_http_bodies(fake: FakeTelegram) -> None:
    fake.user_says(USER, "halo")
    url = f"{fake.base_url}{fake.token}"
    markup = {"inline_keyboard": [[{"text": "A", "callback_data": "a"}]]}
    async with httpx.AsyncClient() as client:
        assert (await client.get(f"{url}/getMe")).json()["result"]["is_bot"]
        as_json = await client.post(
            f"{url}/sendMessage", json={"chat_id": USER, "text": "json", "reply_markup": markup}
        )
        form = {"chat_id": str(USER), "text": "[FAQ] {x}", "reply_markup": json.dumps(markup)}
        as_form = await client.post(f"{url}/sendmessage", data=form)  # names ignore case
        multipart = await client.post(
            f"{url}/sendMessage",
            data={"chat_id": str(USER), "text": "multi"},
            files={"document": ("ktp.pdf", b"%PDF-1.4", "application/pdf")},
        )
        unknown = await client.post(f"{url}/sendHologram", data={"chat_id": str(USER)})
        elsewhere = await client.get(f"{fake.base_url[:-4]}/nowhere")
    assert as_json.json()["result"]["reply_markup"] == markup
    assert as_form.json()["result"]["text"] == "[FAQ] {x}"
    assert multipart.json()["result"]["text"] == "multi"
    assert unknown.status_code == 404
    assert unknown.json() == {
        "ok": False,
        "error_code": 404,
        "description": "Not Found: method not found",
    }
    assert elsewhere.status_code == 404
    assert fake.calls == ["getMe", "sendMessage", "sendMessage", "sendMessage", "sendHologram"]


async def test_groups_media_actions_and_commands(fake: FakeTelegram, bot: Bot) -> None:
    fake.add_group(GROUP, "Petugas Imigrasi")
    ticket = await bot.send_message(GROUP, "Tiket #1", reply_markup=one_button("v1:claim:1"))
    assert (ticket.chat.type, ticket.chat.title) == ("supergroup", "Petugas Imigrasi")
    raw = fake.group_says(GROUP, 77, "/jawab Bisa", reply_to_message_id=ticket.message_id)
    answer = Update.de_json(raw, bot).message
    assert answer is not None
    assert answer.reply_to_message is not None
    assert answer.reply_to_message.message_id == ticket.message_id
    assert answer.from_user is not None
    assert answer.from_user.first_name == "Petugas"
    assert answer.text is not None
    assert answer.entities[0].type == "bot_command"
    press = Update.de_json(fake.group_presses(GROUP, 77, ticket.message_id, "v1:claim:1"), bot)
    assert press.callback_query is not None
    assert press.callback_query.message is not None
    assert press.callback_query.message.chat.id == GROUP

    for kind in ("photo", "voice", "sticker", "document", "location", "contact", "video"):
        message = Update.de_json(fake.user_sends(USER, kind), bot).message
        assert message is not None
        assert getattr(message, kind), kind

    assert await bot.send_chat_action(USER, "typing")
    assert fake.chat_actions == [(USER, "typing")]
    assert await bot.set_my_commands([("start", "Mulai"), ("bantuan", "Bantuan")])
    assert [c.command for c in await bot.get_my_commands()] == ["start", "bantuan"]
    assert await bot.delete_my_commands()
    assert await bot.get_my_commands() == ()
