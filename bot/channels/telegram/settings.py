"""What the Telegram channel is configured with, read from the TELEGRAM_* variables."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

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
        )

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
