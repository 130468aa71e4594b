"""The content studio's tables (issue 20): the week's kit as the console made it, and each of
its posts' words as the admins edited them, so every admin and every worker sees the same
draft. The images are not kept: they are drawn again from the words (`bot.console.studio`).

Nothing here is an applicant's: the words come from faq.yaml, the reasons and notes are
redacted when made.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.columns import Base, UTCDateTime


class ContentKitRow(Base):
    """A week's kit: who made it when, the week read, the day planned, the notes."""

    __tablename__ = "content_kits"

    id: Mapped[int] = mapped_column(primary_key=True)
    made_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    made_by: Mapped[str] = mapped_column(String(64))
    last_day: Mapped[dt.date] = mapped_column(Date)
    planned: Mapped[dt.date] = mapped_column(Date)
    # [{"entry_id": str | None, "note": str}, ...]: the candidates left out.
    notes: Mapped[list[dict[str, Any]]] = mapped_column(JSON)


class ContentPostRow(Base):
    """One post of a kit: its words (a `PostText` as JSON) and how far it got."""

    __tablename__ = "content_posts"

    kit_id: Mapped[int] = mapped_column(
        ForeignKey("content_kits.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    entry_id: Mapped[str] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(Text)
    words: Mapped[dict[str, Any]] = mapped_column(JSON)
    revision: Mapped[int] = mapped_column(Integer)
    edited_by: Mapped[str | None] = mapped_column(String(64))
    edited_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # The newest publication it was approved as (no foreign key: publications outlive kits,
    # and a kit replaced by a newer one must not hold them back).
    publication_id: Mapped[int | None] = mapped_column(Integer)
