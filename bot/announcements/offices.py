"""The offices announcements can be for (issue 21): their ids and the names admins know them
by, and reading an office an admin typed (`kantor=kotabumi`). Empty when the deployment has
no office directory: then every announcement is for everyone, as before offices existed."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from bot.announcements import texts
from knowledge.offices import OfficeDirectory, office_named, plain_key

# What an admin of every office types for "all of them" (`kantor=semua`).
EVERY_OFFICE_WORDS = frozenset({"semua", "semuakantor", "all"})
_OFFICE = re.compile(r"^kantor=(\S+)\s*(.*)$", re.S | re.I)


@dataclass(frozen=True, slots=True)
class OfficeNames:
    """Each office's id and the name people use ("Kantor Imigrasi Kotabumi")."""

    names: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))

    def name(self, office_id: str | None) -> str:
        """How an admin reads the audience: the office's name, or "semua kantor"."""
        if office_id is None:
            return texts.ALL_OFFICES
        return self.names.get(office_id, office_id)

    def audience(self, office_id: str | None) -> str | None:
        """The preview's "Untuk pelanggan …"; None with no offices (the preview of old)."""
        return self.name(office_id) if self.names or office_id is not None else None

    def find(self, typed: str) -> str | None:
        """The office an admin named by its id or name; None when none is called so."""
        return office_named(self.names, typed)

    def known(self) -> str:
        """The ids an admin can type, for a refusal that says what would work."""
        return ", ".join(sorted(self.names)) or "-"


def office_names(directory: OfficeDirectory | None) -> OfficeNames:
    """The offices of the directory, by the names people use; none without a directory."""
    if directory is None:
        return OfficeNames()
    return OfficeNames(MappingProxyType(directory.names()))


def every_office(typed: str) -> bool:
    """Whether an admin asked for every office (`kantor=semua`)."""
    return plain_key(typed) in EVERY_OFFICE_WORDS


@dataclass(frozen=True, slots=True)
class Chosen:
    """An admin's command read: the office it is for (None: every office), the text left
    once `kantor=…` is taken off, and why it cannot be announced (None: it can)."""

    office_id: str | None
    text: str
    refusal: str | None = None


def choose(offices: OfficeNames, text: str, *, own: str | None) -> Chosen:
    """Read `kantor=NAME TEXT` from an admin acting for `own` (None: every office). Without
    `kantor=`, an office admin announces to their office and an admin of every office to all;
    an office admin naming another office is refused."""
    found = _OFFICE.match(text) if offices.names else None
    if found is None:
        return Chosen(own, text)
    typed, rest = found.group(1), found.group(2)
    chosen = None if every_office(typed) else offices.find(typed)
    if chosen is None and not every_office(typed):
        return Chosen(own, rest, texts.UNKNOWN_OFFICE.format(typed=typed, known=offices.known()))
    if own is not None and chosen != own:
        return Chosen(own, rest, texts.OTHER_OFFICE.format(own=offices.name(own)))
    return Chosen(chosen, rest)
