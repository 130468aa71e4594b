"""The one check every admin command makes: only configured admins; others are refused
politely and the attempt is logged (with the user's salted hash, never the raw id)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial

from telegram import Message, User

from bot.channels.telegram import staff_text
from bot.channels.telegram.channel import with_retry

logger = logging.getLogger(__name__)


async def refused(
    message: Message,
    user: User,
    admins: frozenset[int],
    command: str,
    hash_user: Callable[[str], str] | None = None,
) -> bool:
    """True (after telling the user and logging it) when `user` may not run `command`."""
    if user.id in admins:
        return False
    who = hash_user(str(user.id))[:16] if hash_user else "(tanpa id)"
    logger.warning("admin command /%s refused for user %s", command, who)
    await with_retry(partial(message.reply_text, staff_text.NOT_ADMIN))
    return True
