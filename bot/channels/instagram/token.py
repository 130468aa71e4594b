"""Keeping the long-lived access tokens alive: Meta's tokens expire 60 days after they are
issued, and a token at least 24 hours old and not expired can be exchanged for a new one.

A keeper per account (the main one and each office's own, issue 21), each on its own row,
lease and daily warning. Every worker, every upkeep round: read the account's current token
from the database and send with it. One worker (a lease in the database) refreshes it once it
is a week old; the admins are told once a day when it is a week from expiring unrefreshed. The
token from the environment seeds the row; an operator who pastes a different one there (a new
token from Meta's dashboard) wins over the stored one at the next start. The token is never
logged.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import math
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from bot.channels.instagram import texts
from bot.channels.instagram.api import InstagramClient, InstagramError
from bot.channels.instagram.token_store import MAIN_ACCOUNT, StoredToken, TokenStore
from bot.core.secret import Secret
from bot.storage.notices import NoticeStore
from bot.storage.schedule_lease import ScheduleLease

logger = logging.getLogger(__name__)
Clock = Callable[[], dt.datetime]

LIFETIME = dt.timedelta(days=60)  # assumed for a pasted token: Meta does not say its age
REFRESH_AFTER = dt.timedelta(days=7)  # well past Meta's 24 hours, far from the 60 days
WARN_BEFORE = dt.timedelta(days=7)
RETRY = dt.timedelta(hours=1)  # after a refused refresh, the next try (any worker)
# The main account's names are those from before office accounts: its claims carry over.
LEASE = "instagram-token-refresh"  # an office account's: + ":<account id>"
WARNING = "instagram-token-expiring"  # likewise
SEED = "instagram-token-seed:"  # + a hash of the pasted token: claimed once per new token
FOREVER = dt.datetime(9999, 1, 1, tzinfo=dt.UTC)


@dataclass(frozen=True, slots=True)
class TokenOwner:
    """Whose token a keeper keeps: the main account (the default) or an office's account."""

    account: str = MAIN_ACCOUNT  # its row in `instagram_token`
    office: str | None = None  # the office's name, for the admins' warning
    variable: str = texts.MAIN_TOKEN_VARIABLE  # where a new token is pasted

    def claim(self, name: str) -> str:
        """The account's own lease or daily claim called `name`."""
        return name if self.account == MAIN_ACCOUNT else f"{name}:{self.account}"


@dataclass(frozen=True, slots=True)
class TokenDuties:
    """What the keeper works with: the database's token, leases and daily claims."""

    tokens: TokenStore
    lease: ScheduleLease
    notices: NoticeStore
    alert: Callable[[str], Awaitable[None]]  # the admins
    mask: Callable[[str], None]  # the log mask, for tokens issued while running


class TokenKeeper:
    """Seeds, reloads, refreshes and warns about the token one client sends with."""

    def __init__(
        self,
        client: InstagramClient,
        pasted: Secret,
        duties: TokenDuties,
        *,
        owner: TokenOwner = TokenOwner(),
        clock: Clock = lambda: dt.datetime.now(dt.UTC),
    ) -> None:
        self._client, self._pasted, self._duties, self._clock = client, pasted, duties, clock
        self._owner = owner
        self._seeded = False

    async def upkeep(self) -> None:
        """One round: the stored token in use, refreshed when due, admins warned if needed."""
        stored = await self._current()
        self._use(stored)
        if self._due(stored) and await self._claim_refresh():
            stored = await self._refresh(stored)
        if stored.expires_at - self._clock() <= WARN_BEFORE:
            await self._warn(stored)

    async def _current(self) -> StoredToken:
        tokens, account, now = self._duties.tokens, self._owner.account, self._clock()
        pasted = StoredToken(self._pasted, now + LIFETIME, now)
        if not self._seeded:
            # Once per process: the environment's token is read at start and never changes.
            await self._seed(pasted)
            self._seeded = True
        stored = await tokens.current(account)
        if stored is None:  # seeded by a worker whose write has not landed, or failed
            await tokens.put(account, pasted, replace=False)
            stored = await tokens.current(account)
        return stored or pasted

    async def _seed(self, pasted: StoredToken) -> None:
        """Store the environment's token the first time any worker sees this value."""
        digest = hashlib.sha256(self._pasted.reveal().encode()).hexdigest()[:32]
        now = self._clock()
        if await self._duties.lease.claim(SEED + digest, now=now, next_run=FOREVER, first_run=now):
            await self._duties.tokens.put(self._owner.account, pasted)
            logger.info("Instagram token from the environment stored (%s)", self._owner.account)

    def _use(self, stored: StoredToken) -> None:
        self._duties.mask(stored.token.reveal())
        self._client.use_token(stored.token)

    def _due(self, stored: StoredToken) -> bool:
        now = self._clock()
        return stored.refreshed_at + REFRESH_AFTER <= now < stored.expires_at

    async def _claim_refresh(self) -> bool:
        now = self._clock()
        lease = self._owner.claim(LEASE)
        return await self._duties.lease.claim(lease, now=now, next_run=now + RETRY, first_run=now)

    async def _refresh(self, stored: StoredToken) -> StoredToken:
        """Exchange the token; a refusal is logged (without the token) and tried again in
        an hour, and the old token keeps working until it expires."""
        try:
            refreshed = await self._client.refresh_token()
        except InstagramError as exc:
            logger.warning(
                "Instagram token not refreshed (%s): %s", self._owner.account, exc.reason
            )
            return stored
        now = self._clock()
        new = StoredToken(refreshed.token, now + refreshed.expires_in, now)
        self._use(new)
        await self._duties.tokens.put(self._owner.account, new)
        valid = new.expires_at.date()
        logger.info("Instagram token refreshed (%s); valid until %s", self._owner.account, valid)
        return new

    async def _warn(self, stored: StoredToken) -> None:
        """Once a day, across workers: the admins must paste a new token in time."""
        owner = self._owner
        if not await self._duties.notices.claim_daily(owner.claim(WARNING)):
            return
        left = stored.expires_at - self._clock()
        days = math.ceil(left / dt.timedelta(days=1))  # 4.9 days left reads "5 hari"
        logger.warning(
            "Instagram token expires in %d days, not refreshed (%s)", days, owner.account
        )
        expired = left <= dt.timedelta(0)
        text = texts.token_warning(None if expired else days, owner.office, owner.variable)
        await self._duties.alert(text)
