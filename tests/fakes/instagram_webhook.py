"""Meta's side of the Instagram webhook, mixed into `FakeInstagram`: builds signed bodies for
what people do (write, tap, send media, react, comment) and what the office's account does
(echoes of the bot's sends, an officer typing in the app, the office's own comments), records
what opens a window or makes a comment repliable, and posts them to the bot. What happens on
another account of the app (an office's: `to=`, `on=`) comes in an entry with that account's id.
"""

from __future__ import annotations

from typing import Any

from . import instagram_payloads as payloads
from .instagram_payloads import CommentRecord, IgSent, IgUser
from .meta import MetaFake

POST_ID = "17999000000000001"
OFFICE_USERNAME = "kanim.kalianda"


class MetaSide(MetaFake):
    """Needs from the fake, besides what `MetaFake` holds: `account_id` and `_state`."""

    account_id: str
    _state: Any

    # --- entries, for batches of many -------------------------------------------------------

    def dm_entry(
        self, user: IgUser, content: dict[str, Any], *, to: str | None = None
    ) -> dict[str, Any]:
        """An entry with one event from `user` to account `to` (default: the main one);
        opens their 24-hour window with that account."""
        now, account = self.now(), to or self.account_id
        with self._lock:
            self._state.last_inbound[(account, user.igsid)] = now
        event = payloads.event(user.igsid, account, int(now * 1000), **content)
        return payloads.messaging_entry(account, [event], int(now))

    def echo_entry(
        self, user: IgUser, mid: str, text: str, *, account: str | None = None
    ) -> dict[str, Any]:
        """The office's message to `user` coming back as an echo."""
        now, account = self.now(), account or self.account_id
        content = payloads.echo(mid, text)
        event = payloads.event(account, user.igsid, int(now * 1000), **content)
        return payloads.messaging_entry(account, [event], int(now))

    def comment_value(
        self,
        user: IgUser,
        text: str,
        *,
        media_id: str = POST_ID,
        parent_id: str | None = None,
        on: str | None = None,
    ) -> tuple[dict[str, Any], str]:
        """A comment's value on a post of account `on` (default: the main one), registered
        so the bot may reply to it; and its id."""
        comment_id = payloads.number_id()
        record = CommentRecord(user, self.now(), parent_id, account=on or self.account_id)
        with self._lock:
            self._state.comments[comment_id] = record
        value = payloads.comment_value(comment_id, text, user, media_id, parent_id)
        return value, comment_id

    def comment_entry(self, *values: dict[str, Any], on: str | None = None) -> dict[str, Any]:
        return payloads.changes_entry(on or self.account_id, list(values), int(self.now()))

    @property
    def office(self) -> IgUser:
        return IgUser(self.account_id, OFFICE_USERNAME)

    # --- what people and the office do -------------------------------------------------------

    async def user_says(self, user: IgUser, text: str, *, to: str | None = None) -> int:
        return await self.post_entries(self.dm_entry(user, payloads.text(text), to=to))

    async def user_replies_to_story(self, user: IgUser, text: str, story_id: str) -> int:
        return await self.post_entries(self.dm_entry(user, payloads.story_reply(text, story_id)))

    async def user_taps(self, user: IgUser, sent: IgSent, title: str) -> int:
        """Tap a quick reply of a message the bot sent, by its title (in the chat with the
        account that sent it)."""
        payload = {t: p for p, t in sent.choices}[title]
        content = payloads.quick_reply(title, payload)
        return await self.post_entries(self.dm_entry(user, content, to=sent.account or None))

    async def user_taps_ice_breaker(self, user: IgUser, question: str, payload: str) -> int:
        return await self.post_entries(self.dm_entry(user, payloads.postback(question, payload)))

    async def user_sends(self, user: IgUser, kind: str) -> int:
        return await self.post_entries(self.dm_entry(user, payloads.attachment(kind)))

    async def user_reacts(self, user: IgUser, mid: str) -> int:
        return await self.post_entries(self.dm_entry(user, payloads.reaction(mid)))

    async def echo(self, sent: IgSent) -> int:
        """Meta's echo of a message the bot sent."""
        user = IgUser(sent.to)
        entry = self.echo_entry(user, sent.mid, sent.text, account=sent.account or None)
        return await self.post_entries(entry)

    async def officer_types(self, user: IgUser, text: str) -> tuple[int, str]:
        """An officer answers in the Instagram app: an echo of a mid the bot never sent."""
        mid = payloads.mid()
        return await self.post_entries(self.echo_entry(user, mid, text)), mid

    async def user_comments(
        self,
        user: IgUser,
        text: str,
        *,
        media_id: str = POST_ID,
        parent_id: str | None = None,
        flat: bool = False,
        on: str | None = None,
    ) -> tuple[int, str]:
        """Comment on a post of account `on` (`flat`: in the dashboard's test shape);
        (status, comment id)."""
        value, comment_id = self.comment_value(
            user, text, media_id=media_id, parent_id=parent_id, on=on
        )
        if flat:
            return await self.post(payloads.flat_comment(value)), comment_id
        return await self.post_entries(self.comment_entry(value, on=on)), comment_id

    async def office_comments(self, text: str, *, parent_id: str | None = None) -> tuple[int, str]:
        """The office's own account comments (e.g. the bot's public reply coming back)."""
        return await self.user_comments(self.office, text, parent_id=parent_id)

    # --- posting -----------------------------------------------------------------------------

    async def post_entries(self, *entries: dict[str, Any]) -> int:
        return await self.post(payloads.envelope(*entries))
