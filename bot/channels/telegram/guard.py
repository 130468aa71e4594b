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


def is_admin(
    user_id: int, admins: frozenset[int], what: str, hash_user: Callable[[str], str]
) -> bool:
    """Whether `user_id` is an admin; a refusal is logged with the user's salted hash."""
    if user_id in admins:
        return True
    logger.warning("admin command %s refused for user %s", what, hash_user(str(user_id))[:16])
    return False


async def refused(
    message: Message,
    user: User,
    admins: frozenset[int],
    command: str,
    hash_user: Callable[[str], str],
) -> bool:
    """True (after telling the user and logging it) when `user` may not run `command`."""
    if is_admin(user.id, admins, f"/{command}", hash_user):
        return False
    await with_retry(partial(message.reply_text, staff_text.NOT_ADMIN))
    return True
