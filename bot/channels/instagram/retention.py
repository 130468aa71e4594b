"""What `db purge` deletes from Instagram's own tables, in the purge's one transaction.

A DM conversation's row serves the 24-hour and 7-day windows and the takeover; once its last
activity is older than the retention period nothing reads it. Comments are kept for the
per-post reports as long as the question log is. The token row is never purged.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, func, or_

from bot.channels.contract import PurgeStep
from bot.channels.instagram.tables import InstagramChatRow, InstagramCommentRow

C = InstagramChatRow


def retention(now: dt.datetime, cutoff: dt.datetime) -> list[PurgeStep]:
    """The conversations idle since before `cutoff` (no takeover still running at `now`) and
    the comments made before it."""
    last = func.coalesce(C.last_inbound_at, C.taken_over_at)
    idle = (last < cutoff) & or_(C.takeover_until.is_(None), C.takeover_until < now)
    return [
        PurgeStep("percakapan DM Instagram", delete(C).where(idle)),
        PurgeStep(
            "komentar Instagram",
            delete(InstagramCommentRow).where(InstagramCommentRow.created_at < cutoff),
        ),
    ]
