"""A strict fake WhatsApp Cloud API (Graph API) on real HTTP (127.0.0.1), plus Meta's side of
the webhook: signed message and status callbacks posted to the bot.

    async with FakeGraph() as fake:                      # or fake.start_in_thread()
        settings: WHATSAPP_API_URL=fake.api_url, WHATSAPP_TOKEN=fake.token, ...
        fake.deliver_to("http://127.0.0.1:PORT/whatsapp")
        status = await fake.user_says(USER, "biaya paspor")
        [reply] = fake.sent_to(USER.address)

The account has the main number (`phone_number_id`) and any added with `add_number`; a user
writes to one of them (`to=`), the bot must answer from it, and the 24-hour window is counted
per number, as WhatsApp does.

Sends are validated (shapes, limits, the 24-hour window, approved templates) and answered with
a wamid; `fail_next(n, status=429|500)` and `refuse(...)` make them fail; `auto_status` posts
sent/delivered/read back to the bot. The fake has its own clock (`clock_offset`), so a test can
have an applicant write "25 hours ago".
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from . import whatsapp_payloads
from .loopback import LoopbackServer
from .meta import MetaFake
from .whatsapp_payloads import GraphSent, User
from .whatsapp_rules import GraphApiError, address, validate

VERSION = "v21.0"
TOKEN = "EAAG-fake-graph-token-123"
PHONE_NUMBER_ID = "106540352242922"
APP_SECRET = "rahasia-aplikasi-uji"
WINDOW_SECONDS = 24 * 3600
DEFAULT_TEMPLATES = {"jawaban_petugas": ("id", 1)}


@dataclass(slots=True)
class _Failure:
    status: int
    code: int
    message: str
    recipient: str | None = None


@dataclass(slots=True)
class _State:
    sent: list[GraphSent] = field(default_factory=list)
    by_recipient: dict[str, list[GraphSent]] = field(default_factory=dict)
    errors: list[tuple[str, int]] = field(default_factory=list)  # (recipient, code)
    requests: int = 0
    transient: list[_Failure] = field(default_factory=list)
    permanent: list[_Failure] = field(default_factory=list)
    last_inbound: dict[tuple[str, str], float] = field(default_factory=dict)  # number, user


class FakeGraph(MetaFake):
    version = VERSION

    def __init__(self, *, templates: Mapping[str, tuple[str, int]] | None = None) -> None:
        super().__init__(token=TOKEN, app_secret=APP_SECRET)
        self.phone_number_id = PHONE_NUMBER_ID
        self.numbers = {PHONE_NUMBER_ID}  # the business account's numbers
        self.templates = dict(DEFAULT_TEMPLATES if templates is None else templates)
        self.auto_status: tuple[str, ...] = ()
        self._state = _State()
        self._callbacks: set[asyncio.Task[int]] = set()
        route = f"/{VERSION}/{{phone}}/messages"
        app = Starlette(routes=[Route(route, self._messages, methods=["POST"])])
        self._server = LoopbackServer(app, on_stop=self._drain_callbacks)

    # --- the send endpoint -----------------------------------------------------------------

    async def _messages(self, request: Request) -> JSONResponse:
        try:
            if request.headers.get("authorization") != f"Bearer {self.token}":
                raise GraphApiError(401, 190, "Invalid OAuth access token")
            number = request.path_params["phone"]
            if number not in self.numbers:
                raise GraphApiError(400, 100, "Unsupported post request", "unknown phone id")
            try:
                body = await request.json()
            except ValueError:
                raise GraphApiError(400, 100, "Invalid parameter", "body is not JSON") from None
            sent = self._accept(number, body)
        except GraphApiError as error:
            return JSONResponse(error.body(), status_code=error.status)
        finally:
            self._changes.notify()
        for status in self.auto_status:
            self._callback(self.post_status(sent.wamid, status))
        contacts = [{"input": sent.to, "wa_id": sent.to}]
        result = {"id": sent.wamid, "message_status": "accepted"}
        return JSONResponse(
            {"messaging_product": "whatsapp", "contacts": contacts, "messages": [result]}
        )

    def _accept(self, number: str, body: object) -> GraphSent:
        with self._lock:
            self._state.requests += 1
            recipient = ""
            try:
                kind = validate(body, self.templates)
                recipient = address(body)
                self._fail_if_told(recipient)
                if kind != "template" and not self._window_open(number, recipient):
                    raise GraphApiError(
                        400, 131047, "Re-engagement message", "more than 24 hours have passed"
                    )
            except GraphApiError as error:
                self._state.errors.append((recipient, error.code))
                raise
            assert isinstance(body, dict)
            wamid = whatsapp_payloads.wamid()
            sent = GraphSent(recipient, body, wamid, time.monotonic(), number)
            self._state.sent.append(sent)
            self._state.by_recipient.setdefault(recipient, []).append(sent)
            return sent

    def _fail_if_told(self, recipient: str) -> None:
        if (status := self.faults.check(recipient)) is not None:
            code, message = (
                (131000, "Something went wrong")
                if status >= 500
                else (131026, "Message undeliverable")
            )
            raise GraphApiError(status, code, message)
        if self._state.transient:
            failure = self._state.transient.pop(0)
            raise GraphApiError(failure.status, failure.code, failure.message)
        for failure in self._state.permanent:
            if failure.recipient in (None, recipient):
                raise GraphApiError(failure.status, failure.code, failure.message)

    def _window_open(self, number: str, recipient: str) -> bool:
        last = self._state.last_inbound.get((number, recipient))
        return last is not None and self.now() - last < WINDOW_SECONDS

    def add_number(self, number: str) -> None:
        """Another number of the business account (an office's own)."""
        self.numbers.add(number)

    # --- failure injection -----------------------------------------------------------------

    def fail_next(self, count: int, *, status: int = 429) -> None:
        """The next `count` sends fail temporarily: 429 (throughput) or 500 (server error)."""
        code, message = (
            (130429, "Rate limit hit") if status == 429 else (131000, "Something went wrong")
        )
        with self._lock:
            self._state.transient.extend(_Failure(status, code, message) for _ in range(count))

    def refuse(
        self,
        recipient: str | None = None,
        *,
        code: int = 131026,
        message: str = "Message undeliverable",
    ) -> None:
        """Every send (to `recipient`, or to anyone) fails permanently from now on."""
        with self._lock:
            self._state.permanent.append(_Failure(400, code, message, recipient))

    # --- what the bot sent -----------------------------------------------------------------

    @property
    def sent(self) -> list[GraphSent]:
        with self._lock:
            return list(self._state.sent)

    @property
    def sent_count(self) -> int:
        return len(self._state.sent)

    def sent_to(self, recipient: str) -> list[GraphSent]:
        with self._lock:
            return list(self._state.by_recipient.get(recipient, ()))

    @property
    def requests(self) -> int:
        """Every POST to /messages, refused ones included."""
        return self._state.requests

    @property
    def errors(self) -> list[tuple[str, int]]:
        with self._lock:
            return list(self._state.errors)

    async def wait_sent(self, recipient: str, count: int, timeout: float = 5.0) -> list[GraphSent]:  # noqa: ASYNC109
        await self.wait_for(
            lambda: len(self._state.by_recipient.get(recipient, ())) >= count, timeout
        )
        return self.sent_to(recipient)

    def describe(self) -> str:
        lines = [f"  {s.to} {s.kind} {s.text[:70]!r} {s.choices}" for s in self.sent]
        return "\n".join(["sent:", *lines, f"errors: {self.errors}"])

    # --- Meta's side of the webhook --------------------------------------------------------

    def inbound(
        self, user: User, message: dict[str, Any], *, to: str | None = None
    ) -> dict[str, Any]:
        """The webhook body for a message from `user` to the number `to` (default: the main
        one); opens their 24-hour window with that number."""
        number = to or self.phone_number_id
        with self._lock:
            self._state.last_inbound[(number, user.address)] = self.now()
        return whatsapp_payloads.envelope(number, whatsapp_payloads.message_value(user, message))

    def stamp(self) -> int:
        return int(self.now())

    async def user_says(self, user: User, text: str, *, to: str | None = None) -> int:
        message = whatsapp_payloads.text(text, self.stamp())
        return await self.post(self.inbound(user, message, to=to))

    async def user_taps(self, user: User, sent: GraphSent, title: str) -> int:
        """Press a reply button (or pick a list row) of a message by its title."""
        choice = dict((t, i) for i, t in sent.choices)[title]
        kind = sent.payload["interactive"]["type"]
        build = (
            whatsapp_payloads.button_reply if kind == "button" else whatsapp_payloads.list_reply
        )
        message = build(choice, title, self.stamp(), sent.wamid)
        return await self.post(self.inbound(user, message, to=sent.number))

    async def user_taps_template(
        self, user: User, sent: GraphSent, payload: str, label: str
    ) -> int:
        message = whatsapp_payloads.template_button(payload, label, self.stamp(), sent.wamid)
        return await self.post(self.inbound(user, message, to=sent.number))

    async def user_sends(self, user: User, kind: str) -> int:
        return await self.post(self.inbound(user, whatsapp_payloads.media(kind, self.stamp())))

    async def post_status(
        self, message_id: str, status: str, *, errors: list[dict[str, Any]] | None = None
    ) -> int:
        with self._lock:
            sent = next((s for s in self._state.sent if s.wamid == message_id), None)
        recipient, number = (sent.to, sent.number) if sent else ("", self.phone_number_id)
        value = whatsapp_payloads.status_value(
            message_id, status, recipient, self.stamp(), errors or []
        )
        return await self.post(whatsapp_payloads.envelope(number, value))

    def _callback(self, post: Any) -> None:
        task = asyncio.get_running_loop().create_task(post)
        self._callbacks.add(task)
        task.add_done_callback(self._callbacks.discard)

    async def _drain_callbacks(self) -> None:
        if self._callbacks:
            await asyncio.gather(*self._callbacks, return_exceptions=True)
