"""Salted hashes of users and chats: what the log and the tables keep instead of raw ids."""

from __future__ import annotations

import hashlib
import hmac
from functools import lru_cache


# A message asks for its sender's hash several times (log, flood count, feedback); recent
# senders cover those without one HMAC each.
@lru_cache(maxsize=4096)
def user_hash(salt: bytes, channel: str, user_id: str) -> str:
    """Salted hash of a channel user; the raw id is never stored."""
    return hmac.new(salt, f"{channel}:{user_id}".encode(), hashlib.sha256).hexdigest()


def chat_hash(salt: bytes, channel: str, chat_id: str) -> str:
    """Salted hash of a chat, for tables that only need to recognise it again."""
    return hmac.new(salt, f"chat:{channel}:{chat_id}".encode(), hashlib.sha256).hexdigest()
