"""The console's records and the roles storage plays for it (`bot.storage.console` is the
real one), the announcements and outage notice of the core (`Broadcasts`, `OutageNotice`),
and the content studio's drafts and publications (`ContentDrafts`, `Publications`), all handed
in by the runtime."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal, Protocol

from bot.announcements.offices import OfficeNames
from bot.announcements.service import AnnouncementDraft
from bot.announcements.vocabulary import Announcement
from bot.content.vocabulary import PostText, Skipped
from bot.core.vocabulary import Notice
from bot.publishing.vocabulary import PublicationDesk, PublishedPosts
from bot.reporting.vocabulary import UnansweredRow

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


class UnansweredSource(Protocol):
    """The unanswered questions of a period, newest first (Belum terjawab)."""

    async def unanswered(
        self, *, since: dt.datetime, until: dt.datetime, limit: int = 2000
    ) -> list[UnansweredRow]: ...


class Offices(Protocol):
    """The offices served (id → name, in the directory's order; empty without offices.yaml)
    and the figures that compare them."""

    def names(self) -> Mapping[str, str]: ...

    async def figures(
        self, since: dt.datetime, until: dt.datetime, *, office: str | None = None
    ) -> list[OfficeFigures]:
        """Every office's figures of the period (only `office`'s when given)."""
        ...

    def unanswered_at(self, office: str) -> UnansweredSource:
        """Belum terjawab of the questions asked at `office`."""
        ...


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


class Broadcasts(Protocol):
    """Announcements as `/umumkan` makes them (`bot.announcements.service.Announcements`):
    a draft for one office or every office with its preview, then confirmed or cancelled
    within the account's office (`scope`; None: every office)."""

    offices: OfficeNames

    async def draft(
        self,
        text: str,
        *,
        channel: str,
        chat_id: str,
        user_id: str,
        office_id: str | None = None,
    ) -> AnnouncementDraft: ...

    async def confirm(self, announcement_id: int, *, scope: str | None = None) -> int | None: ...

    async def cancel(self, announcement_id: int, *, scope: str | None = None) -> bool: ...

    async def get(self, announcement_id: int) -> Announcement | None: ...

    async def account_office(self, name: str) -> str | None: ...


class OutageNotice(Protocol):
    """The outage notice as `/gangguan` sets it: pinned and cleared through the core's board
    (`bot.core.notices.OutageBoard`), read as the database holds it now."""

    async def current(self) -> Notice | None: ...

    async def pin(self, text: str, set_by: str) -> Notice: ...

    async def clear(self) -> bool: ...


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


class ContentDrafts(Protocol):
    """The week's kit in the database, so every admin and every worker sees the same words."""

    async def keep_kit(self, kit: NewKit) -> int:
        """Keep `kit` as the week's, in place of any earlier one; its id."""
        ...

    async def latest_kit(self) -> DraftKit | None: ...

    async def draft_post(self, kit_id: int, position: int) -> DraftPost | None: ...

    async def save_words(
        self, kit_id: int, position: int, texts: PostText, *, revision: int, by: str
    ) -> bool:
        """Keep edited words; False when the post is gone or no longer at `revision`."""
        ...

    async def approved(
        self, kit_id: int, position: int, *, revision: int, publication: int, replaces: int | None
    ) -> bool:
        """Note the publication the post became; False when the post changed meanwhile (its
        revision, or its publication is no longer `replaces`)."""
        ...


class Publications(PublicationDesk, PublishedPosts, Protocol):
    """The desk (`bot.publishing.desk.Desk`): schedule, list, cancel, and the reach."""


class ConsoleStore(Accounts, Sessions, Audit, Protocol):
    """Everything the console keeps in the database."""
