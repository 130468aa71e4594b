"""The slides of publications and the links they are served at (`MediaFiles` of
`bot.publishing.vocabulary`), and the report's published posts with their latest insights
(`InsightRecords`, `PublishedPosts`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import delete, insert, select, update

from bot.publishing.vocabulary import Metrics, PostReach, Slide, State
from bot.storage.base import StoreBase
from bot.storage.errors import translate_errors
from bot.storage.tables_publishing import (
    MediaLinkRow,
    PublicationInsightRow,
    PublicationRow,
    PublicationSlideRow,
)

L, S, P, R = MediaLinkRow, PublicationSlideRow, PublicationRow, PublicationInsightRow


class MediaStore(StoreBase):
    """Slides and their links."""

    async def slides(self, publication_id: int) -> list[Slide]:
        """The publication's slides in order (none once it is out or cancelled)."""
        query = select(S).where(S.publication_id == publication_id).order_by(S.position)
        with translate_errors("reading a publication's slides"):
            async with self._sessions() as session:
                rows = await session.scalars(query)
                return [Slide(row.position, row.image, row.alt_text) for row in rows]

    async def add_links(
        self, publication_id: int, hashes: Sequence[tuple[int, str]], *, expires_at: dt.datetime
    ) -> None:
        """Links (by their tokens' hashes) to the slides at these positions."""
        rows = [
            {
                "token_hash": digest,
                "publication_id": publication_id,
                "position": position,
                "expires_at": expires_at,
            }
            for position, digest in hashes
        ]
        with translate_errors("storing slide links"):
            async with self._engine.begin() as connection:
                await connection.execute(insert(L), rows)

    async def image(self, token_hash: str) -> bytes | None:
        """The slide a live link names; None when unknown or expired."""
        query = (
            select(S.image)
            .join(L, (L.publication_id == S.publication_id) & (L.position == S.position))
            .where(L.token_hash == token_hash, L.expires_at > self._now())
        )
        with translate_errors("reading a linked slide"):
            async with self._engine.connect() as connection:
                image = await connection.scalar(query)
        return None if image is None else bytes(image)

    async def forget_links(self, *, expired_before: dt.datetime) -> int:
        """Delete links that expired before `expired_before`; how many."""
        statement = delete(L).where(L.expires_at < expired_before).returning(L.token_hash)
        with translate_errors("forgetting expired slide links"):
            async with self._engine.begin() as connection:
                return len((await connection.execute(statement)).all())


class InsightStore(StoreBase):
    """When each published post's insights are read next, and the latest read."""

    async def due_insights(self, *, every: dt.timedelta) -> list[tuple[int, str, dt.datetime]]:
        """The posts whose reading is due, each booked `every` later for the next one."""
        now = self._now()
        due = (
            P.state == State.PUBLISHED.value,
            P.media_id.is_not(None),
            P.insights_due_at <= now,
        )
        statement = (
            update(P)
            .where(*due)
            .values(insights_due_at=now + every)
            .returning(P.id, P.media_id, P.published_at)
        )
        with translate_errors("booking insights readings"):
            async with self._engine.begin() as connection:
                rows = (await connection.execute(statement)).all()
        # Published rows always carry their time; the state is checked above.
        return [(int(pid), str(media), when) for pid, media, when in rows if when is not None]

    async def keep_insights(
        self, publication_id: int, metrics: Metrics, *, permalink: str | None, until: dt.datetime
    ) -> None:
        """The latest read; no further reading once `until` has passed."""
        now = self._now()
        values = {"publication_id": publication_id, "read_at": now, **_figures(metrics)}
        upsert = (
            self._insert(R)
            .values(values)
            .on_conflict_do_update(index_elements=["publication_id"], set_=values)
        )
        changes: dict[str, object] = {} if permalink is None else {"permalink": permalink}
        if now >= until:
            changes["insights_due_at"] = None
        with translate_errors("storing a post's insights"):
            async with self._engine.begin() as connection:
                await connection.execute(upsert)
                if changes:
                    await connection.execute(
                        update(P).where(P.id == publication_id).values(changes)
                    )

    async def published_posts(self, *, since: dt.datetime, until: dt.datetime) -> list[PostReach]:
        """The posts published in `since <= t < until`, oldest first, with their insights."""
        query = (
            select(P.id, P.entry_id, P.media_id, P.published_at, P.permalink)
            .add_columns(R.reach, R.saves, R.shares, R.comments, R.read_at)
            .outerjoin(R, R.publication_id == P.id)
            .where(P.state == State.PUBLISHED.value)
            .where(P.published_at >= since, P.published_at < until)
            .order_by(P.published_at, P.id)
        )
        with translate_errors("reading the published posts"):
            async with self._engine.connect() as connection:
                rows = (await connection.execute(query)).all()
        return [PostReach(*row) for row in rows]


def _figures(metrics: Metrics) -> dict[str, int | None]:
    return {
        "reach": metrics.reach,
        "saves": metrics.saves,
        "shares": metrics.shares,
        "comments": metrics.comments,
        "likes": metrics.likes,
        "interactions": metrics.interactions,
    }
