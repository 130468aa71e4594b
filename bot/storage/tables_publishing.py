"""Publishing's tables (issue 20): each publication with its state and the platform's ids,
its slides while it is on its way, the slides' links (hashed) and the latest insights.

Nothing here is an applicant's: posts are the office's own.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.columns import Base, UTCDateTime

STATES = "'scheduled', 'containers', 'publishing', 'published', 'failed', 'cancelled'"
MEDIA_ID = 64  # Instagram's ids are 17-18 digits


class PublicationRow(Base):
    """One approved post on its way to the platform (or done)."""

    __tablename__ = "publications"
    __table_args__ = (CheckConstraint(f"state IN ({STATES})", name="state"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[str] = mapped_column(String(64), index=True)
    caption: Mapped[str] = mapped_column(Text)
    slide_count: Mapped[int] = mapped_column(Integer)
    planned_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    approved_by: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    state: Mapped[str] = mapped_column(String(16))
    # When the worker looks at it next: the planned time, then after a wait or a failure.
    due_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    note: Mapped[str | None] = mapped_column(Text)
    # The worker holding it, and until when; a dead worker's hold ends with its lease.
    lease_owner: Mapped[str | None] = mapped_column(String(32))
    lease_until: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    children: Mapped[str | None] = mapped_column(Text)  # item container ids, comma-separated
    container_id: Mapped[str | None] = mapped_column(String(MEDIA_ID))
    publish_started_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    media_id: Mapped[str | None] = mapped_column(String(MEDIA_ID))
    permalink: Mapped[str | None] = mapped_column(Text)
    published_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, index=True)
    insights_due_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, index=True)
    cancelled_by: Mapped[str | None] = mapped_column(String(128))


class PublicationSlideRow(Base):
    """One slide of a publication, kept while the publication is on its way (deleted once it
    is published, failed or cancelled)."""

    __tablename__ = "publication_slides"

    publication_id: Mapped[int] = mapped_column(
        ForeignKey("publications.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    image: Mapped[bytes] = mapped_column(LargeBinary)
    alt_text: Mapped[str | None] = mapped_column(Text)


class MediaLinkRow(Base):
    """A link handed to the platform for one slide: the SHA-256 of its token, until when."""

    __tablename__ = "media_links"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    publication_id: Mapped[int] = mapped_column(
        ForeignKey("publications.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, index=True)


class PublicationInsightRow(Base):
    """The latest insights read of a published post."""

    __tablename__ = "publication_insights"

    publication_id: Mapped[int] = mapped_column(
        ForeignKey("publications.id", ondelete="CASCADE"), primary_key=True
    )
    read_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    reach: Mapped[int | None] = mapped_column(Integer)
    saves: Mapped[int | None] = mapped_column(Integer)
    shares: Mapped[int | None] = mapped_column(Integer)
    comments: Mapped[int | None] = mapped_column(Integer)
    likes: Mapped[int | None] = mapped_column(Integer)
    interactions: Mapped[int | None] = mapped_column(Integer)
