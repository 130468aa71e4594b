"""The content studio behind the Konten pages (issue 20): the week's kit made on request with
the same choice as `python -m bot content --week`, each post drawn from its words as the
admins left them (the words live in the database, so every worker shows the same draft; the
drawing is the same for the same words, so each worker keeps its last few), and an approved
post handed to the publishing desk with exactly the JPEGs the admin saw, in their sizes."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from bot.console.content_drawing import Drawn, attempt, previewed
from bot.console.content_form import Problems
from bot.console.roles import ContentDrafts, Publications
from bot.console.vocabulary import DraftPost, NewKit
from bot.content.brand import brand_for
from bot.content.errors import ContentError
from bot.content.kit import make_kit
from bot.content.render import logo_image
from bot.content.settings import POSTS, ContentSettings, Week
from bot.content.vocabulary import Brand, Choice, Kit, PostText
from bot.content.week import week_choice
from bot.publishing.vocabulary import InvalidPost, Post, PostReach, Publication, State
from bot.reporting.command import OfficeReportSource
from knowledge.entries import KnowledgeBase

# Why the office's posts are not published by this server (None: they are).
PublishingOff = Literal["no-channel", "no-public-url"]
DRAWINGS_KEPT = 12  # a few kits' posts, a couple of MB each
LISTED = 50  # publications on the Konten page
OFF = "Penerbitan ke Instagram tidak aktif: unggahan belum bisa dijadwalkan."
CHANGED = "Kata-kata unggahan ini diubah admin lain sementara itu. Periksa lagi, lalu setujui."
SCHEDULED = "Unggahan ini sudah dijadwalkan (#{id}). Batalkan dulu untuk menjadwalkan ulang."
GONE = "Entri {entry} tidak ada lagi di FAQ."
EXPIRES = "Entri {entry} hanya berlaku sampai {until}, sebelum tanggal terbit."
LOGO = "Logo {path} (CONTENT_LOGO) tidak bisa dibaca."


@dataclass(frozen=True, slots=True)
class Listed:
    """A publication and, once published and read, its reach."""

    publication: Publication
    reach: PostReach | None


@dataclass(frozen=True, slots=True)
class Studio:
    """Makes, draws and approves the week's posts; `off` says why nothing is published."""

    drafts: ContentDrafts
    desk: Publications
    settings: ContentSettings
    reports: OfficeReportSource  # every office's figures, or one office's (`for_office`)
    knowledge: Callable[[], KnowledgeBase]
    off: PublishingOff | None = None
    _drawings: OrderedDict[tuple[PostText, Brand], Drawn] = field(default_factory=OrderedDict)

    async def make(self, by: str) -> tuple[int, Kit]:
        """The week's kit, drawn and kept as the week's; its id and the kit."""
        kb = self.knowledge()
        brand = self.brand(kb)
        week = self._week()
        choice = await week_choice(self.reports, kb, self.settings, week)
        kit, drawn = await asyncio.to_thread(_made, choice, kb, brand)
        for texts, found in drawn:
            self._keep(texts, brand, found)
        posts = tuple((post.texts, topic.reason) for post, topic in kit.posts)
        kit_id = await self.drafts.keep_kit(
            NewKit(by, week.last_day, week.planned, posts, kit.skipped)
        )
        return kit_id, kit

    async def plan(self, office: str) -> Choice:
        """The topics the week's kit would have from `office`'s questions alone (the kit
        itself is made from every office's): what confuses that office's applicants."""
        source = self.reports.for_office(office)
        return await week_choice(source, self.knowledge(), self.settings, self._week())

    def _week(self) -> Week:
        today = dt.datetime.now(self.settings.zone).date()
        return Week(today, today + dt.timedelta(days=1), POSTS)  # as `content --week`

    def brand(self, kb: KnowledgeBase) -> Brand:
        """The office as the slides show it now (`ContentError` for an unreadable logo)."""
        look = self.settings.look
        logo = None
        if look.logo is not None:
            try:
                logo = look.logo.read_bytes()
            except OSError as exc:
                raise ContentError(LOGO.format(path=look.logo)) from exc
            logo_image(logo)
        return brand_for(kb, palette=look.palette, logo=logo, hashtags=look.hashtags)

    async def drawn(self, texts: PostText) -> Drawn | Problems:
        """The post drawn from `texts`, or what is wrong with them, by field."""
        try:
            brand = self.brand(self.knowledge())
        except ContentError as exc:
            return {"": [str(exc)]}
        if (found := self._drawings.get((texts, brand))) is not None:
            self._drawings.move_to_end((texts, brand))
            return found
        result = await asyncio.to_thread(attempt, texts, brand)
        if isinstance(result, Drawn):
            self._keep(texts, brand, result)
        return result

    async def approve(
        self, draft: DraftPost, when: dt.datetime, *, revision: int, by: str
    ) -> int | str:
        """Schedule the post as drawn now; its publication id, or why not."""
        refused = await self._refusal(draft, when, revision)
        if refused:
            return refused
        drawn = await self.drawn(draft.texts)
        if not isinstance(drawn, Drawn):
            return " ".join(message for messages in drawn.values() for message in messages)
        post = drawn.post
        try:
            publication = await self.desk.schedule(
                Post(post.entry_id, post.slides, post.caption, post.alt), when, by
            )
        except InvalidPost as exc:
            return str(exc)
        noted = await self.drafts.approved(
            draft.kit_id,
            draft.position,
            revision=revision,
            publication=publication,
            replaces=draft.publication_id,
        )
        if not noted:  # another admin approved or edited it in the meantime: theirs stands
            await self.desk.cancel(publication, by=by)
            return CHANGED
        return publication

    async def _refusal(self, draft: DraftPost, when: dt.datetime, revision: int) -> str:
        if self.off is not None:
            return OFF
        if draft.revision != revision:
            return CHANGED
        current = await self.active(draft)
        if current is not None:
            return SCHEDULED.format(id=current.id)
        entry = self.knowledge().get(draft.entry_id)
        if entry is None:
            return GONE.format(entry=draft.entry_id)
        day = when.astimezone(self.settings.zone).date()
        if entry.valid_until is not None and entry.valid_until < day:
            return EXPIRES.format(entry=entry.id, until=entry.valid_until.isoformat())
        return ""

    async def active(self, draft: DraftPost) -> Publication | None:
        """The publication the post was approved as, unless it failed or was cancelled."""
        if draft.publication_id is None:
            return None
        found = await self.desk.publication(draft.publication_id)
        if found is None or found.state in (State.FAILED, State.CANCELLED):
            return None
        return found

    async def listing(self) -> list[Listed]:
        """The newest publications, each with its reach once read."""
        found = await self.desk.publications(limit=LISTED)
        published = [p.published_at for p in found if p.published_at is not None]
        reach: dict[int, PostReach] = {}
        if published:
            until = max(published) + dt.timedelta(seconds=1)
            posts = await self.desk.published_posts(since=min(published), until=until)
            reach = {post.publication_id: post for post in posts}
        return [Listed(publication, reach.get(publication.id)) for publication in found]

    def _keep(self, texts: PostText, brand: Brand, drawn: Drawn) -> None:
        self._drawings[(texts, brand)] = drawn
        while len(self._drawings) > DRAWINGS_KEPT:
            self._drawings.popitem(last=False)


def _made(
    choice: Choice, kb: KnowledgeBase, brand: Brand
) -> tuple[Kit, list[tuple[PostText, Drawn]]]:
    """The kit and its posts' previews, in one go in a thread, so the review pages that
    follow need not draw the posts again."""
    kit = make_kit(choice, kb, brand)
    return kit, [(post.texts, previewed(post)) for post, _ in kit.posts]
