"""Publications and their moves (`bot.publishing.vocabulary.PublicationRecords`).

A worker claims one due publication with a conditional UPDATE (due, not held by a live lease),
so of racing workers one gets it; every later move holds only while the row is still that
worker's (`lease_owner`) and in a state the move expects, so a cancel or a worker that took
over after a lease ran out stops the first worker at its next move.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, and_, delete, func, insert, literal, or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.publishing.vocabulary import (
    CANCELLABLE,
    WORKING,
    Claimed,
    Post,
    Publication,
    State,
)
from bot.storage.base import StoreBase
from bot.storage.columns import UTCDateTime
from bot.storage.errors import translate_errors
from bot.storage.tables_publishing import MediaLinkRow, PublicationRow, PublicationSlideRow

P = PublicationRow
TRIES = 3  # a publication claimed under us by another worker: take the next due one


class PublicationStore(StoreBase):
    """The publications table and the slides that go with each."""

    async def add(self, post: Post, *, planned_at: dt.datetime, approved_by: str) -> int:
        """Keep a post and its slides; the publication's id."""
        now = self._now()
        values = {
            "entry_id": post.entry_id.strip(),
            "caption": post.caption,
            "slide_count": len(post.slides),
            "planned_at": planned_at,
            "approved_by": approved_by,
            "created_at": now,
            "state": State.SCHEDULED.value,
            "due_at": planned_at,
            "attempts": 0,
        }
        alts: list[str | None] = [*post.alt_texts] or [None] * len(post.slides)
        with translate_errors("scheduling a publication"):
            async with self._engine.begin() as connection:
                new = await connection.scalar(insert(P).values(values).returning(P.id))
                assert new is not None
                slides = [
                    {"publication_id": new, "position": n, "image": image, "alt_text": alt}
                    for n, (image, alt) in enumerate(zip(post.slides, alts, strict=True))
                ]
                await connection.execute(insert(PublicationSlideRow), slides)
        return int(new)

    async def listing(self, *, limit: int) -> list[Publication]:
        """The newest publications first."""
        query = select(P).order_by(P.planned_at.desc(), P.id.desc()).limit(limit)
        with translate_errors("listing publications"):
            async with self._sessions() as session:
                return [_publication(row) for row in await session.scalars(query)]

    async def get(self, publication_id: int) -> Publication | None:
        with translate_errors("reading a publication"):
            async with self._sessions() as session:
                row = await session.get(P, publication_id)
        return None if row is None else _publication(row)

    async def cancel(self, publication_id: int, *, by: str) -> bool:
        """Cancel it if no publish call was made yet; its slides go."""
        statement = (
            update(P)
            .where(P.id == publication_id, P.state.in_([s.value for s in CANCELLABLE]))
            .values(state=State.CANCELLED.value, cancelled_by=by, lease_owner=None)
            .returning(P.id)
        )
        with translate_errors("cancelling a publication"):
            async with self._engine.begin() as connection:
                if (await connection.execute(statement)).first() is None:
                    return False
                await _drop_slides(connection, publication_id)
        return True

    async def claim(self, *, owner: str, lease: dt.timedelta) -> Claimed | None:
        """The most overdue publication nobody holds, now held by `owner` for `lease`."""
        now = self._now()
        free = (
            P.state.in_([s.value for s in WORKING]),
            P.due_at <= now,
            or_(P.lease_until.is_(None), P.lease_until <= now),
        )
        first = select(P.id).where(*free).order_by(P.due_at, P.id).limit(1).scalar_subquery()
        statement = (
            update(P)
            .where(P.id == first, *free)
            .values(lease_owner=owner, lease_until=now + lease)
            .returning(*_CLAIMED)
        )
        for _ in range(TRIES):
            with translate_errors("claiming a publication"):
                async with self._engine.begin() as connection:
                    row = (await connection.execute(statement)).first()
                    if row is not None:
                        return _claimed(row)
                    if await connection.scalar(select(P.id).where(*free).limit(1)) is None:
                        return None
        return None

    async def made(
        self, claimed: Claimed, *, owner: str, children: Sequence[str], container_id: str | None
    ) -> bool:
        """The containers made so far (items, then the carousel)."""
        values = {
            "state": State.CONTAINERS.value,
            "children": ",".join(children),
            "container_id": container_id,
        }
        return await self._move(claimed, owner, (State.SCHEDULED, State.CONTAINERS), values)

    async def publishing(self, claimed: Claimed, *, owner: str, lease: dt.timedelta) -> bool:
        """The publish call is about to be made (the first such time is kept)."""
        now = self._now()
        values = {
            "state": State.PUBLISHING.value,
            "publish_started_at": func.coalesce(P.publish_started_at, literal(now, UTCDateTime())),
            "lease_until": now + lease,
        }
        return await self._move(claimed, owner, (State.CONTAINERS, State.PUBLISHING), values)

    async def published(
        self,
        claimed: Claimed,
        *,
        owner: str,
        media_id: str | None,
        permalink: str | None,
        insights_at: dt.datetime | None,
    ) -> bool:
        """Published: the media id and link kept, the slides and their links gone."""
        values = {
            "state": State.PUBLISHED.value,
            "media_id": media_id,
            "permalink": permalink,
            "published_at": self._now(),
            "insights_due_at": insights_at,
            "note": None,
            **_RELEASED,
        }
        return await self._move(claimed, owner, WORKING, values, drop_slides=True)

    async def later(
        self, claimed: Claimed, *, owner: str, due_at: dt.datetime, note: str, failed: bool
    ) -> bool:
        """Released until `due_at` (a failed try counted)."""
        values = {"due_at": due_at, "note": note, "attempts": P.attempts + int(failed)}
        return await self._move(claimed, owner, WORKING, {**values, **_RELEASED})

    async def restart(self, claimed: Claimed, *, owner: str) -> bool:
        """Its containers forgotten: it starts again from scheduled (still held)."""
        values = {
            "state": State.SCHEDULED.value,
            "children": None,
            "container_id": None,
            "publish_started_at": None,
        }
        return await self._move(claimed, owner, WORKING, values)

    async def give_up(self, claimed: Claimed, *, owner: str, note: str) -> bool:
        """Failed for good (its last try counted); its slides go (a new schedule brings its
        own, from the content kit)."""
        values = {"state": State.FAILED.value, "note": note, "attempts": P.attempts + 1}
        return await self._move(claimed, owner, WORKING, {**values, **_RELEASED}, drop_slides=True)

    async def _move(
        self,
        claimed: Claimed,
        owner: str,
        expected: Sequence[State],
        values: dict[str, Any],
        *,
        drop_slides: bool = False,
    ) -> bool:
        statement = (
            update(P).where(_owned(claimed.id, owner, expected)).values(values).returning(P.id)
        )
        with translate_errors("recording a publication's step"):
            async with self._engine.begin() as connection:
                moved = (await connection.execute(statement)).first() is not None
                if moved and drop_slides:
                    await _drop_slides(connection, claimed.id)
        return moved


_RELEASED = {"lease_owner": None, "lease_until": None}
_CLAIMED = (
    P.id,
    P.entry_id,
    P.caption,
    P.state,
    P.attempts,
    P.children,
    P.container_id,
    P.publish_started_at,
)


def _owned(publication_id: int, owner: str, expected: Sequence[State]) -> ColumnElement[bool]:
    return and_(
        P.id == publication_id,
        P.lease_owner == owner,
        P.state.in_([state.value for state in expected]),
    )


async def _drop_slides(connection: AsyncConnection, publication_id: int) -> None:
    await connection.execute(
        delete(MediaLinkRow).where(MediaLinkRow.publication_id == publication_id)
    )
    await connection.execute(
        delete(PublicationSlideRow).where(PublicationSlideRow.publication_id == publication_id)
    )


def _claimed(row: Any) -> Claimed:
    pid, entry_id, caption, state, attempts, children, container, started = row
    return Claimed(
        id=int(pid),
        entry_id=str(entry_id),
        caption=str(caption),
        state=State(state),
        attempts=int(attempts),
        children=tuple(children.split(",")) if children else (),
        container_id=container,
        publish_started_at=started,
    )


def _publication(row: PublicationRow) -> Publication:
    return Publication(
        id=row.id,
        entry_id=row.entry_id,
        caption=row.caption,
        slide_count=row.slide_count,
        planned_at=row.planned_at,
        approved_by=row.approved_by,
        state=State(row.state),
        attempts=row.attempts,
        due_at=row.due_at,
        note=row.note,
        media_id=row.media_id,
        permalink=row.permalink,
        published_at=row.published_at,
    )
