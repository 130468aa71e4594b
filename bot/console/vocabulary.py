"""The console's records, which storage fills, and the roles storage plays for the console's
accounts, sessions and audit log (`bot.storage.console` is the real one). The other roles the
runtime hands in (the core's announcements and outage notice, the offices, the content
studio's drafts and the publishing desk) are in `bot.console.roles`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, Protocol

from bot.content.vocabulary import PostText, Skipped

Role = Literal["admin", "petugas"]
ROLES: tuple[Role, ...] = ("admin", "petugas")


@dataclass(frozen=True, slots=True)
class Account:
    """A console user; `password_hash` is an argon2 hash, never the password."""

    name: str
    role: Role
    password_hash: str
    active: bool
    created_at: dt.datetime
    office: str | None = None  # the one office it serves; None: every office


@dataclass(frozen=True, slots=True)
class Session:
    """A signed-in browser: the account behind it and the form token of its pages."""

    name: str
    role: Role
    csrf: str
    expires_at: dt.datetime
    office: str | None = None  # read with the session each request: a changed office counts

    @property
    def can_edit(self) -> bool:
        """Only admins change anything; petugas read."""
        return self.role == "admin"

    @property
    def every_office(self) -> bool:
        """A regional or national account: every office's data, and faq.yaml itself."""
        return self.office is None

    @property
    def can_edit_kb(self) -> bool:
        """faq.yaml is national: only admins of every office edit its entries."""
        return self.can_edit and self.every_office

    def may_act_on(self, office: str | None) -> bool:
        """Whether this account may change an item of `office` (None: a national item)."""
        return self.can_edit and (self.every_office or office == self.office)

    def may_see(self, office: str | None) -> bool:
        """Whether an item of `office` is shown: national items are read by everyone."""
        return self.every_office or office is None or office == self.office


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One change made in the console: who, when, what, and the text before and after."""

    id: int
    at: dt.datetime
    who: str
    action: str
    target: str
    before: str | None
    after: str | None


@dataclass(frozen=True, slots=True)
class HeardVoice:
    """A complaint or suggestion (redacted), and whether and how the office handled it."""

    id: int
    created_at: dt.datetime
    topic: str
    kind: str
    text_redacted: str
    faq_id: str | None
    handled_at: dt.datetime | None
    handled_by: str | None
    note: str | None


@dataclass(frozen=True, slots=True)
class VoiceFilter:
    """Which complaints and suggestions to list: those from `since` to before `until`, of
    `topic` only (None: all), and only the handled (True) or the unhandled (False) ones."""

    since: dt.datetime
    until: dt.datetime
    topic: str | None = None
    handled: bool | None = None
    office: str | None = None  # only those asked at this office (None: every office)


@dataclass(frozen=True, slots=True)
class VoiceTally:
    """How many complaints or suggestions (`kind`) of one topic fell in one bucket (a week),
    handled or not."""

    bucket: int
    topic: str
    kind: str
    handled: bool
    count: int


class Voices(Protocol):
    """The complaints and suggestions heard, and their handling."""

    async def voices(self, chosen: VoiceFilter, *, limit: int) -> list[HeardVoice]: ...

    async def tally(
        self, bounds: Sequence[dt.datetime], *, office: str | None = None
    ) -> list[VoiceTally]: ...

    async def handle_voice(
        self, voice_id: int, who: str, note: str, *, office: str | None = None
    ) -> HeardVoice | None:
        """Mark one handled; None when it does not exist or (with `office`) is another
        office's."""
        ...


@dataclass(frozen=True, slots=True)
class EntryUsage:
    """How an entry fared in a period: answers given with it, 👍/👎 on them, recent questions
    (redacted, newest first)."""

    asked: int
    helpful: int
    unhelpful: int
    recent: tuple[tuple[dt.datetime, str], ...]


class Usage(Protocol):
    """Figures of one entry from the question log."""

    async def entry_usage(
        self,
        entry_id: str,
        *,
        since: dt.datetime,
        until: dt.datetime,
        limit: int,
        office: str | None = None,
    ) -> EntryUsage: ...


@dataclass(frozen=True, slots=True)
class OfficeFigures:
    """One office's applicant messages in a period (`office` None: logged without an
    office), how many were answered outright or not (fallback or "Maksud Anda…?"), the
    tickets opened, and the 👍/👎 on its answers."""

    office: str | None
    questions: int
    answered: int
    unanswered: int
    tickets: int
    helpful: int
    unhelpful: int


class Accounts(Protocol):
    """The console's accounts."""

    async def add_account(
        self, name: str, role: Role, password_hash: str, *, office: str | None = None
    ) -> bool: ...

    async def account(self, name: str) -> Account | None: ...

    async def accounts(self) -> list[Account]: ...

    async def disable_account(self, name: str) -> bool: ...

    async def set_password_hash(self, name: str, password_hash: str) -> None: ...


class Sessions(Protocol):
    """Server-side sessions, known by the hash of the cookie's token."""

    async def open_session(
        self, token_hash: str, name: str, csrf: str, expires_at: dt.datetime
    ) -> None: ...

    async def session(self, token_hash: str, now: dt.datetime) -> Session | None: ...

    async def close_session(self, token_hash: str) -> None: ...


class Audit(Protocol):
    """The audit log: every change, readable by admins."""

    async def record(
        self, who: str, action: str, target: str, *, before: str | None, after: str | None
    ) -> None: ...

    async def recent(self, limit: int = 200) -> list[AuditEntry]: ...


@dataclass(frozen=True, slots=True)
class DraftPost:
    """One post of the week's kit as the console keeps it: its words as last saved, why its
    topic was picked, who changed the words last, and the publication it was approved as.
    `revision` grows with every save and approval, so a form made from an older one is
    refused instead of overwriting what another admin did meanwhile."""

    kit_id: int
    position: int
    reason: str
    texts: PostText
    revision: int
    edited_by: str | None = None
    edited_at: dt.datetime | None = None
    publication_id: int | None = None

    @property
    def entry_id(self) -> str:
        return self.texts.entry_id


@dataclass(frozen=True, slots=True)
class NewKit:
    """A kit just made, to be kept: who asked, the week read and the day planned, each post's
    words with the reason for its topic, and the notes on what was left out."""

    made_by: str
    last_day: dt.date
    planned: dt.date
    posts: tuple[tuple[PostText, str], ...]
    skipped: tuple[Skipped, ...] = ()


@dataclass(frozen=True, slots=True)
class DraftKit:
    """The kit as kept (the newest one is the week's): its posts in order and the notes."""

    id: int
    made_at: dt.datetime
    made_by: str
    last_day: dt.date
    planned: dt.date
    posts: tuple[DraftPost, ...]
    skipped: tuple[Skipped, ...] = ()


class ConsoleStore(Accounts, Sessions, Audit, Protocol):
    """Everything the console keeps in the database."""
