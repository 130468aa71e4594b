"""Who may run an admin command on Telegram, and for which office (issue 21).

Admins of every office (`TELEGRAM_ADMIN_IDS`) read the combined figures, with the comparison
between offices, or one office's by naming it (`/laporan kotabumi`). Office admins
(`TELEGRAM_OFFICE_ADMINS`) read their own office's figures only, and the commands that change
something every office shares (the knowledge base, the app-outage notice) are refused to them.
Refusals are logged with the user's salted hash, never the raw id.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import partial

from telegram import Message, User

from bot.channels.telegram import staff_text
from bot.channels.telegram.channel import with_retry
from bot.channels.telegram.settings import TelegramSettings
from bot.reporting.offices import find_office

logger = logging.getLogger(__name__)

NATIONAL_ONLY = (
    "Maaf, /{command} berlaku untuk semua kantor, jadi hanya admin semua kantor yang bisa"
    " memakainya. Anda admin {office}."
)
OTHER_OFFICE = "Maaf, Anda admin {office}: angka kantor lain tidak bisa dibuka."
UNKNOWN_OFFICE = "Kantor {wanted!r} tidak dikenal. Kantor yang ada: {known}."


@dataclass(frozen=True, slots=True)
class Admitted:
    """An admin let through: `office` is the one office they act for (None: every office)."""

    office: str | None


@dataclass(frozen=True, slots=True)
class AdminAccess:
    """The admins from the Telegram settings and the offices' names (id → short name)."""

    settings: TelegramSettings
    hash_user: Callable[[str], str]
    names: Mapping[str, str] = field(default_factory=dict)

    async def admit(self, message: Message, user: User, command: str) -> Admitted | None:
        """The admin's office, or None after refusing a non-admin politely."""
        if self.settings.is_admin(user.id):
            return Admitted(self.settings.office_of_admin(user.id))
        hashed = self.hash_user(str(user.id))[:16]
        logger.warning("admin command /%s refused for user %s", command, hashed)
        await with_retry(partial(message.reply_text, staff_text.NOT_ADMIN))
        return None

    async def admit_national(self, message: Message, user: User, command: str) -> bool:
        """True for an admin of every office; an office admin is told why not."""
        admitted = await self.admit(message, user, command)
        if admitted is None:
            return False
        if admitted.office is None:
            return True
        refusal = NATIONAL_ONLY.format(command=command, office=self.name(admitted.office))
        logger.info("national command /%s refused for an office admin", command)
        await with_retry(partial(message.reply_text, refusal))
        return False

    def office_asked(self, admitted: Admitted, wanted: str) -> str | Refusal | None:
        """Whose figures the admin gets: an office admin their own office's, an admin of
        every office the office `wanted` names (empty: None, every office combined)."""
        if not wanted.strip():
            return admitted.office
        office = find_office(self.names, wanted)
        if office is None:
            known = ", ".join(sorted(self.names)) or "-"
            return Refusal(UNKNOWN_OFFICE.format(wanted=wanted.strip(), known=known))
        if admitted.office is not None and office != admitted.office:
            logger.info("an office admin asked for another office's figures")
            return Refusal(OTHER_OFFICE.format(office=self.name(admitted.office)))
        return office

    def name(self, office: str) -> str:
        """An office's short name, else its id."""
        return self.names.get(office, office)


@dataclass(frozen=True, slots=True)
class Refusal:
    """Why an admin cannot have the figures asked for (said to them as it is)."""

    text: str
