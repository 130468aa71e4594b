"""`AiohttpRequest`, PTB's HTTP seam on aiohttp, driven by the real PTB `Bot` against the fake
Bot API on loopback HTTP: bodies, uploads, PTB's errors for each refusal, timeouts, the pool,
the lifecycle and the proxy the environment names."""

from __future__ import annotations

import asyncio
import datetime as dtm
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, closing

import pytest
from fakes.telegram_api import FakeTelegram, buttons
from fakes.telegram_rules import ApiError
from support.ports import held_port
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

from bot.channels.telegram.request import AiohttpRequest, Timeouts, env_proxy

CHAT = 42
PROXY_VARIABLES = [
    f"{name}{suffix}" for name in ("http", "https", "all", "no") for suffix in ("_proxy", "_PROXY")
]
# The smallest valid PNG (1x1), as an upload.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6300010000050001"
    "0d0a2db40000000049454e44ae426082"
)


@pytest.fixture(autouse=True)
def no_proxy_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    """A proxy set on the test machine must not reroute loopback calls."""
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)


def bot_of(base_url: str, token: str, request: AiohttpRequest) -> Bot:
    return Bot(token, base_url=base_url, request=request, get_updates_request=AiohttpRequest())


@asynccontextmanager
async def bot_on(base_url: str, token: str, request: AiohttpRequest) -> AsyncIterator[Bot]:
    """An initialized bot (its getMe answered) on the API at `base_url`."""
    async with bot_of(base_url, token, request) as bot:
        yield bot


@asynccontextmanager
async def bare_bot(base_url: str, request: AiohttpRequest) -> AsyncIterator[Bot]:
    """A bot whose request is open but which never called getMe: for APIs that cannot answer."""
    async with request:
        yield bot_of(base_url, "1:SECRET-token", request)


@asynccontextmanager
async def silent_server() -> AsyncIterator[str]:
    """A server that accepts connections and never answers: the base URL of a Bot API."""
    held: list[asyncio.StreamWriter] = []

    async def accept(_: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        held.append(writer)

    server = await asyncio.start_server(accept, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}/bot"
    finally:
        for writer in held:
            writer.close()
        server.close()
        await server.wait_closed()


@pytest.fixture
def refused_port() -> Iterator[int]:
    """A loopback port held but not listening: connections to it are refused."""
    with closing(held_port()) as sock:
        yield int(sock.getsockname()[1])


async def test_a_message_with_a_keyboard_reaches_the_api_as_sent() -> None:
    async with FakeTelegram() as fake, bot_on(fake.base_url, fake.token, AiohttpRequest()) as bot:
        fake.user_says(CHAT, "halo")
        markup = InlineKeyboardMarkup(
            [[InlineKeyboardButton("📖 Selengkapnya", callback_data="#d")]]
        )
        message = await bot.send_message(CHAT, "Biaya <b>paspor</b> & syarat", reply_markup=markup)
        await bot.send_message(CHAT, "kedua", parse_mode="HTML")
    first, second = fake.sent_to(CHAT)
    assert (first.text, buttons(first)) == (
        "Biaya <b>paspor</b> & syarat",
        [("📖 Selengkapnya", "#d")],
    )
    assert (second.text, second.parse_mode) == ("kedua", "HTML")
    # PTB parsed the API's answer: the message id is the one the fake gave.
    assert message.message_id == first.message_id


async def test_a_photo_is_uploaded_as_multipart_with_its_caption() -> None:
    async with FakeTelegram() as fake, bot_on(fake.base_url, fake.token, AiohttpRequest()) as bot:
        fake.user_says(CHAT, "halo")
        await bot.send_photo(CHAT, PNG, caption="Contoh foto paspor")
    (sent,) = fake.sent_to(CHAT)
    assert (sent.method, sent.photo_bytes, sent.caption) == (
        "sendPhoto",
        len(PNG),
        "Contoh foto paspor",
    )


async def test_a_429_is_retry_after_with_the_apis_wait(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "true")
    fake = FakeTelegram(max_per_second=1)
    async with fake, bot_on(fake.base_url, fake.token, AiohttpRequest()) as bot:
        fake.user_says(CHAT, "halo")
        await bot.send_message(CHAT, "satu")
        with pytest.raises(RetryAfter) as raised:
            await bot.send_message(CHAT, "dua")
    assert raised.value.retry_after == dtm.timedelta(seconds=1)
    assert fake.rate_limited == 1


async def test_400_and_403_are_bad_request_and_forbidden_with_the_apis_words() -> None:
    async with FakeTelegram() as fake, bot_on(fake.base_url, fake.token, AiohttpRequest()) as bot:
        fake.failing_chats[7] = ApiError(403, "Forbidden: bot was blocked by the user")
        with pytest.raises(Forbidden, match="bot was blocked by the user"):
            await bot.send_message(7, "halo")
        with pytest.raises(BadRequest, match="Chat not found"):
            await bot.send_message(8, "halo")  # a chat the fake has never seen


async def test_no_answer_in_the_read_timeout_is_timed_out() -> None:
    request = AiohttpRequest(timeouts=Timeouts(read=0.2))
    async with silent_server() as url, bare_bot(url, request) as bot:
        started = asyncio.get_running_loop().time()
        with pytest.raises(TimedOut):
            await bot.send_message(CHAT, "halo")
        assert asyncio.get_running_loop().time() - started < 2.0
        # A timeout named for the call beats the instance's.
        with pytest.raises(TimedOut):
            await bot.send_message(CHAT, "halo", read_timeout=0.05)


async def test_a_full_pool_times_out_without_sending() -> None:
    """One connection, held by a call that gets no answer: the next waits pool_timeout."""
    request = AiohttpRequest(connection_pool_size=1, timeouts=Timeouts(read=5.0, pool=0.2))
    async with silent_server() as url, bare_bot(url, request) as bot:
        hanging = asyncio.create_task(bot.send_message(CHAT, "satu"))
        await asyncio.sleep(0.1)
        started = asyncio.get_running_loop().time()
        with pytest.raises(TimedOut, match="Pool timeout"):
            await bot.send_message(CHAT, "dua")
        assert asyncio.get_running_loop().time() - started < 2.0
        hanging.cancel()
        with pytest.raises(asyncio.CancelledError):
            await hanging


async def test_a_refused_connection_is_a_network_error_without_the_token(
    refused_port: int,
) -> None:
    url = f"http://127.0.0.1:{refused_port}/bot"
    async with bare_bot(url, AiohttpRequest()) as bot:
        with pytest.raises(NetworkError) as raised:
            await bot.send_message(CHAT, "halo")
    assert not isinstance(raised.value, TimedOut)
    assert raised.value.message.startswith("aiohttp.")
    assert "SECRET" not in raised.value.message


async def test_calls_fail_after_shutdown_and_work_again_after_initialize() -> None:
    request = AiohttpRequest()
    async with FakeTelegram() as fake:
        bot = Bot(fake.token, base_url=fake.base_url, request=request)
        async with bot:
            assert (await bot.get_me()).is_bot
        with pytest.raises(NetworkError, match="shut down"):
            await bot.get_me()
        async with bot:
            assert (await bot.get_me()).is_bot


async def test_calls_go_through_the_proxy_the_environment_names(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The fake is the proxy: the API's host does not exist, so only the proxy can answer."""
    async with FakeTelegram() as fake:
        monkeypatch.setenv("HTTP_PROXY", fake.base_url.removesuffix("/bot"))
        async with bot_on("http://api.telegram.invalid/bot", fake.token, AiohttpRequest()) as bot:
            assert (await bot.get_me()).is_bot


def test_the_proxy_is_the_schemes_else_all_proxy_unless_no_proxy_covers_the_host(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert env_proxy("https", "api.telegram.org") is None
    monkeypatch.setenv("ALL_PROXY", "http://all.kantor:3128")
    assert env_proxy("https", "api.telegram.org") == "http://all.kantor:3128"
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.kantor:3128")
    assert env_proxy("https", "api.telegram.org") == "http://proxy.kantor:3128"
    monkeypatch.setenv("NO_PROXY", "telegram.org")
    assert env_proxy("https", "api.telegram.org") is None


def test_ptbs_timeouts_map_onto_aiohttps() -> None:
    timeout = Timeouts(read=5.0, write=20.0, connect=3.0, pool=1.0).for_aiohttp()
    assert (timeout.sock_read, timeout.sock_connect, timeout.connect) == (5.0, 3.0, 3.0)
    assert timeout.total == 28.0  # the write timeout bounds the whole call
    unbounded = Timeouts(read=None).for_aiohttp()
    assert (unbounded.sock_read, unbounded.total) == (None, None)
