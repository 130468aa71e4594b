"""What the Instagram channel is configured with, read from the INSTAGRAM_* variables."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from bot.core.errors import ConfigError
from bot.core.secret import Secret, chosen_secret

INSTAGRAM_API = "https://graph.instagram.com/v26.0"
# An officer who types in the Instagram app is usually answering more than one message; an hour
# of quiet lets them finish without the bot talking over them.
TAKEOVER_MINUTES = 60
# Meta allows an account 750 private replies to comments an hour; every `serve` worker draws on
# the one budget kept in the database (see `budget`).
PRIVATE_REPLY_RATE = (750, 3600.0)
REQUIRED = (
    "INSTAGRAM_ACCESS_TOKEN",
    "INSTAGRAM_APP_SECRET",
    "INSTAGRAM_VERIFY_TOKEN",
    "INSTAGRAM_ACCOUNT_ID",
)
OFFICE_ACCOUNTS = "INSTAGRAM_OFFICE_ACCOUNTS"
OFFICE_TOKEN = "INSTAGRAM_OFFICE_TOKEN_"  # + the office id, upper case, "-" as "_"


@dataclass(frozen=True, slots=True)
class OfficeAccount:
    """An office's own professional account (issue 21): the office and the account's token."""

    office: str
    token: Secret


@dataclass(frozen=True, slots=True)
class InstagramSettings:
    """Instagram: credentials, the professional account, the API base URL and the human rules."""

    token: Secret = field(default_factory=lambda: Secret(""))
    app_secret: Secret = field(default_factory=lambda: Secret(""))
    verify_token: Secret = field(default_factory=lambda: Secret(""))
    account_id: str = ""
    api_url: str = INSTAGRAM_API
    human_agent: bool = False  # the app has Meta's Human Agent feature: 7 days for officers
    takeover: dt.timedelta = dt.timedelta(minutes=TAKEOVER_MINUTES)
    private_replies: tuple[int, float] = PRIVATE_REPLY_RATE  # (replies, per seconds): the account
    # Many offices (issue 21): accounts of the same Meta app, each bound to an office (account
    # id -> its office and token). The main account is bound to none: `OFFICE` applies.
    office_accounts: Mapping[str, OfficeAccount] = field(
        default_factory=lambda: MappingProxyType({})
    )

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> InstagramSettings:
        """Read the INSTAGRAM_* variables; ConfigError names a malformed one."""
        return cls(
            token=Secret((env.get("INSTAGRAM_ACCESS_TOKEN") or "").strip()),
            app_secret=Secret((env.get("INSTAGRAM_APP_SECRET") or "").strip()),
            verify_token=chosen_secret(env, "INSTAGRAM_VERIFY_TOKEN"),
            account_id=_account_id(env),
            api_url=(env.get("INSTAGRAM_API_URL") or INSTAGRAM_API).strip().rstrip("/"),
            human_agent=_flag(env, "INSTAGRAM_HUMAN_AGENT"),
            takeover=dt.timedelta(minutes=_minutes(env, "INSTAGRAM_TAKEOVER_MINUTES")),
            private_replies=_rate(env, "INSTAGRAM_PRIVATE_REPLY_RATE"),
            office_accounts=MappingProxyType(_office_accounts(env)),
        )

    @property
    def enabled(self) -> bool:
        """Whether enough is configured to receive and send."""
        return not self._unset()

    def missing(self) -> tuple[str, ...]:
        """The required variables still unset when some are set (none when none or all are)."""
        unset = self._unset()
        return () if len(unset) == len(REQUIRED) and not self.office_accounts else unset

    def secrets(self) -> tuple[str, ...]:
        """The secret values, for masking log lines (the offices' tokens among them)."""
        offices = tuple(account.token for account in self.office_accounts.values())
        values = (self.token, self.app_secret, self.verify_token, *offices)
        return tuple(secret.reveal() for secret in values if secret)

    def _unset(self) -> tuple[str, ...]:
        values = (self.token, self.app_secret, self.verify_token, self.account_id)
        return tuple(name for name, value in zip(REQUIRED, values, strict=True) if not value)


def _account_id(env: Mapping[str, str]) -> str:
    value = (env.get("INSTAGRAM_ACCOUNT_ID") or "").strip()
    if value and not value.isdigit():
        # It goes into every request path; anything but digits would address another node.
        raise ConfigError("INSTAGRAM_ACCOUNT_ID must be the account's numeric id")
    return value


def _office_accounts(env: Mapping[str, str]) -> dict[str, OfficeAccount]:
    """INSTAGRAM_OFFICE_ACCOUNTS: `office:account_id` pairs separated by commas, one account
    per office (its token is INSTAGRAM_OFFICE_TOKEN_<OFFICE>); never the main account."""
    main = (env.get("INSTAGRAM_ACCOUNT_ID") or "").strip()
    found: dict[str, OfficeAccount] = {}
    for pair in (p.strip() for p in (env.get(OFFICE_ACCOUNTS) or "").split(",")):
        if not pair:
            continue
        office, _, account = (part.strip() for part in pair.rpartition(":"))
        # Digits only: the id goes into every request path.
        if not office or not (account.isascii() and account.isdigit()):
            raise ConfigError(f"{OFFICE_ACCOUNTS}: expected office:account_id pairs, got {pair!r}")
        if account == main or account in found or office in _offices(found):
            raise ConfigError(f"{OFFICE_ACCOUNTS}: one account per office, not the main one")
        found[account] = OfficeAccount(office, _office_token(env, office))
    return found


def _offices(accounts: Mapping[str, OfficeAccount]) -> set[str]:
    return {account.office for account in accounts.values()}


def token_variable(office: str) -> str:
    """The variable holding an office account's token: kotabumi -> ..._KOTABUMI."""
    return OFFICE_TOKEN + office.upper().replace("-", "_")


def _office_token(env: Mapping[str, str], office: str) -> Secret:
    name = token_variable(office)
    token = (env.get(name) or "").strip()
    if not token:
        raise ConfigError(f"{OFFICE_ACCOUNTS} names {office}: {name} must hold its token")
    return Secret(token)


def _flag(env: Mapping[str, str], name: str) -> bool:
    value = (env.get(name) or "0").strip()
    if value not in ("0", "1"):
        raise ConfigError(f"{name} must be 0 or 1")
    return value == "1"


def _minutes(env: Mapping[str, str], name: str) -> int:
    raw = (env.get(name) or "").strip()
    if not raw:
        return TAKEOVER_MINUTES
    if not raw.isdigit():
        raise ConfigError(f"{name} must be a whole number of minutes")
    return int(raw)


def _rate(env: Mapping[str, str], name: str) -> tuple[int, float]:
    raw = (env.get(name) or "").strip()
    if not raw:
        return PRIVATE_REPLY_RATE
    count, _, seconds = raw.partition("/")
    if not (count.strip().isdigit() and seconds.strip().isdigit()):
        raise ConfigError(f"{name} must be replies/seconds, e.g. 750/3600")
    if int(count) < 1 or int(seconds) < 1:
        raise ConfigError(f"{name} needs at least 1 reply in at least 1 second")
    return int(count), float(seconds)
