"""A thin client for the Graph API calls the Instagram channel makes (graph.instagram.com).

Sends and private replies (`POST /{account-id}/messages`), public replies under a comment
(`POST /{comment-id}/replies`), hiding a comment (`POST /{comment-id}?hide=true`), the ice
breakers (`POST /me/messenger_profile`) and the long-lived token's refresh
(`GET /refresh_access_token`); `call` serves the content publishing calls (`publishing`).
Rate limits (HTTP 429, Graph codes 4, 17, 32, 613), server errors and network failures are
retried with capped exponential backoff (`bot.channels.meta`);
what remains is raised as `InstagramError` (a `DeliveryError`) carrying Meta's code and
subcode, so callers can tell "the messaging window has closed" and "this comment already had
its private reply" from a passing failure.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bot.channels.instagram.settings import InstagramSettings
from bot.channels.meta import GraphApiError, GraphHttp, Retries, call_graph
from bot.core.privacy import redact
from bot.core.secret import Secret

# Application (4), user (17), business-use-case (32) and call-type (613) throttling.
RATE_LIMIT_CODES = frozenset({4, 17, 32, 613})
TEMPORARY_CODES = frozenset({1, 2})  # "unknown error" and "service temporarily unavailable"
# Meta's code 10 with these subcodes: "This message is sent outside of allowed window"
# (Messenger's 2018278, Instagram Login's 2534022).
WINDOW_CODE = 10
WINDOW_SUBCODES = frozenset({2018278, 2534022})
ALREADY_REPLIED_CODE = 10900  # "Activity already replied to": a second private reply
HUMAN_AGENT = "HUMAN_AGENT"
# Four tries; the waits double from 0.25 s, never beyond 8 s (Meta's Retry-After aside).
RETRIES = Retries(attempts=4, backoff=0.25, max_backoff=8.0)
_VERSION = re.compile(r"/v\d+(\.\d+)?$")
_REPEATED_CODE = re.compile(r"^\(#\d+\)\s*")


class InstagramError(GraphApiError):
    """The Graph API refused a call (after any retries)."""

    retry_codes = TEMPORARY_CODES | RATE_LIMIT_CODES

    @property
    def window_closed(self) -> bool:
        """Meta's verdict that the 24-hour (or 7-day) window for this person has closed."""
        return self.code == WINDOW_CODE and self.subcode in WINDOW_SUBCODES

    @property
    def already_replied(self) -> bool:
        """The comment already had its one private reply."""
        return self.code == ALREADY_REPLIED_CODE

    @property
    def rate_limited(self) -> bool:
        """Meta throttled the app, the account or the call type."""
        return self.status == 429 or self.code in RATE_LIMIT_CODES


@dataclass(frozen=True, slots=True)
class RefreshedToken:
    """A long-lived token Meta issued in place of the current one."""

    token: Secret
    expires_in: dt.timedelta


class InstagramClient:
    """Calls the Graph API for one Instagram professional account."""

    def __init__(
        self, settings: InstagramSettings, *, retries: Retries = RETRIES, timeout: float = 10.0
    ) -> None:
        self._api = settings.api_url
        # The token refresh is not versioned: it lives at the host's root.
        self._root = _VERSION.sub("", settings.api_url)
        self._account = settings.account_id
        self._token = settings.token
        self.retries = retries
        self._client = GraphHttp(timeout=timeout)

    def use_token(self, token: Secret) -> None:
        """Send with a refreshed token from now on."""
        self._token = token

    async def send(
        self, recipient_id: str, message: Mapping[str, Any], *, human_agent: bool = False
    ) -> str:
        """Send one message object to a person and return its message id (mid).

        `human_agent` sends it with Meta's HUMAN_AGENT tag: an officer's answer after the
        24-hour window and within 7 days, for apps Meta granted that feature."""
        body: dict[str, Any] = {"recipient": {"id": recipient_id}, "message": dict(message)}
        if human_agent:
            body |= {"messaging_type": "MESSAGE_TAG", "tag": HUMAN_AGENT}
        else:
            body["messaging_type"] = "RESPONSE"
        return _field(
            await self._call("POST", f"/{self._account}/messages", json=body), "message_id"
        )

    async def private_reply(self, body: Mapping[str, Any]) -> str:
        """Send a private reply body (`recipient: {comment_id}`) and return its mid."""
        return _field(
            await self._call("POST", f"/{self._account}/messages", json=body), "message_id"
        )

    async def public_reply(self, comment_id: str, text: str) -> str:
        """Reply under a comment, in public, and return the new comment's id."""
        data = await self._call("POST", f"/{comment_id}/replies", params={"message": text})
        return _field(data, "id")

    async def hide(self, comment_id: str, *, hidden: bool = True) -> None:
        """Hide a comment from everyone but its author (or show it again)."""
        await self._call("POST", f"/{comment_id}", params={"hide": str(hidden).lower()})

    async def set_ice_breakers(self, questions: Sequence[tuple[str, str]]) -> None:
        """Set the questions (question, payload) shown when someone opens a chat; at most 4."""
        actions = [{"question": q, "payload": p} for q, p in questions[:4]]
        body = {
            "platform": "instagram",
            "ice_breakers": [{"call_to_actions": actions, "locale": "default"}],
        }
        await self._call("POST", "/me/messenger_profile", json=body)

    async def refresh_token(self) -> RefreshedToken:
        """Exchange the current long-lived token for a new one (valid 60 days)."""
        params = {"grant_type": "ig_refresh_token", "access_token": self._token.reveal()}
        data = await self._call("GET", "/refresh_access_token", params=params, root=True)
        token, seconds = data.get("access_token"), data.get("expires_in")
        if not isinstance(token, str) or not token or not isinstance(seconds, int):
            raise InstagramError("the token refresh returned no token", status=200)
        return RefreshedToken(Secret(token), dt.timedelta(seconds=seconds))

    @property
    def account_id(self) -> str:
        """The professional account's id, the node its own calls go to."""
        return self._account

    async def call(
        self, method: str, path: str, *, once: bool = False, **request: Any
    ) -> Mapping[str, Any]:
        """A Graph API call on the current token (publishing's, `publishing`), retried like
        the others unless `once`: a call whose repeat could act twice (a publish)."""
        if once:
            return await self._once(method, path, root=False, **request)
        return await self._call(method, path, **request)

    async def close(self) -> None:
        """Close the connection pool."""
        await self._client.close()

    async def _call(
        self, method: str, path: str, *, root: bool = False, **request: Any
    ) -> Mapping[str, Any]:
        return await self.retries.run(
            lambda: self._once(method, path, root=root, **request), label="Instagram API"
        )

    async def _once(
        self, method: str, path: str, *, root: bool, **request: Any
    ) -> Mapping[str, Any]:
        url = (self._root if root else self._api) + path
        # The refresh carries the token in its query, as Meta documents; the others a header.
        headers = {} if root else {"Authorization": f"Bearer {self._token.reveal()}"}
        response, data = await call_graph(
            self._client,
            method,
            url,
            error=InstagramError,
            describe=describe_error,
            headers=headers,
            **request,
        )
        if isinstance(data, Mapping):
            return data
        raise InstagramError.from_response(response, data, describe_error)


def _field(data: Mapping[str, Any], name: str) -> str:
    value = data.get(name)
    if isinstance(value, str) and value:
        return value
    raise InstagramError(f"the Graph API answered without {name!r}", status=200)


def describe_error(error: Mapping[str, Any]) -> str:
    """A Graph API error as one line, e.g. "10/2534022 This message is sent outside ..."."""
    message = error.get("message")
    text = _REPEATED_CODE.sub("", message if isinstance(message, str) else "")
    code, subcode = error.get("code"), error.get("error_subcode")
    number = f"{code}/{subcode}" if subcode is not None else str(code)
    # The line goes to logs, the database and staff; Meta's text may quote what was sent.
    return redact(f"{number} {text}".strip()).text
