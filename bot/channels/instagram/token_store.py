"""The current long-lived access token of each account in the database (`instagram_token`,
one row per account), so every worker sends with the token the last refresh issued, whichever
worker refreshed it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from bot.channels.instagram.tables import MAIN_ACCOUNT, InstagramTokenRow
from bot.core.secret import Secret
from bot.storage.base import StoreBase
from bot.storage.errors import translate_errors

__all__ = ["MAIN_ACCOUNT", "StoredToken", "TokenStore"]


@dataclass(frozen=True, slots=True)
class StoredToken:
    """The token, when it stops working, and when it was issued (refreshed or pasted)."""

    token: Secret
    expires_at: dt.datetime
    refreshed_at: dt.datetime


class TokenStore(StoreBase):
    """Reads and replaces an account's token row (`MAIN_ACCOUNT` or an office account's id)."""

    async def current(self, account: str) -> StoredToken | None:
        """The account's stored token, if any was stored yet."""
        with translate_errors("reading the Instagram token"):
            async with self._sessions() as session:
                row = await session.get(InstagramTokenRow, account)
        if row is None:
            return None
        return StoredToken(Secret(row.token), row.expires_at, row.refreshed_at)

    async def put(self, account: str, stored: StoredToken, *, replace: bool = True) -> None:
        """Store `stored` in place of the account's token (or only when it has none)."""
        values = {
            "token": stored.token.reveal(),
            "expires_at": stored.expires_at,
            "refreshed_at": stored.refreshed_at,
        }
        statement = self._insert(InstagramTokenRow).values(account=account, **values)
        if replace:
            statement = statement.on_conflict_do_update(index_elements=["account"], set_=values)
        else:
            statement = statement.on_conflict_do_nothing(index_elements=["account"])
        with translate_errors("storing the Instagram token"):
            async with self._sessions.begin() as session:
                await session.execute(statement)
