"""Which officers' group a ticket belongs to: its office's own group, else the default group
(`TELEGRAM_OFFICER_CHAT_ID`) for tickets whose office has none, or that have no office."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from bot.channels.telegram.settings import TelegramSettings
from bot.core.vocabulary import Ticket


@dataclass(frozen=True, slots=True)
class StaffGroups:
    """The officers' groups and the offices they serve; `names` are the offices' short
    names ("Kantor Imigrasi Kotabumi"), handed in by the composition root."""

    default: int | None = None
    by_office: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))
    names: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))

    @classmethod
    def of(cls, settings: TelegramSettings, names: Mapping[str, str]) -> StaffGroups:
        """The groups the Telegram settings name."""
        return cls(settings.officer_chat_id, settings.office_groups, MappingProxyType(names))

    @property
    def chats(self) -> frozenset[int]:
        """Every officers' group."""
        default = {self.default} if self.default is not None else set()
        return frozenset({*self.by_office.values(), *default})

    def chat_for(self, office_id: str | None) -> int | None:
        """The group that handles tickets of this office (None: no group at all)."""
        if office_id is not None and office_id in self.by_office:
            return self.by_office[office_id]
        return self.default

    def may_act(self, chat_id: int, ticket: Ticket) -> bool:
        """Whether the officers of this group handle the ticket."""
        return self.chat_for(ticket.office_id) == chat_id

    def office_name(self, office_id: str | None) -> str | None:
        """The office's short name (its id when the directory does not know it)."""
        return None if office_id is None else self.names.get(office_id, office_id)

    def where(self, ticket: Ticket) -> str:
        """Where the ticket is handled, for a refusal: its office's group or the default."""
        if ticket.office_id is not None and ticket.office_id in self.by_office:
            return f"grup petugas {self.office_name(ticket.office_id)}"
        return "grup petugas utama"
