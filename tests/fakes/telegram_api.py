"""A strict fake Telegram Bot API on real HTTP (127.0.0.1), for driving the real PTB library.

    async with FakeTelegram() as fake:                  # served in the running loop
        app = ApplicationBuilder().token(fake.token).base_url(fake.base_url).build()
        ...
        fake.user_says(42, "/start")
        [reply] = await fake.wait_sent(42, 1)

    with FakeTelegram() as fake: ...                    # served from its own thread and loop

Injected updates go to getUpdates (long polling) or, after `deliver_to(url, secret)`, are POSTed
to the bot's webhook. Everything the bot does is recorded: `sent`, `callback_answers`, `calls`,
`errors`, `rate_limited`.
"""

from __future__ import annotations

import asyncio
import copy
import enum
import itertools
from collections.abc import Callable, Mapping
from typing import Any

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from .faults import Faults
from .loopback import LoopbackServer, Notifier, ServedFake
from .telegram_methods import BotApi
from .telegram_payloads import decode_body, decode_fields, inline_buttons, keyboard_texts
from .telegram_rules import ApiError, Params, to_int
from .telegram_state import CallbackAnswer, Sent, TelegramState
from .telegram_updates import UpdateInjector

DEFAULT_TOKEN = "123456789:TEST-tanya-paspor-fake-token"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
_SUPERSEDED = (
    "Conflict: terminated by other getUpdates request; "
    "make sure that only one bot instance is running"
)
_WEBHOOK_ACTIVE = (
    "Conflict: can't use getUpdates method while webhook is active; "
    "use deleteWebhook to delete the webhook first"
)


_SENDING = frozenset({"sendmessage", "sendphoto", "editmessagetext", "editmessagereplymarkup"})


class _Secret(enum.Enum):
    CONFIGURED = "configured"


def buttons(record: Sent | Mapping[str, Any] | None) -> list[tuple[str, str | None]]:
    """(text, callback_data) of an inline keyboard: of a Sent record, a message or a markup."""
    return inline_buttons(_markup_of(record))


def keyboard(record: Sent | Mapping[str, Any] | None) -> list[str]:
    """Button texts of a reply keyboard: of a Sent record or a markup."""
    return keyboard_texts(_markup_of(record))


def _markup_of(record: Sent | Mapping[str, Any] | None) -> Mapping[str, Any] | None:
    if record is None or isinstance(record, Sent):
        return None if record is None else record.reply_markup
    if "inline_keyboard" in record or "keyboard" in record:
        return record
    return record.get("reply_markup")


class FakeTelegram(UpdateInjector, ServedFake):
    def __init__(self, token: str = DEFAULT_TOKEN, *, max_per_second: float | None = None) -> None:
        self.token = token
        self._state = TelegramState(token, max_per_second)
        self._api = BotApi(self._state)
        self._changes = Notifier()
        self._closing = False
        self._poll_generation = 0
        self._file_numbers = itertools.count(1)
        self._delivery: asyncio.Task[None] | None = None
        self.polls = 0
        self.faults = Faults()
        self.handed_out = 0  # the highest update id getUpdates has returned
        self.redeliver_after = 0.2  # Telegram sends a refused webhook update again later
        self.deliveries: list[tuple[int, int]] = []  # (update_id, HTTP status; 0 = unreachable)
        # Fault injection: calls to these methods, or aimed at these chats, get this error.
        self.failing_methods: dict[str, ApiError] = {}
        self.failing_chats: dict[int, ApiError] = {}
        app = Starlette(
            routes=[
                Route("/bot{token}/{method}", self._endpoint, methods=["GET", "POST"]),
                Route("/{path:path}", _not_found, methods=["GET", "POST"]),
            ]
        )
        self._server = LoopbackServer(app, on_start=self._on_start, on_stop=self._on_stop)

    # --- lifecycle -------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        """For `Bot(base_url=)` / `ApplicationBuilder().base_url()`; PTB appends the token."""
        return f"{self._server.url}/bot"

    def __enter__(self) -> FakeTelegram:
        self.start_in_thread()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop_thread()

    async def _on_start(self) -> None:
        self._closing = False
        self._delivery = asyncio.create_task(self._deliver_forever(), name="fake-webhook")

    async def _on_stop(self) -> None:
        self._closing = True  # releases long polls, which uvicorn would wait for
        self._changes.notify()
        if self._delivery is not None:
            await self._delivery

    # --- HTTP ------------------------------------------------------------------------------

    async def _endpoint(self, request: Request) -> JSONResponse:
        method = request.path_params["method"]
        try:
            if request.path_params["token"] != self.token:
                raise ApiError(401, "Unauthorized")
            params = await _read_params(request)
            self._injected_fault(method, params)
            self._inject_fault(method, params)
            if method.lower() == "getupdates":
                result = await self._get_updates(params)
            else:
                with self._state.lock:
                    result = copy.deepcopy(self._api.call(method, params))
        except ApiError as error:
            return JSONResponse(error.body(), status_code=error.code)
        finally:
            self._changes.notify()
        return JSONResponse({"ok": True, "result": result})

    def _injected_fault(self, method: str, params: Params) -> None:
        chat = params.get("chat_id")
        fault = self.failing_methods.get(method)
        if fault is None and chat is not None:
            fault = self.failing_chats.get(int(str(chat)))
        if fault is not None:
            with self._state.lock:
                self._state.calls.append(method)
                self._state.errors.append((method, fault.code, fault.description))
            raise fault

    def _inject_fault(self, method: str, params: Params) -> None:
        if method.lower() not in _SENDING:
            return
        status = self.faults.check(str(params.get("chat_id", "")))
        if status is None:
            return
        description = "Bad Request: chat not found" if status == 400 else "Internal Server Error"
        with self._state.lock:
            self._state.errors.append((method, status, description))
        raise ApiError(status, description)

    async def _get_updates(self, params: Params) -> list[Params]:
        offset = to_int(params.get("offset", 0), "offset")
        limit = min(max(to_int(params.get("limit", 100), "limit"), 1), 100)
        timeout = _seconds(params.get("timeout"))
        with self._state.lock:
            self.polls += 1
            if self._state.webhook:
                raise ApiError(409, _WEBHOOK_ACTIVE)
            self._state.confirm(offset)
            self._poll_generation += 1
            generation = self._poll_generation
        # A newer getUpdates ends the waiting one with 409, as on Telegram.
        self._changes.notify()

        def superseded() -> bool:
            return generation != self._poll_generation

        def ready() -> bool:
            return self._closing or superseded() or bool(self._state.updates)

        await self._changes.wait_until(ready, timeout)
        if superseded():
            raise ApiError(409, _SUPERSEDED)
        with self._state.lock:
            handed = copy.deepcopy(self._state.updates[:limit])
        if handed:
            self.handed_out = max(self.handed_out, handed[-1]["update_id"])
        return handed

    # --- webhook mode ----------------------------------------------------------------------

    def deliver_to(self, url: str | None, secret_token: str | None = None) -> None:
        """POST injected (and pending) updates to `url`; None returns to getUpdates."""
        with self._state.lock:
            self._state.deliver_to(url, secret_token)
        self._changes.notify()

    async def post_update(
        self, update: Mapping[str, Any], *, secret: str | _Secret | None = _Secret.CONFIGURED
    ) -> int:
        """POST any update to the webhook (e.g. a duplicate, or secret=None / a wrong secret)."""
        with self._state.lock:
            url, configured = (
                self._state.webhook.get("url"),
                self._state.webhook.get("secret_token"),
            )
        if not url:
            raise RuntimeError("no webhook: call deliver_to(url, secret) first")
        secret_value = configured if secret is _Secret.CONFIGURED else secret
        async with httpx.AsyncClient(timeout=10.0) as client:
            return await _post(client, url, secret_value, update)

    async def _deliver_forever(self) -> None:
        async with httpx.AsyncClient(timeout=10.0) as client:
            while True:
                await self._changes.wait_until(
                    lambda: self._closing or bool(self._state.outbox), None
                )
                if self._closing:
                    return
                with self._state.lock:
                    update = self._state.outbox.popleft()
                    url, secret = self._state.webhook["url"], self._state.webhook["secret_token"]
                # Delivered one at a time, in order, like Telegram with max_connections=1.
                status = await _post(client, url, secret, update)
                self.deliveries.append((update["update_id"], status))
                self._changes.notify()
                if not 200 <= status < 300:
                    with self._state.lock:
                        if self._state.delivering:
                            self._state.outbox.appendleft(update)
                    await asyncio.sleep(self.redeliver_after)

    # --- what the bot did ------------------------------------------------------------------

    @property
    def sent(self) -> list[Sent]:
        """Messages sent and edited by the bot, in order (sendChatAction is in chat_actions)."""
        with self._state.lock:
            return list(self._state.sent)

    @property
    def sent_count(self) -> int:
        """len(sent) without copying it: cheap enough for predicates over thousands of sends."""
        return len(self._state.sent)

    def sent_to(self, chat_id: int) -> list[Sent]:
        with self._state.lock:
            return list(self._state.sent_by_chat.get(chat_id, ()))

    @property
    def callback_answers(self) -> list[CallbackAnswer]:
        with self._state.lock:
            return list(self._state.callback_answers)

    @property
    def unanswered_callbacks(self) -> list[str]:
        """Ids of injected callback queries the bot has not answered (Telegram shows a spinner)."""
        with self._state.lock:
            return list(self._state.open_callbacks)

    @property
    def chat_actions(self) -> list[tuple[int, str]]:
        with self._state.lock:
            return list(self._state.chat_actions)

    @property
    def calls(self) -> list[str]:
        """Method names in call order, failed calls included; getUpdates only counts in `polls`."""
        with self._state.lock:
            return list(self._state.calls)

    @property
    def errors(self) -> list[tuple[str, int, str]]:
        """(method, error_code, description) of every refused call."""
        with self._state.lock:
            return list(self._state.errors)

    @property
    def rate_limited(self) -> int:
        """How many 429s were answered."""
        with self._state.lock:
            return self._state.rate_limited

    def message(self, chat_id: int, message_id: int) -> Params:
        """A stored message as it is now (after edits)."""
        with self._state.lock:
            return copy.deepcopy(self._state.stored(chat_id, message_id))

    async def wait_for(self, predicate: Callable[[], bool], timeout: float = 15.0) -> None:  # noqa: ASYNC109
        """Wait, without polling, until `predicate()` holds; AssertionError after `timeout` s."""
        if not await self._changes.wait_until(predicate, timeout):
            raise AssertionError(f"condition not met within {timeout} s\n{self.describe()}")

    async def wait_sent(self, chat_id: int, count: int, timeout: float = 15.0) -> list[Sent]:  # noqa: ASYNC109
        """Wait until `count` messages were sent/edited to `chat_id`; returns all of them."""
        # The predicate runs after every request: count, don't copy (benchmarks send thousands).
        by_chat = self._state.sent_by_chat
        if not await self._changes.wait_until(
            lambda: len(by_chat.get(chat_id, ())) >= count, timeout
        ):
            got = len(self.sent_to(chat_id))
            raise AssertionError(
                f"expected {count} message(s) to chat {chat_id} within {timeout} s, got {got}\n"
                + self.describe()
            )
        return self.sent_to(chat_id)

    def describe(self) -> str:
        """What the bot did so far, for failure messages."""
        lines = ["sent:"] + [f"  {_render(record)}" for record in self.sent]
        lines += ["refused:"] + [f"  {m} {code} {text}" for m, code, text in self.errors]
        lines.append(f"calls: {self.calls}")
        return "\n".join(lines)


def _render(record: Sent) -> str:
    text = (record.visible_text or "")[:80].replace("\n", " / ")
    keys = buttons(record) or keyboard(record)
    return f"{record.method} chat={record.chat_id} id={record.message_id} {text!r} {keys or ''}"


def _seconds(value: object) -> float:
    if value is None or value == "":
        return 0.0
    try:
        return max(float(str(value)), 0.0)
    except ValueError:
        raise ApiError(400, "Bad Request: timeout is invalid") from None


async def _read_params(request: Request) -> Params:
    """Query parameters plus the body; PTB posts urlencoded forms with JSON-encoded values."""
    params = decode_fields(list(request.query_params.multi_items()))
    if request.method == "POST":
        try:
            params.update(
                decode_body(request.headers.get("content-type", ""), await request.body())
            )
        except ValueError:
            raise ApiError(400, "Bad Request: can't parse request body") from None
    return params


async def _post(
    client: httpx.AsyncClient, url: str, secret: str | None, update: Mapping[str, Any]
) -> int:
    headers = {SECRET_HEADER: secret} if secret is not None else {}
    try:
        response = await client.post(url, json=dict(update), headers=headers)
    except httpx.HTTPError:
        return 0
    return response.status_code


async def _not_found(request: Request) -> JSONResponse:
    body = {"ok": False, "error_code": 404, "description": "Not Found"}
    return JSONResponse(body, status_code=404)
