"""`TelegramBot.send_text`, the outbox's lean send, against a Bot API on loopback HTTP that
records each call's raw body: the same sendMessage as PTB's `send_message` byte for byte,
with or without a keyboard (PTB's, or the outbox's already in JSON), through the same rate
limiter (a busy group's turn too far away is `ChatLimited`), and Telegram's refusals raised
as PTB's errors."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest
from aiohttp import web
from telegram.constants import ParseMode
from telegram.error import Forbidden

from bot.channels.telegram.bot import TelegramBot
from bot.channels.telegram.channel import TelegramApp, build_application
from bot.channels.telegram.limiter import ChatLimited
from bot.channels.telegram.render import render, rendered
from bot.channels.telegram.settings import TelegramSettings
from bot.core.secret import Secret
from bot.core.vocabulary import Button, Reply

TOKEN = "123:lean-token"
USER = 4242
BLOCKED = 4343
GROUP = -100777
Call = tuple[str, bytes]  # (method, raw body)


def answer(method: str, body: bytes) -> web.Response:
    """What the Bot API answers: a sent message, or 403 for the chat that blocked the bot."""
    if method == "getMe":
        me = {"id": 123, "is_bot": True, "first_name": "Tanya", "username": "tanya_bot"}
        return web.json_response({"ok": True, "result": me})
    if f"chat_id={BLOCKED}".encode() in body:
        refusal = {"ok": False, "error_code": 403, "description": "Forbidden: bot was blocked"}
        return web.json_response(refusal, status=403)
    chat = {"id": USER, "type": "private", "first_name": "A"}
    message = {"message_id": 7, "date": 1_700_000_000, "chat": chat, "text": "x"}
    return web.json_response({"ok": True, "result": message})


@asynccontextmanager
async def recording_api() -> AsyncIterator[tuple[str, list[Call]]]:
    """A Bot API that records every call: its base URL and the calls."""
    calls: list[Call] = []

    async def endpoint(request: web.Request) -> web.Response:
        body = await request.read()
        calls.append((request.match_info["method"], body))
        return answer(request.match_info["method"], body)

    app = web.Application()
    app.router.add_post(r"/bot{token}/{method}", endpoint)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    try:
        yield f"http://127.0.0.1:{port}/bot", calls
    finally:
        await runner.cleanup()


@asynccontextmanager
async def application_on(base_url: str) -> AsyncIterator[TelegramApp]:
    settings = TelegramSettings(token=Secret(TOKEN), api_url=base_url)
    application = build_application(settings, polling=False)
    async with application:
        yield application


REPLIES = [
    Reply("Biaya paspor <b>biasa</b> & elektronik"),
    Reply("Pilih topik", (Button("Biaya", "#topic:biaya"), Button("Menu", "#menu"))),
    Reply("Menu utama", (Button("Paspor baru", "paspor baru"),), keyboard=True),
]


@pytest.mark.parametrize("reply", REPLIES, ids=["text", "inline keyboard", "reply keyboard"])
async def test_send_text_posts_what_send_message_posts(reply: Reply) -> None:
    (part,) = render(reply)
    async with recording_api() as (url, calls), application_on(url) as application:
        bot = application.bot
        assert isinstance(bot, TelegramBot)
        markup = part.markup
        await bot.send_message(USER, part.text, parse_mode=ParseMode.HTML, reply_markup=markup)
        await bot.send_text(USER, part.text, part.markup)
        (posted,) = rendered(reply)  # the outbox's: the keyboard as JSON already
        await bot.send_text(USER, posted.text, posted.markup)
    (_, by_ptb), (_, lean), (_, outbox) = [call for call in calls if call[0] == "sendMessage"]
    assert lean == by_ptb
    assert outbox == by_ptb
    assert b"parse_mode=HTML" in lean
    assert (b"reply_markup=" in lean) == bool(reply.buttons)


async def test_send_text_keeps_the_rate_limits_and_ptbs_errors() -> None:
    async with recording_api() as (url, calls), application_on(url) as application:
        bot = application.bot
        assert isinstance(bot, TelegramBot)
        for n in range(20):  # a group's 20 a minute
            await bot.send_text(GROUP, f"pesan {n}", None)
        with pytest.raises(ChatLimited) as limited:
            await bot.send_text(GROUP, "satu lagi", None, max_wait=0.2)
        with pytest.raises(Forbidden):
            await bot.send_text(BLOCKED, "halo", None)
    sent = [body for method, body in calls if method == "sendMessage"]
    assert len(sent) == 21  # 20 to the group, the refused one; not the one over the limit
    assert 50 < limited.value.delay <= 60
