"""A strict fake Instagram Graph API (graph.instagram.com) on real HTTP (127.0.0.1), plus Meta's
side of the webhook: signed DMs, echoes, quick replies, postbacks, attachments, reactions and
comments posted to the bot.

    async with FakeInstagram() as fake:                  # or fake.start_in_thread()
        settings: INSTAGRAM_API_URL=fake.api_url, INSTAGRAM_ACCESS_TOKEN=fake.token, ...
        fake.deliver_to("http://127.0.0.1:PORT/instagram")
        await fake.user_says(USER, "biaya paspor")
        [reply] = await fake.wait_sent(USER.igsid, 1)

Every call is checked (token, endpoint, body shape, the 1,000-byte text and quick-reply limits,
one private reply per comment within 7 days, the 24-hour window for DMs and 7 days with
HUMAN_AGENT) and refused with Meta's error JSON. More professional accounts of the same app
(`add_account`, an office's) each have their own token, which acts only for that account: its
messages, its posts' comments, and the windows of the people who wrote to it. Content
publishing and insights are `fake.publishing` (`instagram_publishing`).
`fail_next(n, status=429|500, code=...)` makes the next calls fail. The fake has its own
clock (`clock_offset`), so a test can have an applicant write "25 hours ago".
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from . import instagram_payloads as payloads
from . import instagram_rules as rules
from .instagram_payloads import CommentRecord, IgSent
from .instagram_publishing import PublishingSide
from .instagram_rules import IgApiError
from .instagram_webhook import MetaSide
from .loopback import LoopbackServer

VERSION = "v26.0"
TOKEN = "IGAAfakeInstagramToken123"
ACCOUNT_ID = "17841400000000001"
APP_SECRET = "rahasia-aplikasi-ig"
WINDOW = 24 * 3600
HUMAN_AGENT_WINDOW = 7 * 24 * 3600
PRIVATE_REPLY_WINDOW = 7 * 24 * 3600
TOKEN_SECONDS = 60 * 24 * 3600
Handler = Callable[[Request], Awaitable[dict[str, Any]]]


@dataclass(slots=True)
class _State:
    sent: list[IgSent] = field(default_factory=list)
    public_replies: list[tuple[str, str, str]] = field(default_factory=list)  # comment, text, id
    hidden: dict[str, bool] = field(default_factory=dict)
    ice_breakers: list[list[tuple[str, str]]] = field(default_factory=list)
    refreshes: int = 0
    refreshed: dict[str, list[str]] = field(default_factory=dict)  # account -> tokens issued
    errors: list[tuple[str, int, int | None]] = field(default_factory=list)  # path, code, sub
    requests: int = 0
    failures: list[IgApiError] = field(default_factory=list)
    last_inbound: dict[tuple[str, str], float] = field(default_factory=dict)  # account, IGSID
    comments: dict[str, CommentRecord] = field(default_factory=dict)


class FakeInstagram(MetaSide):
    version = VERSION

    def __init__(self, *, human_agent: bool = True) -> None:
        super().__init__(token=TOKEN, app_secret=APP_SECRET)
        self.tokens = {TOKEN}
        self.account_id = ACCOUNT_ID
        self.office_tokens: dict[str, str] = {}  # token -> another account of the app
        self.human_agent = human_agent  # whether Meta granted the app the Human Agent feature
        # Meta may post a send's echo before it answers the send: on, the fake always does.
        self.echo_before_answer = False
        self._state = _State()
        v = f"/{VERSION}"
        routes = [
            Route(f"{v}/me/messenger_profile", self._answer(self._profile), methods=["POST"]),
            Route(f"{v}/{{node}}/messages", self._answer(self._messages), methods=["POST"]),
            Route(f"{v}/{{node}}/replies", self._answer(self._replies), methods=["POST"]),
            Route(f"{v}/{{node}}", self._answer(self._hide), methods=["POST"]),
            Route("/refresh_access_token", self._answer(self._refresh), methods=["GET"]),
        ]
        self.publishing = PublishingSide(self)  # content publishing, insights
        routes += self.publishing.routes(self._answer, VERSION)
        self._server = LoopbackServer(Starlette(routes=routes))

    # --- the Graph API ---------------------------------------------------------------------

    def _answer(self, handler: Handler) -> Callable[[Request], Awaitable[JSONResponse]]:
        async def endpoint(request: Request) -> JSONResponse:
            try:
                with self._lock:
                    self._state.requests += 1
                request.state.account = self._authorize(request)
                self._fail_if_told()
                return JSONResponse(await handler(request))
            except IgApiError as error:
                with self._lock:
                    self._state.errors.append((request.url.path, error.code, error.subcode))
                return JSONResponse(error.body(), status_code=error.status)
            finally:
                self._changes.notify()

        return endpoint

    def _authorize(self, request: Request) -> str:
        """The account the call's token is for; a token acts on no other account's node."""
        header = request.headers.get("authorization", "")
        given = (
            header.removeprefix("Bearer ") if header else request.query_params.get("access_token")
        ) or ""
        with self._lock:
            account = self.account_id if given in self.tokens else self.office_tokens.get(given)
            accounts = {self.account_id, *self.office_tokens.values()}
        if account is None:
            raise rules.bad_token()
        node = request.path_params.get("node")
        if node in accounts and node != account:
            raise rules.unknown_node(node)
        return account

    def add_account(self, account_id: str, token: str) -> None:
        """Another professional account of the app (an office's), with its token."""
        with self._lock:
            self.office_tokens[token] = account_id

    def _fail_if_told(self) -> None:
        if (status := self.faults.check("*")) is not None:
            raise rules.passing(status, None)
        with self._lock:
            if self._state.failures:
                raise self._state.failures.pop(0)

    async def _json(self, request: Request) -> object:
        try:
            return await request.json()
        except ValueError:
            raise rules.invalid("the body is not JSON") from None

    async def _messages(self, request: Request) -> dict[str, Any]:
        account: str = request.state.account
        if request.path_params["node"] not in (account, "me"):
            raise rules.unknown_node(request.path_params["node"])
        body = await self._json(request)
        recipient, tagged = rules.validate_send(body)
        assert isinstance(body, dict)
        with self._lock:
            if "comment_id" in recipient:
                sent = self._private_reply(account, recipient["comment_id"], body)
            else:
                sent = self._direct(account, recipient["id"], body, tagged)
            self._state.sent.append(sent)
        if self.echo_before_answer:
            await self.echo(sent)
        return {"recipient_id": sent.to, "message_id": sent.mid}

    def _direct(self, account: str, igsid: str, body: dict[str, Any], tagged: bool) -> IgSent:
        if tagged and not self.human_agent:
            raise rules.no_capability()
        # An IGSID names a person to one account only: who wrote to another is unknown here.
        last = self._state.last_inbound.get((account, igsid))
        if last is None:
            raise IgApiError(400, 100, "(#100) No matching user found", subcode=2018001)
        window = HUMAN_AGENT_WINDOW if tagged else WINDOW
        if self.now() - last >= window:
            raise rules.window_closed()
        mid = payloads.mid()
        return IgSent(igsid, None, body, mid, tagged, time.monotonic(), account=account)

    def _comment(self, account: str, comment_id: str) -> CommentRecord:
        """A comment on one of `account`'s posts (another account's token cannot see it)."""
        comment: CommentRecord | None = self._state.comments.get(comment_id)
        if comment is None or comment.account != account:
            raise rules.unknown_node(comment_id)
        return comment

    def _private_reply(self, account: str, comment_id: str, body: dict[str, Any]) -> IgSent:
        comment = self._comment(account, comment_id)
        if comment.private_replied:
            raise rules.already_replied()
        if self.now() - comment.created >= PRIVATE_REPLY_WINDOW:
            raise rules.window_closed()
        comment.private_replied = True
        mid = payloads.mid()
        return IgSent(
            comment.user.igsid, comment_id, body, mid, False, time.monotonic(), account=account
        )

    async def _replies(self, request: Request) -> dict[str, Any]:
        comment_id = request.path_params["node"]
        text = request.query_params.get("message", "")
        if not text.strip() or len(text) > rules.LIMITS["comment"]:
            raise rules.invalid("message must be 1 to 2200 characters")
        with self._lock:
            comment = self._comment(request.state.account, comment_id)
            if comment.hidden:
                raise rules.unknown_node(comment_id)
            reply_id = payloads.number_id()
            # Replies to a reply land under the top-level comment, as on Instagram.
            top = comment.parent_id or comment_id
            self._state.public_replies.append((top, text, reply_id))
        return {"id": reply_id}

    async def _hide(self, request: Request) -> dict[str, Any]:
        comment_id, hide = request.path_params["node"], request.query_params.get("hide")
        if hide not in ("true", "false"):
            raise rules.invalid("hide must be true or false")
        with self._lock:
            comment = self._comment(request.state.account, comment_id)
            comment.hidden = hide == "true"
            self._state.hidden[comment_id] = comment.hidden
        return {"success": True}

    async def _profile(self, request: Request) -> dict[str, Any]:
        pairs = rules.ice_breakers(await self._json(request))
        with self._lock:
            self._state.ice_breakers.append(pairs)
        return {"result": "success"}

    async def _refresh(self, request: Request) -> dict[str, Any]:
        if request.query_params.get("grant_type") != "ig_refresh_token":
            raise rules.invalid("grant_type must be ig_refresh_token")
        account = request.state.account  # a token refreshes into one for its own account
        with self._lock:
            self._state.refreshes += 1
            token = f"IGAArefreshed{self._state.refreshes}{payloads.number_id()}"
            self._state.refreshed.setdefault(account, []).append(token)
            # The old one stays valid until it expires.
            if account == self.account_id:
                self.token = token
                self.tokens.add(token)
            else:
                self.office_tokens[token] = account
        return {"access_token": token, "token_type": "bearer", "expires_in": TOKEN_SECONDS}

    def issue(self, token: str) -> None:
        """A token generated in Meta's dashboard (an operator pastes it in the environment)."""
        with self._lock:
            self.tokens.add(token)

    def retire(self, token: str) -> None:
        """The token stops working (expired, or revoked when a new one was generated)."""
        with self._lock:
            self.tokens.discard(token)
            self.office_tokens.pop(token, None)

    # --- failure injection -----------------------------------------------------------------

    def fail_next(self, count: int, *, status: int = 429, code: int | None = None) -> None:
        """The next `count` calls fail: 429 (code 4), 500 (code 2), or `code` (e.g. 613)."""
        with self._lock:
            self._state.failures.extend(rules.passing(status, code) for _ in range(count))

    # --- what the bot did ------------------------------------------------------------------

    @property
    def sent(self) -> list[IgSent]:
        with self._lock:
            return list(self._state.sent)

    def sent_to(self, igsid: str) -> list[IgSent]:
        return [s for s in self.sent if s.to == igsid]

    @property
    def public_replies(self) -> list[tuple[str, str, str]]:
        with self._lock:
            return list(self._state.public_replies)

    @property
    def hidden(self) -> dict[str, bool]:
        with self._lock:
            return dict(self._state.hidden)

    @property
    def ice_breakers(self) -> list[list[tuple[str, str]]]:
        with self._lock:
            return list(self._state.ice_breakers)

    @property
    def refreshes(self) -> int:
        return self._state.refreshes

    def refreshed(self, account: str) -> list[str]:
        """The tokens refreshes issued for `account` (the main one's id or an office's)."""
        with self._lock:
            return list(self._state.refreshed.get(account, []))

    @property
    def requests(self) -> int:
        """Every call, refused ones included."""
        return self._state.requests

    @property
    def errors(self) -> list[tuple[str, int, int | None]]:
        with self._lock:
            return list(self._state.errors)

    async def wait_sent(self, igsid: str, count: int, timeout: float = 5.0) -> list[IgSent]:  # noqa: ASYNC109
        await self.wait_for(lambda: len(self.sent_to(igsid)) >= count, timeout)
        return self.sent_to(igsid)

    def describe(self) -> str:
        lines = [f"  {s.to} {s.comment or '-'} {s.text[:70]!r} {s.choices}" for s in self.sent]
        published = [(m.id, m.container_id) for m in self.publishing.publishes]
        return "\n".join(
            [
                "sent:",
                *lines,
                f"public: {self.public_replies}",
                f"published: {published}",
                f"errors: {self.errors}",
            ]
        )
