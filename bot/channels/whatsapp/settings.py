"""What the WhatsApp channel is configured with, read from the WHATSAPP_* variables."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from bot.core.secret import Secret, chosen_secret

WHATSAPP_API = "https://graph.facebook.com/v21.0"


@dataclass(frozen=True, slots=True)
class WhatsAppSettings:
    """WhatsApp Cloud API: credentials, the sending number and the Graph API base URL."""

    token: Secret = field(default_factory=lambda: Secret(""))
    app_secret: Secret = field(default_factory=lambda: Secret(""))
    verify_token: Secret = field(default_factory=lambda: Secret(""))
    phone_number_id: str = ""
    api_url: str = WHATSAPP_API
    template: str = ""

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> WhatsAppSettings:
        """Read the WHATSAPP_* variables."""
        return cls(
            token=Secret(env.get("WHATSAPP_TOKEN") or ""),
            app_secret=Secret(env.get("WHATSAPP_APP_SECRET") or ""),
            verify_token=chosen_secret(env, "WHATSAPP_VERIFY_TOKEN"),
            phone_number_id=(env.get("WHATSAPP_PHONE_NUMBER_ID") or "").strip(),
            api_url=(env.get("WHATSAPP_API_URL") or WHATSAPP_API).rstrip("/"),
            template=(env.get("WHATSAPP_TEMPLATE") or "").strip(),
        )

    @property
    def enabled(self) -> bool:
        """Whether enough is configured to receive and send."""
        return bool(self.token and self.app_secret and self.phone_number_id)

    def missing(self) -> tuple[str, ...]:
        """The WHATSAPP_* variables not set when some are (none when WhatsApp is off)."""
        given = {
            "WHATSAPP_TOKEN": bool(self.token),
            "WHATSAPP_APP_SECRET": bool(self.app_secret),
            "WHATSAPP_VERIFY_TOKEN": bool(self.verify_token),
            "WHATSAPP_PHONE_NUMBER_ID": bool(self.phone_number_id),
        }
        if not any(given.values()):
            return ()
        return tuple(name for name, is_set in given.items() if not is_set)

    def secrets(self) -> tuple[str, ...]:
        """The credentials, and the number's id (it is in every Graph API URL)."""
        return (
            self.token.reveal(),
            self.app_secret.reveal(),
            self.verify_token.reveal(),
            self.phone_number_id,
        )
