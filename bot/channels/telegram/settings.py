"""What the Telegram channel is configured with, read from the TELEGRAM_* variables."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from bot.channels.telegram.pacing import Limit, PacingRules
from bot.core.env import positive_int
from bot.core.errors import ConfigError
from bot.core.secret import Secret, chosen_secret

TELEGRAM_API = "https://api.telegram.org/bot"


@dataclass(frozen=True, slots=True)
class TelegramSettings:
    """Telegram: the bot token, the API base URL, the officers' group and the admins."""

    token: Secret = field(default_factory=lambda: Secret(""))
    api_url: str = TELEGRAM_API
    officer_chat_id: int | None = None
    admin_ids: frozenset[int] = frozenset()
    webhook_secret: Secret = field(default_factory=lambda: Secret(""))
    # Many offices (issue 21): each office's own officers' group, and the admins who act for
    # one office only. `officer_chat_id` stays the group of tickets whose office has none;
    # `admin_ids` act for every office.
    office_groups: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))
    office_admins: Mapping[str, frozenset[int]] = field(
        default_factory=lambda: MappingProxyType({})
    )
    # Telegram's send limits (issue 22); a bot Telegram has granted more may raise them.
    pacing: PacingRules = field(default_factory=PacingRules)

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> TelegramSettings:
        """Read the TELEGRAM_* variables."""
        officers = (env.get("TELEGRAM_OFFICER_CHAT_ID") or "").strip()
        admins = [a.strip() for a in (env.get("TELEGRAM_ADMIN_IDS") or "").split(",") if a.strip()]
        try:
            officer_chat = int(officers) if officers else None
            admin_ids = frozenset(int(a) for a in admins)
        except ValueError as exc:
            raise ConfigError(
                "TELEGRAM_OFFICER_CHAT_ID and TELEGRAM_ADMIN_IDS must be numbers"
            ) from exc
        return cls(
            token=Secret(env.get("TELEGRAM_BOT_TOKEN") or ""),
            api_url=env.get("TELEGRAM_API_URL") or TELEGRAM_API,
            officer_chat_id=officer_chat,
            admin_ids=admin_ids,
            webhook_secret=chosen_secret(env, "TELEGRAM_WEBHOOK_SECRET"),
            office_groups=MappingProxyType(
                {office: ids[-1] for office, ids in _pairs(env, "TELEGRAM_OFFICE_GROUPS").items()}
            ),
            office_admins=MappingProxyType(
                {
                    office: frozenset(ids)
                    for office, ids in _pairs(env, "TELEGRAM_OFFICE_ADMINS").items()
                }
            ),
            pacing=pacing_rules(env),
        )

    def office_of_admin(self, user_id: int) -> str | None:
        """The one office an office admin acts for; None for an admin of every office (and
        for anyone else: ask `is_admin` first)."""
        if user_id in self.admin_ids:
            return None
        return next((o for o, ids in self.office_admins.items() if user_id in ids), None)

    def is_admin(self, user_id: int) -> bool:
        """An admin of every office or of one."""
        return user_id in self.admin_ids or any(
            user_id in ids for ids in self.office_admins.values()
        )

    def office_of_group(self, chat_id: int) -> str | None:
        """The office whose officers' group this is; None for the default group or another."""
        return next((o for o, group in self.office_groups.items() if group == chat_id), None)

    @property
    def enabled(self) -> bool:
        """Whether the bot token is set (the officers' group and admins need it too)."""
        return bool(self.token)

    def missing(self) -> tuple[str, ...]:
        """With a token, `serve` needs the webhook secret: without one /telegram would accept
        anyone's updates."""
        return ("TELEGRAM_WEBHOOK_SECRET",) if self.token and not self.webhook_secret else ()

    def secrets(self) -> tuple[str, ...]:
        """The token (it is in every Bot API URL) and the webhook secret."""
        return (self.token.reveal(), self.webhook_secret.reveal())


def _pairs(env: Mapping[str, str], name: str) -> dict[str, list[int]]:
    """`office:number` pairs separated by commas ("kotabumi:-1001,kalianda:-1002"); an office
    may repeat (several admins)."""
    found: dict[str, list[int]] = {}
    for pair in (p.strip() for p in (env.get(name) or "").split(",")):
        if not pair:
            continue
        office, _, number = pair.rpartition(":")
        try:
            value = int(number)
        except ValueError as exc:
            raise ConfigError(f"{name}: expected office:number pairs, got {pair!r}") from exc
        if not office.strip():
            raise ConfigError(f"{name}: expected office:number pairs, got {pair!r}")
        found.setdefault(office.strip(), []).append(value)
    return found


def pacing_rules(env: Mapping[str, str]) -> PacingRules:
    """The send limits: counts are settings, the windows (1 s, 3 s, a minute) are Telegram's."""
    rules = PacingRules()
    return PacingRules(
        overall=_limit(env, "TELEGRAM_SENDS_PER_SECOND", rules.overall),
        private_chat=_limit(env, "TELEGRAM_PRIVATE_SENDS_PER_3_SECONDS", rules.private_chat),
        group=_limit(env, "TELEGRAM_GROUP_SENDS_PER_MINUTE", rules.group),
    )


def _limit(env: Mapping[str, str], name: str, default: Limit) -> Limit:
    """`default` with its count from `name`, a whole number of at least 1."""
    return Limit(positive_int(env, name, default.count), default.seconds)
