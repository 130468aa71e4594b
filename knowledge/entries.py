"""The vocabulary of the knowledge base: frozen value objects, no behaviour beyond lookups."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

TITLE_MAX = 24
ANSWER_SOFT_MAX = 700
# The short answer must fit one phone screen with the contact footer and its button.
SHORT_MAX = 350
# A whole answer up to this long is the first reply itself; it leaves room on the screen for
# the follow-ups and 👍/👎 that come with it. A longer one starts with the short answer.
WHOLE_FIRST_MAX = 300
MIN_QUESTIONS = 8


@dataclass(frozen=True, slots=True)
class Office:
    """The office's own contact details; empty strings mean "not verified yet"."""

    name: str = ""
    address: str = ""
    phone: str = ""
    whatsapp: str = ""
    email: str = ""
    instagram: str = ""
    hours: str = ""
    service_area: str = ""

    CONTACT_FIELDS = ("address", "phone", "whatsapp", "email", "instagram", "hours")

    def missing_contacts(self) -> list[str]:
        """Names of contact fields that are still empty."""
        return [name for name in self.CONTACT_FIELDS if not getattr(self, name).strip()]


@dataclass(frozen=True, slots=True)
class Entry:
    """One topic: example questions, the answer, and follow-ups."""

    id: str
    category: str
    title: str
    questions: tuple[str, ...]
    answer: str
    related: tuple[str, ...] = ()
    # The one thing a person needs first; the full `answer` is sent when they ask for it.
    short: str = ""
    keywords: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    reviewed: dt.date | None = None
    menu: bool = False
    # After this date the facts may be stale (a quota schedule, a fee notice): the bot stops
    # answering with it and `kb check` fails until someone reviews it.
    valid_until: dt.date | None = None
    # Only the office knows the rest (its quota schedule, refunds, local practice): every
    # channel offers a ticket to the officers right under the answer.
    office_dependent: bool = False
    # Who last checked the facts and against what; required where facts expire.
    reviewed_by: str = ""
    checked: str = ""

    def expired(self, today: dt.date) -> bool:
        """Whether the entry's `valid_until` has passed."""
        return self.valid_until is not None and today > self.valid_until

    @property
    def has_details(self) -> bool:
        """Whether the short answer comes first and the full one on request: an answer that
        is short already is simply sent whole."""
        return bool(self.short) and len(self.answer.strip()) > WHOLE_FIRST_MAX


@dataclass(frozen=True, slots=True)
class KnowledgeBase:
    """All entries plus the office profile, the national fallback contact and a content hash."""

    entries: tuple[Entry, ...]
    office: Office
    national_contact: str
    categories: dict[str, str] = field(default_factory=dict)
    version: str = ""
    # The same channels in fewer words, for the footer under a short answer.
    national_contact_short: str = ""

    def get(self, entry_id: str) -> Entry | None:
        """Return the entry with this id, or None."""
        for entry in self.entries:
            if entry.id == entry_id:
                return entry
        return None

    def expired(self, today: dt.date) -> list[Entry]:
        """Entries past their `valid_until`."""
        return [entry for entry in self.entries if entry.expired(today)]

    def menu_entries(self) -> list[Entry]:
        """Entries flagged for the main menu, in file order."""
        return [entry for entry in self.entries if entry.menu]
