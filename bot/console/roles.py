"""The roles the runtime hands the console beyond its own store: the core's announcements
and outage notice (`Broadcasts`, `OutageNotice`), the offices served and their figures
(`Offices`, `UnansweredSource`), and the content studio's kept kit and the publishing desk
(`ContentDrafts`, `Publications`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Protocol

from bot.announcements.offices import OfficeNames
from bot.announcements.service import AnnouncementDraft
from bot.announcements.vocabulary import Announcement
from bot.console.vocabulary import DraftKit, DraftPost, NewKit, OfficeFigures
from bot.content.vocabulary import PostText
from bot.core.vocabulary import Notice
from bot.publishing.vocabulary import PublicationDesk, PublishedPosts
from bot.reporting.vocabulary import UnansweredRow


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
