"""Signing in and out: the login form's token, password checks with throttling, sessions in
signed cookies backed by a database row, and the CSRF token of every form.

The session cookie holds a random token and its HMAC under the session key; the database
keeps only the token's SHA-256, so a leaked table opens no session. Each session has its own
CSRF token, which every form carries and every POST must return. Before login there is no
session: the login form's token is the HMAC of a random nonce kept in a short cookie.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from bot.console.passwords import Passwords
from bot.console.throttle import Throttle
from bot.console.vocabulary import Accounts, Session, Sessions
from bot.core.secret import Secret

SESSION_COOKIE = "tp_sesi"
LOGIN_COOKIE = "tp_masuk"
THROTTLED = "Terlalu banyak percobaan masuk. Coba lagi dalam 15 menit."
WRONG = "Nama atau kata sandi salah."


class AuthStore(Accounts, Sessions, Protocol):
    """The accounts and sessions signing in reads and writes."""


@dataclass(frozen=True, slots=True)
class LoginResult:
    """A cookie value and its expiry on success, else the message to show."""

    cookie: str = ""
    expires_at: dt.datetime | None = None
    error: str = ""
    throttled: bool = False


class Auth:
    """Everything about who is signed in; no HTTP here (`bot.console.web` sets cookies)."""

    def __init__(
        self,
        store: AuthStore,
        key: Secret,
        *,
        passwords: Passwords,
        throttle: Throttle,
        hours: float,
        clock: Callable[[], dt.datetime] | None = None,
    ) -> None:
        self._store = store
        self._key = key
        self._passwords = passwords
        self._throttle = throttle
        self._lifetime = dt.timedelta(hours=hours)
        self._clock = clock or (lambda: dt.datetime.now(dt.UTC))

    def login_nonce(self) -> tuple[str, str]:
        """A fresh (cookie nonce, form token) pair for the login form."""
        nonce = secrets.token_urlsafe(16)
        return nonce, self._sign("login:" + nonce)

    def login_form_ok(self, nonce: str | None, token: str | None) -> bool:
        """Whether the login form's token belongs to the nonce in its cookie."""
        if not nonce or not token:
            return False
        return hmac.compare_digest(self._sign("login:" + nonce), token)

    async def login(self, name: str, password: str, *, client: str) -> LoginResult:
        """Check a name and password (throttled per name and per client); open a session."""
        name = name.strip()[:64]
        if self._throttle.blocked(name=name.casefold(), client=client):
            return LoginResult(error=THROTTLED, throttled=True)
        account = await self._store.account(name) if name else None
        known = account.password_hash if account is not None and account.active else None
        if account is None or not self._passwords.verify(known, password):
            self._throttle.failed(name=name.casefold(), client=client)
            return LoginResult(error=WRONG)
        self._throttle.succeeded(name=name.casefold())
        if self._passwords.needs_rehash(account.password_hash):
            await self._store.set_password_hash(name, self._passwords.rehash(password))
        return await self._open(account.name)

    async def _open(self, name: str) -> LoginResult:
        token = secrets.token_urlsafe(32)
        expires = self._clock() + self._lifetime
        await self._store.open_session(_digest(token), name, secrets.token_urlsafe(32), expires)
        return LoginResult(cookie=f"{token}.{self._sign(token)}", expires_at=expires)

    async def session(self, cookie: str | None) -> Session | None:
        """The live session a cookie names; None for a missing, forged or expired one."""
        token = self._token(cookie)
        return await self._store.session(_digest(token), self._clock()) if token else None

    async def logout(self, cookie: str | None) -> None:
        """End the session a cookie names."""
        if token := self._token(cookie):
            await self._store.close_session(_digest(token))

    @property
    def lifetime(self) -> dt.timedelta:
        """How long a session lasts (the cookie's Max-Age)."""
        return self._lifetime

    def _token(self, cookie: str | None) -> str | None:
        token, _, signature = (cookie or "").partition(".")
        if not token or not hmac.compare_digest(self._sign(token), signature):
            return None
        return token

    def _sign(self, value: str) -> str:
        mac = hmac.new(self._key.reveal().encode(), value.encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(mac).decode().rstrip("=")


def csrf_ok(session: Session, token: str | None) -> bool:
    """Whether a form's CSRF field is the session's token."""
    return bool(token) and hmac.compare_digest(session.csrf, token or "")


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
