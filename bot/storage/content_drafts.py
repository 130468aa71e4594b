"""The week's content kit and its posts' words (`bot.console.vocabulary.ContentDrafts`).

A kit made replaces the earlier ones in one transaction, so every worker shows the same kit;
kit ids only grow, so a page or form of a replaced kit names nothing.
A save or an approval is one conditional UPDATE on the post's `revision` (and, for an
approval, on the publication it had), so of two admins acting on the same version one wins
and the other is told, instead of one silently overwriting the other.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, delete, insert, select, update

from bot.console.vocabulary import DraftKit, DraftPost, NewKit
from bot.content.vocabulary import PostText, Skipped, Slide, SlideKind
from bot.storage.base import StoreBase
from bot.storage.errors import translate_errors
from bot.storage.tables_content import ContentKitRow, ContentPostRow

K, P = ContentKitRow, ContentPostRow


class ContentDraftStore(StoreBase):
    """The content_kits and content_posts tables."""

    async def keep_kit(self, kit: NewKit) -> int:
        """Keep `kit` as the week's; the earlier kits (and their posts) go."""
        values = {
            "made_at": self._now(),
            "made_by": kit.made_by,
            "last_day": kit.last_day,
            "planned": kit.planned,
            "notes": [{"entry_id": s.entry_id, "note": s.note} for s in kit.skipped],
        }
        with translate_errors("keeping a content kit"):
            async with self._engine.begin() as connection:
                # Inserted before the old ones go: SQLite hands out the highest id plus one, so
                # an empty table would give id 1 again, and a page or form of the old kit
                # would then name a post of the new one.
                new = await connection.scalar(insert(K).values(values).returning(K.id))
                assert new is not None
                await connection.execute(delete(P).where(P.kit_id < new))
                await connection.execute(delete(K).where(K.id < new))
                rows = [_post_row(new, n, texts, why) for n, (texts, why) in enumerate(kit.posts)]
                if rows:
                    await connection.execute(insert(P), rows)
        return int(new)

    async def latest_kit(self) -> DraftKit | None:
        """The newest kit with its posts in order."""
        with translate_errors("reading the content kit"):
            async with self._sessions() as session:
                kit = await session.scalar(select(K).order_by(K.id.desc()).limit(1))
                if kit is None:
                    return None
                query = select(P).where(P.kit_id == kit.id).order_by(P.position)
                posts = tuple(_draft(row) for row in await session.scalars(query))
        skipped = tuple(Skipped(note.get("entry_id"), str(note["note"])) for note in kit.notes)
        return DraftKit(
            kit.id, kit.made_at, kit.made_by, kit.last_day, kit.planned, posts, skipped
        )

    async def draft_post(self, kit_id: int, position: int) -> DraftPost | None:
        """One post of a kit, or None."""
        with translate_errors("reading a content post"):
            async with self._sessions() as session:
                row = await session.get(P, (kit_id, position))
        return None if row is None else _draft(row)

    async def save_words(
        self, kit_id: int, position: int, texts: PostText, *, revision: int, by: str
    ) -> bool:
        """Keep edited words if the post is still at `revision`."""
        values = {"words": words_of(texts), "edited_by": by, "edited_at": self._now()}
        return await self._bump(kit_id, position, revision, values, "saving a content post")

    async def approved(
        self, kit_id: int, position: int, *, revision: int, publication: int, replaces: int | None
    ) -> bool:
        """Note the publication if the post is still at `revision` and had `replaces`."""
        had = P.publication_id.is_(None) if replaces is None else P.publication_id == replaces
        values = {"publication_id": publication}
        return await self._bump(kit_id, position, revision, values, "approving a post", had)

    async def _bump(
        self,
        kit_id: int,
        position: int,
        revision: int,
        values: dict[str, Any],
        action: str,
        *also: ColumnElement[bool],
    ) -> bool:
        statement = (
            update(P)
            .where(P.kit_id == kit_id, P.position == position, P.revision == revision, *also)
            .values(**values, revision=revision + 1)
        )
        with translate_errors(action):
            async with self._engine.begin() as connection:
                result = await connection.execute(statement)
        return bool(result.rowcount)


def _post_row(kit_id: int, position: int, texts: PostText, reason: str) -> dict[str, Any]:
    return {
        "kit_id": kit_id,
        "position": position,
        "entry_id": texts.entry_id,
        "reason": reason,
        "words": words_of(texts),
        "revision": 1,
    }


def _draft(row: ContentPostRow) -> DraftPost:
    return DraftPost(
        row.kit_id,
        row.position,
        row.reason,
        texts_of(row.words),
        row.revision,
        row.edited_by,
        row.edited_at,
        row.publication_id,
    )


def words_of(texts: PostText) -> dict[str, Any]:
    """A post's words as JSON."""
    return {
        "entry_id": texts.entry_id,
        "title": texts.title,
        "slides": [_slide_words(slide) for slide in texts.slides],
        "story": _slide_words(texts.story),
        "caption": texts.caption,
    }


def texts_of(words: dict[str, Any]) -> PostText:
    """A post's words from JSON (`words_of`)."""
    slides = tuple(_slide(slide) for slide in words["slides"])
    return PostText(
        words["entry_id"], words["title"], slides, _slide(words["story"]), words["caption"]
    )


def _slide_words(slide: Slide) -> dict[str, Any]:
    return {
        "kind": slide.kind,
        "heading": slide.heading,
        "lines": list(slide.lines),
        "number": slide.number,
    }


def _slide(words: dict[str, Any]) -> Slide:
    kind: SlideKind = words["kind"]
    return Slide(kind, words["heading"], tuple(words["lines"]), words["number"])
