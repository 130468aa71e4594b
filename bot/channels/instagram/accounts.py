"""Which professional account a chat writes to (issue 21: one Instagram account per office).

Every account of the Meta app shares one webhook, app secret and verify token; each webhook
entry names the account its events are for (`entry.id`, read by `inbound`, which skips an
account not configured). An account's replies must leave with
its own token, and an Instagram-scoped id (IGSID) means a person only to the account it was
issued for, so a chat with an office's account is its own chat: its id is the chat id as the
main account would have it (`<igsid>`, `private:<comment_id>`, `comment:<comment_id>`, ...)
followed by `@<account_id>`. A chat with the main account keeps the plain id, so chats,
windows and tickets from before are unchanged; the outbox, which keeps only the chat id,
therefore knows which account to send through.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from bot.channels.instagram.api import InstagramClient, InstagramError
from bot.channels.instagram.settings import InstagramSettings
from bot.core.errors import ConfigError
from knowledge.offices import OfficeDirectory

SEPARATOR = "@"  # neither an IGSID nor a comment id (digits) holds one


def split(chat_id: str) -> tuple[str, str | None]:
    """(the chat id as the main account has it, the office account's id or None)."""
    address, separator, account = chat_id.rpartition(SEPARATOR)
    return (address, account) if separator and address and account else (chat_id, None)


@dataclass(frozen=True, slots=True)
class Accounts:
    """The main account and the offices' accounts of one deployment."""

    main: str
    offices: Mapping[str, str]  # account id -> office id

    @classmethod
    def of(cls, settings: InstagramSettings, directory: OfficeDirectory | None) -> Accounts:
        """The accounts of `settings`; ConfigError when one names an office the directory
        does not have (without a directory there is nothing to check against)."""
        offices = {account: own.office for account, own in settings.office_accounts.items()}
        unknown = sorted(o for o in set(offices.values()) if directory and not directory.get(o))
        if directory is not None and unknown:
            known = ", ".join(office.id for office in directory.offices)
            raise ConfigError(
                f"INSTAGRAM_OFFICE_ACCOUNTS: no office {', '.join(unknown)} (known: {known})"
            )
        return cls(settings.account_id, offices)

    def chat_id(self, address: str, account: str) -> str:
        """The chat of `address` (as the main account has it) with `account` (an event's
        `account`: an office account's id, or "" for the main account)."""
        return f"{address}{SEPARATOR}{account}" if account in self.offices else address

    def office(self, chat_id: str) -> str | None:
        """The office whose account the chat writes to; None for the main account."""
        _, account = split(chat_id)
        return self.offices.get(account) if account else None


class Clients:
    """A Graph API client per account: the main one and one per office account, each on its
    account's token (kept fresh by `token`)."""

    def __init__(self, settings: InstagramSettings, main: InstagramClient) -> None:
        self.main = main
        self._offices = {
            account: InstagramClient(
                dataclasses.replace(settings, account_id=account, token=own.token)
            )
            for account, own in settings.office_accounts.items()
        }

    @property
    def offices(self) -> Mapping[str, InstagramClient]:
        """The office accounts' clients by account id (their tokens kept fresh by `token`)."""
        return MappingProxyType(self._offices)

    def of(self, chat_id: str) -> InstagramClient:
        """The client of the account the chat writes to.

        InstagramError (for good) for an account no longer configured: a queued reply must
        not go out from another account, where its IGSID means nobody."""
        _, account = split(chat_id)
        if account is None:
            return self.main
        if (client := self._offices.get(account)) is None:
            raise InstagramError("the office account is no longer configured", status=400)
        return client

    async def close(self) -> None:
        """Close every client's connections."""
        for client in (self.main, *self._offices.values()):
            await client.close()
