"""Announcements to applicants who asked for them: opting in and out, an admin's draft and
its confirmation, and the restart-safe sender. No transport and no ORM: channels come in
through `Broadcaster`s, storage through `AnnouncementRecords` (both in
`bot.announcements.vocabulary`).
The sender, and how it delivers exactly once, is in `bot.announcements.sender`.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass

from bot.announcements import texts
from bot.announcements.offices import OfficeNames
from bot.announcements.sender import Sender, applicant_text
from bot.announcements.vocabulary import (
    Announcement,
    AnnouncementRecords,
)
from bot.core import replies
from bot.core.published import Contacts, redact_published
from bot.core.subscribing import SUBSCRIBE, UNSUBSCRIBE
from bot.core.vocabulary import Button, Reply

# The channels whose subscribers can be reached later: those with a broadcaster registered
# in this process (`Broadcasters.channels`); the terminal chat has none.
Channels = Callable[[], Collection[str]]
MAX_TEXT = 3500  # leaves room for the header and footer within one Telegram message


def problem(text: str) -> str | None:
    """Why an admin's text cannot be announced (empty, too long), or None."""
    if not text.strip():
        return replies.ANNOUNCE_USAGE
    if len(text) > MAX_TEXT:
        return replies.ANNOUNCE_TOO_LONG.format(length=len(text), limit=MAX_TEXT)
    return None


@dataclass(frozen=True, slots=True)
class AnnouncementDraft:
    """A stored draft and who would get it now: its audience's subscribers per channel, and
    the audience by name ("Kantor Imigrasi Kotabumi", "semua kantor"; None with no offices)."""

    announcement: Announcement
    subscribers: dict[str, int]
    audience: str | None = None

    def preview(self) -> str:
        """The admin's preview: who, how many, and the message exactly as subscribers see it."""
        channels = ", ".join(f"{name} {n}" for name, n in sorted(self.subscribers.items()))
        template = replies.ANNOUNCE_PREVIEW if self.audience is None else texts.PREVIEW
        return template.format(
            number=self.announcement.id,
            audience=self.audience,
            count=sum(self.subscribers.values()),
            channels=channels or "-",
            message=applicant_text(self.announcement.text),
        )


class Subscriptions:
    """Applicants opting in and out of announcements, on any channel that can broadcast."""

    def __init__(self, store: AnnouncementRecords, *, channels: Channels) -> None:
        self._store = store
        self._channels = channels

    def offered(self, channel: str) -> bool:
        """Whether this process can send announcements on `channel`."""
        return channel in self._channels()

    async def moved(self, channel: str, chat_id: str, office_id: str | None) -> None:
        """The chat changed office: its subscription, if any, now brings that office's news."""
        await self._store.move(channel, chat_id, office_id)

    async def change(
        self, channel: str, chat_id: str, *, subscribe: bool, office_id: str | None = None
    ) -> list[Reply]:
        """Opt in or out (idempotent) and say so; an opt-in is for `office_id`'s news."""
        if not self.offered(channel):
            return [Reply(replies.SUBSCRIBE_ELSEWHERE)]
        changed = await self._store.set_subscribed(
            channel, chat_id, subscribed=subscribe, office_id=office_id
        )
        if subscribe and not changed:
            await self._store.move(channel, chat_id, office_id)
        if subscribe:
            text = replies.SUBSCRIBED if changed else replies.ALREADY_SUBSCRIBED
            return [Reply(text, buttons=(Button(replies.UNSUBSCRIBE_BUTTON, UNSUBSCRIBE),))]
        text = replies.UNSUBSCRIBED if changed else replies.NOT_SUBSCRIBED
        return [Reply(text, buttons=(Button(replies.SUBSCRIBE_BUTTON, SUBSCRIBE),))]


class Announcements:
    """An admin's announcement, for one office's subscribers or every office's: drafted with
    a preview, then confirmed or cancelled. An admin acting for one office (`scope`) may only
    confirm or cancel that office's announcements; `scope=None` is an admin of every office."""

    def __init__(
        self,
        store: AnnouncementRecords,
        sender: Sender,
        *,
        channels: Channels | None = None,
        public: Contacts = tuple,
        offices: OfficeNames | None = None,
    ) -> None:
        self.sender = sender
        self.offices = offices or OfficeNames()
        self._store = store
        self._channels = channels or sender.broadcasters.channels
        self._public = public

    async def draft(
        self,
        text: str,
        *,
        channel: str,
        chat_id: str,
        user_id: str,
        office_id: str | None = None,
    ) -> AnnouncementDraft:
        """Store the admin's text as a draft for `office_id`'s subscribers (None: every
        office's), redacted as subscribers will get it (the preview shows it);
        `problem(text)` must be None."""
        created_by = f"{channel}:{chat_id}:{user_id}"
        kept = redact_published(text.strip(), self._public())
        announcement = await self._store.create_announcement(kept, created_by, office_id=office_id)
        counts = await self._store.subscriber_counts(office_id=office_id)
        return AnnouncementDraft(announcement, counts, self.offices.audience(office_id))

    async def confirm(self, announcement_id: int, *, scope: str | None = None) -> int | None:
        """Send a draft to its audience's current subscribers; their number, or None if it
        was no longer a draft (pressed twice, or cancelled) or is not within `scope`."""
        if not await self._within(announcement_id, scope):
            return None
        recipients = await self._store.confirm_announcement(
            announcement_id, tuple(self._channels())
        )
        if recipients is not None:
            self.sender.kick()
        return recipients

    async def cancel(self, announcement_id: int, *, scope: str | None = None) -> bool:
        """Drop a draft; False if it was already sent or cancelled, or is not within `scope`."""
        if not await self._within(announcement_id, scope):
            return False
        return await self._store.cancel_announcement(announcement_id)

    async def account_office(self, name: str) -> str | None:
        """The one office a console account announces for; None: every office."""
        return await self._store.account_office(name)

    async def _within(self, announcement_id: int, scope: str | None) -> bool:
        # An announcement's office never changes, so checking first cannot race the UPDATE.
        if scope is None:
            return True
        found = await self._store.get_announcement(announcement_id)
        return found is not None and found.within(scope)

    async def get(self, announcement_id: int) -> Announcement | None:
        """One announcement (to explain a stale button)."""
        return await self._store.get_announcement(announcement_id)
