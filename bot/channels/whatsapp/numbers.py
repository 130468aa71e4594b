"""Which business number a chat writes to (issue 21: one number per office).

Every number of the business account shares one webhook, token and app; Meta names the
number written to in each webhook call (`metadata.phone_number_id`). A reply must leave from
that number, and WhatsApp counts the 24-hour window per number, so a chat with an office's
number is its own chat: its id is `<wa_id>@<phone_number_id>`. A chat with the main number
keeps the plain `<wa_id>`, so chats, contact windows and tickets from before are unchanged.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from bot.channels.whatsapp.settings import WhatsAppSettings
from bot.core.errors import ConfigError
from knowledge.offices import OfficeDirectory

SEPARATOR = "@"  # neither a wa_id (digits) nor a BSUID ("ID.123…") holds one


def split(chat_id: str) -> tuple[str, str | None]:
    """(the applicant's address, the office number's id, None for the main number)."""
    address, separator, number = chat_id.partition(SEPARATOR)
    return (address, number) if separator and number else (address, None)


@dataclass(frozen=True, slots=True)
class Numbers:
    """The main number and the offices' numbers of one deployment."""

    main: str
    offices: Mapping[str, str]  # phone number id -> office id

    @classmethod
    def of(cls, settings: WhatsAppSettings, directory: OfficeDirectory | None) -> Numbers:
        """The numbers of `settings`; ConfigError when one names an office the directory
        does not have (without a directory there is nothing to check against)."""
        if directory is not None:
            named = set(settings.office_numbers.values())
            if unknown := sorted(office for office in named if directory.get(office) is None):
                known = ", ".join(office.id for office in directory.offices)
                raise ConfigError(
                    f"WHATSAPP_OFFICE_NUMBERS: no office {', '.join(unknown)} (known: {known})"
                )
        return cls(settings.phone_number_id, settings.office_numbers)

    def known(self, number: str) -> bool:
        """Whether messages to `number` are ours to answer; a webhook call that names no
        number is taken as one to the main number."""
        return number in ("", self.main) or number in self.offices

    def chat_id(self, address: str, number: str) -> str:
        """The chat of `address` with `number` (a known one)."""
        return f"{address}{SEPARATOR}{number}" if number in self.offices else address

    def office(self, chat_id: str) -> str | None:
        """The office whose number the chat writes to; None for the main number."""
        _, number = split(chat_id)
        return self.offices.get(number) if number else None
