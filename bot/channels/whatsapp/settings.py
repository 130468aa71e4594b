"""What the WhatsApp channel is configured with, read from the WHATSAPP_* variables."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from bot.core.errors import ConfigError
from bot.core.secret import Secret, chosen_secret

WHATSAPP_API = "https://graph.facebook.com/v21.0"


@dataclass(frozen=True, slots=True)
class WhatsAppSettings:
    """WhatsApp Cloud API: credentials, the main number, the offices' own numbers and the
    Graph API base URL."""

    token: Secret = field(default_factory=lambda: Secret(""))
    app_secret: Secret = field(default_factory=lambda: Secret(""))
    verify_token: Secret = field(default_factory=lambda: Secret(""))
    phone_number_id: str = ""
    api_url: str = WHATSAPP_API
    template: str = ""
    # Many offices (issue 21): numbers of the same business account, each bound to an office
    # (phone number id -> office id). The main number is bound to none: `OFFICE` applies.
    office_numbers: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))

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
            office_numbers=MappingProxyType(_office_numbers(env)),
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
        if not any(given.values()) and not self.office_numbers:
            return ()
        return tuple(name for name, is_set in given.items() if not is_set)

    def secrets(self) -> tuple[str, ...]:
        """The credentials, and the numbers' ids (they are in every Graph API URL)."""
        return (
            self.token.reveal(),
            self.app_secret.reveal(),
            self.verify_token.reveal(),
            self.phone_number_id,
            *self.office_numbers,
        )


def _office_numbers(env: Mapping[str, str]) -> dict[str, str]:
    """WHATSAPP_OFFICE_NUMBERS: `office:phone_number_id` pairs separated by commas; an office
    may have several numbers, a number only one office, and the main number none."""
    name = "WHATSAPP_OFFICE_NUMBERS"
    main = (env.get("WHATSAPP_PHONE_NUMBER_ID") or "").strip()
    found: dict[str, str] = {}
    for pair in (p.strip() for p in (env.get(name) or "").split(",")):
        if not pair:
            continue
        office, _, number = (part.strip() for part in pair.rpartition(":"))
        # Digits only: the id goes into the Graph API URL path.
        if not office or not (number.isascii() and number.isdigit()):
            raise ConfigError(f"{name}: expected office:phone_number_id pairs, got {pair!r}")
        if number == main or found.get(number, office) != office:
            raise ConfigError(f"{name}: a number serves one office, not the main number too")
        found[number] = office
    return found
